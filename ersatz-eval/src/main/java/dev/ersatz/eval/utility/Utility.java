package dev.ersatz.eval.utility;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.eval.Aligned;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Train-synthetic-test-real (TSTR) against train-real-test-real (TRTR) with LightGBM (Esteban,
 * Hyland and Rätsch, "Real-valued (Medical) Time Series Generation with Recurrent Conditional
 * GANs", 2017, introduced TSTR). Both models use the same fixed hyper-parameters, seed and
 * one thread, and are tested on the same real rows (the holdout, or a seeded 20% split of the
 * real table when there is no holdout).
 */
public final class Utility {
  /** Boosting rounds of both models. */
  public static final int ITERATIONS = 100;
  /** Most rows a model is fitted on (larger tables are subsampled with a seed). */
  public static final int MAX_TRAIN_ROWS = 200_000;

  private Utility() {}

  /**
   * Runs TSTR and TRTR.
   *
   * @param positive the positive class for a binary target, or null for the rarest real class
   * @throws UserInputException when the target is not a compared column or has a single value
   *     in the real table
   */
  public static UtilityReport compute(Aligned data, int real, int synthetic, int holdout,
      String target, String positive, RandomSource rng, List<String> notes) {
    int tc = data.names().indexOf(target);
    if (tc < 0) {
      throw new UserInputException("target '" + target + "' is not a compared column; the "
          + "columns are " + data.names());
    }
    String task;
    int[] classOf = null;
    List<String> classNames = new ArrayList<>();
    String pos = null;
    if (data.continuous(tc)) {
      task = "regression";
      double first = Double.NaN;
      boolean varies = false;
      for (double v : data.numbers(tc, real)) {
        if (!Double.isNaN(v)) {
          if (Double.isNaN(first)) {
            first = v;
          } else if (v != first) {
            varies = true;
            break;
          }
        }
      }
      if (!varies) {
        throw new UserInputException("target '" + target + "' has a single value (or none) in "
            + "the real table; choose a target that varies, or leave the target out");
      }
    } else {
      int k = data.cardinality(tc);
      long[] counts = new long[k];
      for (int c : data.codes(tc, real)) {
        counts[c]++;
      }
      classOf = new int[k];
      Arrays.fill(classOf, -1);
      for (int c = 0; c < k; c++) {
        if (c != data.missingCode(tc) && counts[c] > 0) {
          classOf[c] = classNames.size();
          classNames.add(data.levels(tc).get(c));
        }
      }
      if (classNames.size() < 2) {
        throw new UserInputException("target '" + target + "' has " + classNames.size()
            + " class(es) in the real table; choose a target with at least two, or leave the "
            + "target out");
      }
      if (classNames.size() == 2) {
        task = "binary";
        int posCode;
        if (positive != null) {
          String p = Aligned.normalise(positive);
          posCode = data.levels(tc).indexOf(p);
          if (posCode < 0 || classOf[posCode] < 0) {
            throw new UserInputException("positive class '" + positive + "' is not a class of "
                + "target '" + target + "'; the classes are " + classNames);
          }
        } else {
          posCode = -1;
          for (int c = 0; c < k; c++) {
            if (classOf[c] >= 0 && (posCode < 0 || counts[c] < counts[posCode])) {
              posCode = c;
            }
          }
          notes.add("utility: positive class not given, using the rarest real class");
        }
        pos = data.levels(tc).get(posCode);
        for (int c = 0; c < k; c++) {
          if (classOf[c] >= 0) {
            classOf[c] = c == posCode ? 1 : 0;
          }
        }
      } else {
        task = "multiclass";
      }
    }
    // fitting and test rows
    int[] realRows;
    int[] testRows;
    int testTable;
    String testSet;
    if (holdout >= 0) {
      realRows = all(data.rows(real));
      testRows = all(data.rows(holdout));
      testTable = holdout;
      testSet = "holdout";
    } else {
      int n = data.rows(real);
      int[] perm = all(n);
      rng.split("utility-split").shuffle(perm);
      int nTest = Math.max(1, n / 5);
      testRows = Arrays.copyOf(perm, nTest);
      realRows = Arrays.copyOfRange(perm, nTest, n);
      Arrays.sort(testRows);
      Arrays.sort(realRows);
      testTable = real;
      testSet = "real 20% split";
      notes.add("utility: no holdout; both models are tested on a seeded 20% split of the real "
          + "table and TRTR is fitted on the other 80%");
    }
    realRows = cap(realRows, rng.split("utility-real"));
    int[] synRows = cap(all(data.rows(synthetic)), rng.split("utility-synthetic"));
    List<Integer> feats = new ArrayList<>();
    for (int c = 0; c < data.columnCount(); c++) {
      if (c != tc) {
        feats.add(c);
      }
    }
    if (feats.isEmpty()) {
      throw new UserInputException("the tables have no feature column besides the target '"
          + target + "'");
    }
    Gbm.Task gt = task.equals("binary") ? Gbm.Task.BINARY : task.equals("multiclass")
        ? Gbm.Task.MULTICLASS : Gbm.Task.REGRESSION;
    Design test = design(data, testTable, testRows, tc, classOf, feats);
    Design tr = design(data, real, realRows, tc, classOf, feats);
    Design sy = design(data, synthetic, synRows, tc, classOf, feats);
    if (sy.rows() == 0 || test.rows() == 0) {
      throw new UserInputException("utility: no usable rows (the synthetic table or the test "
          + "set has no row with a known target '" + target + "')");
    }
    int[] cat = categoricalFeatures(data, feats);
    long seed = rng.split("utility-model").nextLong();
    Map<String, Double> tstr = new LinkedHashMap<>();
    Map<String, Double> trtr = new LinkedHashMap<>();
    double[] impS = score(gt, sy, test, cat, classNames.size(), seed, tstr, notes, "TSTR");
    double[] impR = score(gt, tr, test, cat, classNames.size(), seed, trtr, notes, "TRTR");
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (String m : tstr.keySet()) {
      double s = tstr.get(m);
      double r = trtr.getOrDefault(m, Double.NaN);
      ratios.put(m, m.equals("mae") ? r / s : s / r);
    }
    String primary = task.equals("binary") ? "auc" : task.equals("multiclass") ? "accuracy"
        : "r2";
    List<UtilityReport.FeatureImportance> imp = new ArrayList<>();
    double sr = Arrays.stream(impR).sum();
    double ss = Arrays.stream(impS).sum();
    for (int i = 0; i < feats.size(); i++) {
      imp.add(new UtilityReport.FeatureImportance(data.name(feats.get(i)),
          sr > 0 ? impR[i] / sr : 0, ss > 0 ? impS[i] / ss : 0));
    }
    imp.sort(Comparator.comparingDouble(UtilityReport.FeatureImportance::real).reversed());
    return new UtilityReport(target, task, pos, testSet, tr.rows(), sy.rows(), test.rows(),
        tstr, trtr, ratios, primary, Metrics.spearman(impR, impS), List.copyOf(imp));
  }

  private static int[] all(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  private static int[] cap(int[] rows, RandomSource rng) {
    if (rows.length <= MAX_TRAIN_ROWS) {
      return rows;
    }
    int[] pick = Aligned.sampleIndices(rows.length, MAX_TRAIN_ROWS, rng);
    int[] out = new int[pick.length];
    for (int i = 0; i < pick.length; i++) {
      out[i] = rows[pick[i]];
    }
    return out;
  }

  /** A feature matrix (row-major, NaN = missing) and labels. */
  record Design(double[] x, float[] y, int rows, int features) {}

  static int[] categoricalFeatures(Aligned data, List<Integer> feats) {
    List<Integer> cat = new ArrayList<>();
    for (int i = 0; i < feats.size(); i++) {
      if (!data.continuous(feats.get(i))) {
        cat.add(i);
      }
    }
    return cat.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Rows of table {@code t} with a usable label, as a design matrix. */
  static Design design(Aligned data, int t, int[] rows, int target, int[] classOf,
      List<Integer> feats) {
    int nf = feats.size();
    double[] x = new double[rows.length * nf];
    float[] y = new float[rows.length];
    int n = 0;
    for (int r : rows) {
      float label;
      if (classOf == null) {
        double v = data.numbers(target, t)[r];
        if (Double.isNaN(v)) {
          continue;
        }
        label = (float) v;
      } else {
        int c = data.codes(target, t)[r];
        if (classOf[c] < 0) {
          continue;
        }
        label = classOf[c];
      }
      y[n] = label;
      for (int f = 0; f < nf; f++) {
        x[n * nf + f] = value(data, feats.get(f), t, r);
      }
      n++;
    }
    return new Design(Arrays.copyOf(x, n * nf), Arrays.copyOf(y, n), n, nf);
  }

  /** A feature value: the number, or the shared category code (missing = NaN). */
  static double value(Aligned data, int c, int t, int r) {
    if (data.continuous(c)) {
      return data.numbers(c, t)[r];
    }
    int k = data.codes(c, t)[r];
    return k == data.missingCode(c) ? Double.NaN : k;
  }

  private static double[] score(Gbm.Task task, Design fit, Design test, int[] cat, int classes,
      long seed, Map<String, Double> out, List<String> notes, String label) {
    if (task != Gbm.Task.REGRESSION) {
      boolean two = false;
      for (float v : fit.y()) {
        if (v != fit.y()[0]) {
          two = true;
          break;
        }
      }
      if (!two) {
        notes.add(label + ": the fitting data has a single target class; scores are undefined");
        for (String m : task == Gbm.Task.BINARY ? List.of("auc", "accuracy", "macro_f1")
            : List.of("accuracy", "macro_f1")) {
          out.put(m, Double.NaN);
        }
        return new double[fit.features()];
      }
    }
    Gbm.Fit f = Gbm.fitPredict(task, fit.x(), fit.rows(), fit.features(), fit.y(), cat, classes,
        test.x(), test.rows(), seed, ITERATIONS);
    double[] p = f.predictions();
    int n = test.rows();
    if (task == Gbm.Task.REGRESSION) {
      double[] truth = new double[n];
      for (int i = 0; i < n; i++) {
        truth[i] = test.y()[i];
      }
      out.put("r2", Metrics.r2(truth, p));
      out.put("mae", Metrics.mae(truth, p));
    } else {
      int[] truth = new int[n];
      int[] pred = new int[n];
      for (int i = 0; i < n; i++) {
        truth[i] = (int) test.y()[i];
        if (task == Gbm.Task.BINARY) {
          pred[i] = p[i] >= 0.5 ? 1 : 0;
        } else {
          int best = 0;
          for (int k = 1; k < classes; k++) {
            if (p[i * classes + k] > p[i * classes + best]) {
              best = k;
            }
          }
          pred[i] = best;
        }
      }
      if (task == Gbm.Task.BINARY) {
        out.put("auc", Metrics.rocAuc(truth, p));
      }
      out.put("accuracy", Metrics.accuracy(truth, pred));
      out.put("macro_f1", Metrics.macroF1(truth, pred));
    }
    return f.importance();
  }
}
