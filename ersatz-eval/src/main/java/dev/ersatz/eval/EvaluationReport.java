package dev.ersatz.eval;

import dev.ersatz.eval.detection.DetectionReport;
import dev.ersatz.eval.fidelity.FidelityReport;
import dev.ersatz.eval.privacy.PrivacyReport;
import dev.ersatz.eval.utility.UtilityReport;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one evaluation found: fidelity (with the holdout's own figures as the ceiling),
 * utility, detection and privacy, with warnings, notes, gate results and the data behind the
 * report's plots. Parts that were not computed are {@code null}.
 *
 * @param rowsReal rows of the real (training) table
 * @param rowsSynthetic rows of the synthetic table
 * @param rowsHoldout rows of the holdout, 0 without one
 * @param columnKinds compared columns and their kind ("continuous" or "categorical")
 * @param fidelity synthetic against real
 * @param fidelityCeiling holdout against real (what new real data scores), or null
 * @param utility TSTR/TRTR, or null without a target
 * @param detection real-vs-synthetic classifier, or null when skipped
 * @param privacy privacy figures, or null when skipped
 * @param gates gate results (empty without gates)
 * @param plots histograms for the report's pictures
 * @param warnings things that make figures unreliable
 * @param notes what was converted, subsampled or left out
 * @param seconds wall time per stage
 * @param seed the seed of every random choice
 */
public record EvaluationReport(int rowsReal, int rowsSynthetic, int rowsHoldout,
    Map<String, String> columnKinds, FidelityReport fidelity, FidelityReport fidelityCeiling,
    UtilityReport utility, DetectionReport detection, PrivacyReport privacy,
    List<Gates.Result> gates, Plots plots, List<String> warnings, List<String> notes,
    Map<String, Double> seconds, long seed) {

  /** A histogram of one column (or of distances) in the real, synthetic and holdout tables. */
  public record Histogram(String name, String kind, List<String> labels, double[] real,
      double[] synthetic, double[] holdout) {}

  /** Data for the pictures: per-column distributions and the DCR distributions. */
  public record Plots(List<Histogram> columns, Histogram dcr) {}

  /**
   * The headline figures by the names gates use (see {@link Gates}): quality, column_shapes,
   * column_pair_trends, accuracy, their {@code _ceiling} twins, tstr_auc, tstr_accuracy,
   * tstr_macro_f1, tstr_r2, the matching {@code _ratio}s and tstr_ratio (primary metric),
   * importance_spearman, detection_auc, exact_match, dcr_share, dcr_share_marginals,
   * dcr_share_excess (the first minus the second), dcr_share_marginals_given_target (with a
   * categorical target), nndr, mia_auc. Figures that were not computed are absent.
   */
  public Map<String, Double> headline() {
    Map<String, Double> h = new LinkedHashMap<>();
    putFidelity(h, fidelity, "");
    putFidelity(h, fidelityCeiling, "_ceiling");
    if (utility != null) {
      for (Map.Entry<String, Double> e : utility.tstr().entrySet()) {
        h.put("tstr_" + e.getKey(), e.getValue());
        h.put("trtr_" + e.getKey(), utility.trtr().get(e.getKey()));
        h.put("tstr_" + e.getKey() + "_ratio", utility.ratios().get(e.getKey()));
      }
      h.put("tstr_ratio", utility.ratios().get(utility.primaryMetric()));
      h.put("importance_spearman", utility.importanceSpearman());
    }
    if (detection != null) {
      h.put("detection_auc", detection.auc());
    }
    if (privacy != null) {
      h.put("exact_match", privacy.exactMatchTrain());
      h.put("exact_match_baseline", privacy.baselineHoldoutInTrain());
      h.put("dcr_share", privacy.dcrShare());
      h.put("dcr_share_marginals", privacy.dcrShareMarginals());
      h.put("dcr_share_excess", privacy.dcrShare() - privacy.dcrShareMarginals());
      if (Double.isFinite(privacy.dcrShareMarginalsGivenTarget())) {
        h.put("dcr_share_marginals_given_target", privacy.dcrShareMarginalsGivenTarget());
      }
      h.put("nndr", privacy.nndrSyntheticMedian());
      h.put("mia_auc", privacy.membershipAuc());
    }
    h.values().removeIf(v -> v == null || Double.isNaN(v));
    return h;
  }

  private static void putFidelity(Map<String, Double> h, FidelityReport f, String suffix) {
    if (f == null) {
      return;
    }
    h.put("quality" + suffix, f.quality());
    h.put("column_shapes" + suffix, f.columnShapes());
    h.put("column_pair_trends" + suffix, f.columnPairTrends());
    h.put("accuracy" + suffix, f.accuracy());
  }

  private static final Set<String> NOT_IN_JSON = Set.of("dcrSynthetic", "dcrHoldout");

  /**
   * The report as plain JSON values (maps with snake_case keys, lists, strings, numbers,
   * booleans; NaN becomes null when written) for {@link dev.ersatz.core.json.Json}. Raw
   * distance arrays are left out (their histograms are in {@code plots}).
   */
  public Map<String, Object> toJson() {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) plain(this);
    m.put("headline", new LinkedHashMap<>(headline()));
    m.put("format", "ersatz-evaluation-report/1");
    return m;
  }

  private static Object plain(Object v) {
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    if (v instanceof double[] a) {
      List<Object> out = new ArrayList<>();
      for (double x : a) {
        out.add(x);
      }
      return out;
    }
    if (v instanceof Enum<?> e) {
      return e.name().toLowerCase(java.util.Locale.ROOT);
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put(String.valueOf(e.getKey()), plain(e.getValue()));
      }
      return out;
    }
    if (v instanceof Iterable<?> it) {
      List<Object> out = new ArrayList<>();
      for (Object o : it) {
        out.add(plain(o));
      }
      return out;
    }
    if (v instanceof Record r) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        if (NOT_IN_JSON.contains(c.getName())) {
          continue;
        }
        try {
          out.put(snake(c.getName()), plain(c.getAccessor().invoke(r)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + c.getName(), e);
        }
      }
      return out;
    }
    return v.toString();
  }

  static String snake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        sb.append('_').append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }
}
