package dev.ersatz.eval.drift;

import java.util.List;

/**
 * Per-column drift between a reference table {@code a} and a newer table {@code b}.
 *
 * @param rowsA rows of the reference table
 * @param rowsB rows of the compared table
 * @param columns one entry per compared column
 * @param notes columns left out or converted
 */
public record DriftReport(int rowsA, int rowsB, List<ColumnDrift> columns, List<String> notes) {

  /**
   * Drift of one column. Continuous columns have KS figures (chi-square NaN), categorical ones
   * chi-square figures (KS NaN).
   *
   * @param psi population stability index over the reference table's bins
   * @param ksStatistic two-sample Kolmogorov-Smirnov D
   * @param ksPValue its asymptotic p-value
   * @param chi2Statistic Pearson's chi-square statistic of the 2 x k table of level counts
   * @param chi2PValue its p-value
   * @param chi2Dof degrees of freedom (levels seen in either table minus one)
   */
  public record ColumnDrift(String column, String kind, double psi, double ksStatistic,
      double ksPValue, double chi2Statistic, double chi2PValue, int chi2Dof) {}
}
