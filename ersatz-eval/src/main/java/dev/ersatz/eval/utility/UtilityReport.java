package dev.ersatz.eval.utility;

import java.util.List;
import java.util.Map;

/**
 * Train-synthetic-test-real against train-real-test-real.
 *
 * @param target the label column
 * @param task "binary", "multiclass" or "regression"
 * @param positiveClass the positive label (binary only, else null)
 * @param testSet "holdout", or "real 20% split" when no holdout was given
 * @param trainRowsReal rows the TRTR model was fitted on
 * @param trainRowsSynthetic rows the TSTR model was fitted on
 * @param testRows real rows both models were tested on
 * @param tstr scores of the model fitted on synthetic data (auc, accuracy, macro_f1, r2, mae)
 * @param trtr the same for the model fitted on real data (the ceiling)
 * @param ratios TSTR / TRTR per score (for mae TRTR / TSTR, so 1 is parity and higher is better)
 * @param primaryMetric auc (binary), accuracy (multiclass) or r2 (regression)
 * @param importanceSpearman Spearman correlation of the two models' gain importances
 * @param importance per feature: gain share in the real-fitted and synthetic-fitted model
 */
public record UtilityReport(String target, String task, String positiveClass, String testSet,
    int trainRowsReal, int trainRowsSynthetic, int testRows, Map<String, Double> tstr,
    Map<String, Double> trtr, Map<String, Double> ratios, String primaryMetric,
    double importanceSpearman, List<FeatureImportance> importance) {

  /** Gain share of one feature in the real-fitted and the synthetic-fitted model. */
  public record FeatureImportance(String feature, double real, double synthetic) {}
}
