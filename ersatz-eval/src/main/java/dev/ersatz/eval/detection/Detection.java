package dev.ersatz.eval.detection;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.eval.Aligned;
import dev.ersatz.eval.utility.Gbm;
import dev.ersatz.eval.utility.Metrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A detection test (the "classifier two-sample test" of Lopez-Paz and Oquab, "Revisiting
 * Classifier Two-Sample Tests", ICLR 2017): LightGBM learns to tell real from synthetic rows;
 * its stratified k-fold cross-validated ROC AUC says how distinguishable the tables are.
 */
public final class Detection {
  /** Rows drawn from each side at most. */
  public static final int MAX_ROWS_PER_SIDE = 10_000;
  /** Folds. */
  public static final int FOLDS = 5;
  /** Boosting rounds. */
  public static final int ITERATIONS = 50;

  private Detection() {}

  /**
   * Runs the detection test on all compared columns.
   *
   * @param real index of the real table in {@code data}
   * @param synthetic index of the synthetic table
   * @return the report; AUC NaN when a side has fewer rows than folds
   */
  public static DetectionReport compute(Aligned data, int real, int synthetic,
      RandomSource rng) {
    int n = Math.min(MAX_ROWS_PER_SIDE, Math.min(data.rows(real), data.rows(synthetic)));
    int nf = data.columnCount();
    if (n < FOLDS || nf == 0) {
      return new DetectionReport(Double.NaN, new double[0], n, List.of());
    }
    int[] rr = Aligned.sampleIndices(data.rows(real), n, rng.split("real"));
    int[] sr = Aligned.sampleIndices(data.rows(synthetic), n, rng.split("synthetic"));
    rng.split("shuffle-real").shuffle(rr);
    rng.split("shuffle-synthetic").shuffle(sr);
    List<Integer> feats = new ArrayList<>();
    for (int c = 0; c < nf; c++) {
      feats.add(c);
    }
    int[] cat = new int[0];
    List<Integer> catList = new ArrayList<>();
    for (int c = 0; c < nf; c++) {
      if (!data.continuous(c)) {
        catList.add(c);
      }
    }
    cat = catList.stream().mapToInt(Integer::intValue).toArray();
    // row i of side s goes to fold i % FOLDS: stratified, both sides equally large
    double[][] x = {matrix(data, real, rr), matrix(data, synthetic, sr)};
    double[] aucs = new double[FOLDS];
    double[] gain = new double[nf];
    long seed = rng.split("model").nextLong();
    for (int f = 0; f < FOLDS; f++) {
      int nTest = 0;
      for (int i = 0; i < n; i++) {
        if (i % FOLDS == f) {
          nTest++;
        }
      }
      int nTrain = n - nTest;
      double[] tr = new double[2 * nTrain * nf];
      float[] y = new float[2 * nTrain];
      double[] te = new double[2 * nTest * nf];
      int[] yt = new int[2 * nTest];
      int a = 0;
      int b = 0;
      for (int s = 0; s < 2; s++) {
        for (int i = 0; i < n; i++) {
          if (i % FOLDS == f) {
            System.arraycopy(x[s], i * nf, te, b * nf, nf);
            yt[b++] = s;
          } else {
            System.arraycopy(x[s], i * nf, tr, a * nf, nf);
            y[a++] = s;
          }
        }
      }
      Gbm.Fit fit = Gbm.fitPredict(Gbm.Task.BINARY, tr, 2 * nTrain, nf, y, cat, 2, te,
          2 * nTest, seed + f, ITERATIONS);
      aucs[f] = Metrics.rocAuc(yt, fit.predictions());
      for (int c = 0; c < nf; c++) {
        gain[c] += fit.importance()[c];
      }
    }
    double total = 0;
    for (double g : gain) {
      total += g;
    }
    List<DetectionReport.Feature> top = new ArrayList<>();
    for (int c = 0; c < nf; c++) {
      top.add(new DetectionReport.Feature(data.name(c), total > 0 ? gain[c] / total : 0));
    }
    top.sort(Comparator.comparingDouble(DetectionReport.Feature::gainShare).reversed());
    double mean = 0;
    for (double v : aucs) {
      mean += v;
    }
    return new DetectionReport(mean / FOLDS, aucs, n, List.copyOf(top.subList(0,
        Math.min(5, top.size()))));
  }

  private static double[] matrix(Aligned data, int t, int[] rows) {
    int nf = data.columnCount();
    double[] x = new double[rows.length * nf];
    for (int i = 0; i < rows.length; i++) {
      for (int c = 0; c < nf; c++) {
        if (data.continuous(c)) {
          x[i * nf + c] = data.numbers(c, t)[rows[i]];
        } else {
          int k = data.codes(c, t)[rows[i]];
          x[i * nf + c] = k == data.missingCode(c) ? Double.NaN : k;
        }
      }
    }
    return x;
  }
}
