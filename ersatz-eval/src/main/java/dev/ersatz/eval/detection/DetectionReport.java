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

  /** A feature and its share of the classifier's total gain. */
  public record Feature(String feature, double gainShare) {}
}
