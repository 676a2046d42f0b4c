package dev.ersatz.eval.utility;

import com.microsoft.ml.lightgbm.PredictionType;
import dev.ersatz.core.ErsatzException;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import io.github.metarank.lightgbm4j.LGBMException;
import java.io.IOException;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * A small wrapper over LightGBM (Ke et al., "LightGBM: A Highly Efficient Gradient Boosting
 * Decision Tree", NeurIPS 2017) through lightgbm4j: fixed seed, one thread, deterministic.
 */
public final class Gbm {
  /** What the model predicts. */
  public enum Task { BINARY, MULTICLASS, REGRESSION }

  /** A fitted model's predictions and gain importances. */
  public record Fit(double[] predictions, double[] importance) {}

  private Gbm() {}

  /**
   * Fits on {@code x} (row-major, NaN = missing) and predicts {@code test}.
   *
   * @param categorical indexes of the features holding category codes
   * @param classes number of classes (multiclass only)
   * @param iterations boosting rounds
   * @return for binary and regression one value per test row (probability of class 1, or the
   *     prediction); for multiclass {@code classes} one-vs-rest scores per row, row-major
   */
  public static Fit fitPredict(Task task, double[] x, int rows, int features, float[] y,
      int[] categorical, int classes, double[] test, int testRows, long seed, int iterations) {
    if (task == Task.MULTICLASS) {
      // one-vs-rest binary models: lightgbm4j 4.3.0-1 sizes its prediction buffer for at most
      // two values per row, so LightGBM's native multiclass objective would overflow it
      double[] out = new double[testRows * classes];
      double[] imp = new double[features];
      for (int k = 0; k < classes; k++) {
        float[] yk = new float[rows];
        int pos = 0;
        for (int i = 0; i < rows; i++) {
          yk[i] = y[i] == k ? 1f : 0f;
          pos += (int) yk[i];
        }
        if (pos == 0 || pos == rows) {
          for (int i = 0; i < testRows; i++) {
            out[i * classes + k] = pos == 0 ? 0 : 1;
          }
          continue;
        }
        Fit f = fitPredict(Task.BINARY, x, rows, features, yk, categorical, 2, test, testRows,
            seed + k, iterations);
        for (int i = 0; i < testRows; i++) {
          out[i * classes + k] = f.predictions()[i];
        }
        for (int j = 0; j < features; j++) {
          imp[j] += f.importance()[j];
        }
      }
      return new Fit(out, imp);
    }
    loadNative();
    StringJoiner cat = new StringJoiner(",");
    for (int c : categorical) {
      cat.add(Integer.toString(c));
    }
    String common = String.format(Locale.ROOT, "num_threads=1 seed=%d deterministic=true "
        + "force_row_wise=true verbosity=-1 min_data_in_bin=1 max_bin=255", seed);
    String dsParams = common + (categorical.length > 0 ? " categorical_feature=" + cat : "");
    String objective = task == Task.BINARY ? "objective=binary" : "objective=regression";
    String params = common + " " + objective + " learning_rate=0.1 num_leaves=31 "
        + "min_data_in_leaf=20 feature_fraction=1.0 bagging_fraction=1.0";
    try (LGBMDataset ds = LGBMDataset.createFromMat(x, rows, features, true, dsParams, null)) {
      ds.setField("label", y);
      try (LGBMBooster b = LGBMBooster.create(ds, params)) {
        for (int i = 0; i < iterations; i++) {
          if (b.updateOneIter()) {
            break;
          }
        }
        double[] pred = testRows == 0 ? new double[0]
            : b.predictForMat(test, testRows, features, true, PredictionType.C_API_PREDICT_NORMAL,
                "num_threads=1");
        double[] imp = b.featureImportance(0, LGBMBooster.FeatureImportanceType.GAIN);
        return new Fit(pred, imp);
      }
    } catch (LGBMException e) {
      throw new ErsatzException("LightGBM failed: " + e.getMessage(), e);
    }
  }

  private static boolean nativeLoaded;

  /**
   * Loads LightGBM's native libraries once per process, extracted into a directory of this
   * process's own. lightgbm4j extracts them to fixed names in {@code java.io.tmpdir} and
   * overwrites the files even when they exist; another process doing so while this one has them
   * mapped crashes this one (SIGSEGV), e.g. two {@code ersatz evaluate} runs at once.
   */
  private static synchronized void loadNative() {
    if (nativeLoaded) {
      return;
    }
    String tmp = System.getProperty("java.io.tmpdir");
    try {
      java.nio.file.Path own = java.nio.file.Files.createTempDirectory("ersatz-lightgbm");
      own.toFile().deleteOnExit();
      System.setProperty("java.io.tmpdir", own.toString());
      try {
        // LGBMBooster's static initialiser already extracts and loads: nothing may touch the
        // class before the property points at our directory
        Class.forName(LGBMBooster.class.getName(), true, Gbm.class.getClassLoader());
        if (!LGBMBooster.isNativeLoaded()) {
          LGBMBooster.loadNative();
        }
      } catch (ClassNotFoundException e) {
        throw new ErsatzException("LightGBM is not on the class path", e);
      } finally {
        System.setProperty("java.io.tmpdir", tmp);
      }
      nativeLoaded = true;
      // the libraries stay mapped after their files are gone (Linux); remove them at exit
      try (var files = java.nio.file.Files.list(own)) {
        files.forEach(f -> f.toFile().deleteOnExit());
      }
    } catch (IOException e) {
      throw new ErsatzException("cannot load LightGBM's native library: " + e.getMessage(), e);
    }
  }
}
