package dev.ersatz.eval.fidelity;

import java.util.List;

/**
 * Fidelity of one table to the real one: SDMetrics-style quality, mostlyai-qa-style accuracy,
 * missing rates and invented values.
 *
 * @param quality mean of {@code columnShapes} and {@code columnPairTrends} (NaN if both are)
 * @param columnShapes mean of the per-column shape scores that are defined
 * @param columnPairTrends mean of the per-pair trend scores that are defined
 * @param shapes one entry per compared column
 * @param pairs one entry per column pair
 * @param accuracy mean of the univariate, bivariate and (when there are three columns)
 *     trivariate accuracies
 * @param univariateAccuracy mean over columns of 1 - TVD of the 10-bin distributions
 * @param bivariateAccuracy mean over pairs of 1 - TVD of the joint binned distributions
 * @param trivariateAccuracy mean over (sampled) triples of the same; NaN with fewer than 3
 *     columns
 * @param triplesUsed how many triples the trivariate figure averages
 * @param missing missing-value rates per column
 * @param invented values in the compared table the real one never has
 * @param pairRowsUsed rows per table the pair and accuracy figures used (smaller than the
 *     tables when they were subsampled)
 */
public record FidelityReport(double quality, double columnShapes, double columnPairTrends,
    List<ColumnShape> shapes, List<PairTrend> pairs, double accuracy, double univariateAccuracy,
    double bivariateAccuracy, double trivariateAccuracy, int triplesUsed,
    List<MissingRate> missing, List<Invented> invented, int pairRowsUsed) {

  /** The shape score of one column: {@code KSComplement} or {@code TVComplement}. */
  public record ColumnShape(String column, String metric, double score, double accuracy) {}

  /**
   * The trend score of one pair: {@code CorrelationSimilarity} (with both Pearson
   * correlations) or {@code ContingencySimilarity} (correlations NaN).
   */
  public record PairTrend(String column1, String column2, String metric, double score,
      double realCorrelation, double otherCorrelation, double accuracy) {}

  /** Share of missing values of a column in the real and in the compared table. */
  public record MissingRate(String column, double real, double other) {}

  /**
   * Values the real table never has: for a categorical column the levels only the compared
   * table has ({@code newLevels}) and its rows holding them; for a continuous one the rows
   * below the real minimum or above the real maximum.
   */
  public record Invented(String column, int newLevels, long rows, double share) {}
}
