package dev.ersatz.eval.utility;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * Plain definitions of the scores used by utility and detection, matching scikit-learn and
 * SciPy: {@code roc_auc_score}, {@code accuracy_score}, {@code f1_score(average='macro')},
 * {@code r2_score}, {@code mean_absolute_error}, {@code scipy.stats.spearmanr}.
 */
public final class Metrics {
  private Metrics() {}

  /**
   * ROC AUC as the Mann-Whitney statistic: the probability that a positive scores higher than
   * a negative, ties counting half (average ranks).
   *
   * @return NaN when either group is empty
   */
  public static double aucFromScores(double[] positives, double[] negatives) {
    int np = positives.length;
    int nn = negatives.length;
    if (np == 0 || nn == 0) {
      return Double.NaN;
    }
    double[] all = new double[np + nn];
    System.arraycopy(positives, 0, all, 0, np);
    System.arraycopy(negatives, 0, all, np, nn);
    double[] ranks = ranks(all);
    double sum = 0;
    for (int i = 0; i < np; i++) {
      sum += ranks[i];
    }
    return (sum - np * (np + 1) / 2.0) / ((double) np * nn);
  }

  /** ROC AUC of {@code score} for the 0/1 labels {@code y} (1 = positive). */
  public static double rocAuc(int[] y, double[] score) {
    int np = 0;
    for (int v : y) {
      np += v;
    }
    double[] p = new double[np];
    double[] n = new double[y.length - np];
    int a = 0;
    int b = 0;
    for (int i = 0; i < y.length; i++) {
      if (y[i] == 1) {
        p[a++] = score[i];
      } else {
        n[b++] = score[i];
      }
    }
    return aucFromScores(p, n);
  }

  /** 1-based ranks, ties getting their average rank (as {@code scipy.stats.rankdata}). */
  public static double[] ranks(double[] v) {
    int n = v.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (x, y) -> Double.compare(v[x], v[y]));
    double[] r = new double[n];
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && v[idx[j + 1]] == v[idx[i]]) {
        j++;
      }
      double avg = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[idx[k]] = avg;
      }
      i = j + 1;
    }
    return r;
  }

  /** Share of equal labels. */
  public static double accuracy(int[] truth, int[] predicted) {
    if (truth.length == 0) {
      return Double.NaN;
    }
    int ok = 0;
    for (int i = 0; i < truth.length; i++) {
      if (truth[i] == predicted[i]) {
        ok++;
      }
    }
    return ok / (double) truth.length;
  }

  /**
   * Macro-averaged F1 over the labels present in either array; a label with no true and no
   * predicted positives... never occurs, and a label with precision + recall = 0 scores 0
   * (scikit-learn's {@code zero_division=0}).
   */
  public static double macroF1(int[] truth, int[] predicted) {
    TreeSet<Integer> labels = new TreeSet<>();
    for (int i = 0; i < truth.length; i++) {
      labels.add(truth[i]);
      labels.add(predicted[i]);
    }
    if (labels.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    for (int l : labels) {
      int tp = 0;
      int fp = 0;
      int fn = 0;
      for (int i = 0; i < truth.length; i++) {
        boolean t = truth[i] == l;
        boolean p = predicted[i] == l;
        if (t && p) {
          tp++;
        } else if (p) {
          fp++;
        } else if (t) {
          fn++;
        }
      }
      sum += 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
    return sum / labels.size();
  }

  /** Coefficient of determination; 1 for a perfect fit of a constant truth, else 0 then. */
  public static double r2(double[] truth, double[] predicted) {
    int n = truth.length;
    if (n == 0) {
      return Double.NaN;
    }
    double mean = 0;
    for (double t : truth) {
      mean += t;
    }
    mean /= n;
    double ssRes = 0;
    double ssTot = 0;
    for (int i = 0; i < n; i++) {
      ssRes += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
      ssTot += (truth[i] - mean) * (truth[i] - mean);
    }
    if (ssTot == 0) {
      return ssRes == 0 ? 1 : 0;
    }
    return 1 - ssRes / ssTot;
  }

  /** Mean absolute error. */
  public static double mae(double[] truth, double[] predicted) {
    if (truth.length == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (int i = 0; i < truth.length; i++) {
      s += Math.abs(truth[i] - predicted[i]);
    }
    return s / truth.length;
  }

  /** Spearman rank correlation (Pearson r of average ranks); NaN if either side is constant. */
  public static double spearman(double[] a, double[] b) {
    if (a.length < 2) {
      return Double.NaN;
    }
    return dev.ersatz.eval.fidelity.Fidelity.pearson(ranks(a), ranks(b));
  }
}
