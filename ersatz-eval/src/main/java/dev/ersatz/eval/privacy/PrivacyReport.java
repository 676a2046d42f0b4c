package dev.ersatz.eval.privacy;

/**
 * Privacy figures of a synthetic table against its real training table (and a real holdout).
 * Fields that need a holdout are NaN without one.
 *
 * @param exactMatchTrain share of synthetic rows equal to some training row in every column
 * @param exactMatchHoldout share of synthetic rows equal to some holdout row
 * @param baselineHoldoutInTrain share of holdout rows equal to some training row (the natural
 *     duplicate rate of real data: the baseline for {@code exactMatchTrain})
 * @param syntheticUniqueShare share of distinct synthetic rows
 * @param dcrShare share of (sampled) synthetic rows strictly closer to a row of a training
 *     subset the holdout's size than to a holdout row, plus half the ties, averaged over
 *     {@link Privacy#DCR_SUBSETS} such subsets (one when the training table is no larger than the
 *     holdout); 0.5 is ideal, above means copying
 * @param dcrTies share of ties in {@code dcrShare}
 * @param dcrRows synthetic rows used for {@code dcrShare}
 * @param dcrShareMarginals the DCR share, against the same reference rows, of rows whose
 *     columns are drawn independently from the training rows (each column's value from a
 *     training row of its own): what the split alone gives a sample that knows every column's
 *     training distribution and none of their joint. On small tables this is often above 0.5,
 *     since the training rows' marginals differ from the holdout's by the holdout's own draw;
 *     {@code dcrShare} minus this is the lean a model adds by learning the joint
 * @param dcrShareMarginalsGivenTarget the same for rows whose columns are drawn independently
 *     within the target's class (each row's target from a training row, every other column
 *     from a training row of that class), or NaN without a categorical target: what the split
 *     gives a sample that knows each column's relation to the label and nothing else. The
 *     distance weighs a label mismatch as much as a whole numeric range, so the nearest record
 *     shares the label, and on a table whose label is strongly tied to its other columns this
 *     baseline can lie well above {@code dcrShareMarginals} (olive oils: 0.558 against 0.513)
 * @param dcrSyntheticMedian median distance from a (sampled) synthetic row to its closest
 *     training row (all training rows)
 * @param dcrSyntheticP5 5th percentile of the same
 * @param dcrHoldoutMedian median distance from a holdout row to its closest training row
 * @param dcrHoldoutP5 5th percentile of the same (the release gate's default threshold)
 * @param nndrSyntheticMedian median nearest/second-nearest distance ratio of synthetic rows to
 *     training rows (low = synthetic rows sit on single training rows)
 * @param nndrHoldoutMedian the same for holdout rows (the baseline)
 * @param membershipAuc ROC AUC of the distance attack telling training rows (members) from
 *     holdout rows (non-members) by their distance to the closest synthetic row; 0.5 = no leak
 * @param dcrSynthetic distances from the sampled synthetic rows to their closest training row
 * @param dcrHoldout distances holdout to training (for the plot)
 */
public record PrivacyReport(double exactMatchTrain, double exactMatchHoldout,
    double baselineHoldoutInTrain, double syntheticUniqueShare, double dcrShare, double dcrTies,
    int dcrRows, double dcrShareMarginals, double dcrShareMarginalsGivenTarget,
    double dcrSyntheticMedian, double dcrSyntheticP5,
    double dcrHoldoutMedian, double dcrHoldoutP5, double nndrSyntheticMedian,
    double nndrHoldoutMedian, double membershipAuc, double[] dcrSynthetic,
    double[] dcrHoldout) {}
