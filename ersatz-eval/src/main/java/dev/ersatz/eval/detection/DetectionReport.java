package dev.ersatz.eval.detection;

import java.util.List;

/**
 * How well a classifier tells real rows from synthetic ones.
 *
 * @param auc mean ROC AUC over the cross-validation folds (0.5 = indistinguishable, 1 =
 *     every row is told apart)
 * @param foldAucs the AUC of each fold
 * @param rowsPerSide rows drawn from each table
 * @param topFeatures the features the classifier leans on most, by gain share
 */
public record DetectionReport(double auc, double[] foldAucs, int rowsPerSide,
    List<Feature> topFeatures) {

  /**
   * The lowest AUC chance alone gives these rows: 0.5 minus three standard errors of the mean
   * fold AUC of two samples of one distribution (Mann-Whitney's variance under the null,
   * {@code (n1 + n2 + 1) / (12 n1 n2)} per fold; Hanley and McNeil, Radiology 1982).
   */
  public double chanceFloor() {
    double m = rowsPerSide / (double) Detection.FOLDS;
    double foldVariance = (2 * m + 1) / (12 * m * m);
    return 0.5 - 3 * Math.sqrt(foldVariance / Detection.FOLDS);
  }

  /**
   * Whether the AUC lies below {@link #chanceFloor}: the cross-validated classifier was turned
   * against the synthetic rows, which happens when they sit on particular real rows (a real row
   * and its near-copy fall into different folds with opposite labels, so each fold's model
   * learns the opposite of what its test rows show). A resample of the real rows themselves
   * scores far below 0.5. Closeness, not indistinguishability.
   */
  public boolean belowChance() {
    return auc < chanceFloor();
  }

  /** A feature and its share of the classifier's total gain. */
  public record Feature(String feature, double gainShare) {}
}
