package dev.ersatz.eval;

import dev.ersatz.core.UserInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pass/fail thresholds on headline figures, as given to {@code --fail-under}, e.g.
 * {@code quality=0.95,tstr_auc_ratio=0.95,dcr_share=0.55}.
 *
 * <p>Each gate has a direction fixed by what its figure means. Lower bounds (the figure must be
 * at least the threshold): quality, column_shapes, column_pair_trends, accuracy, tstr_auc,
 * tstr_accuracy, tstr_macro_f1, tstr_r2, every {@code tstr_*_ratio}, tstr_ratio,
 * importance_spearman, nndr. Upper bounds (the figure must be at most the threshold; for these
 * "fail under" reads "fail over"): detection_auc, exact_match, dcr_share, dcr_share_excess,
 * mia_auc, tstr_mae.
 * A gate whose figure was not computed fails, saying what it needs.
 */
public final class Gates {
  private static final List<String> UPPER = List.of("detection_auc", "exact_match", "dcr_share",
      "dcr_share_excess", "mia_auc", "tstr_mae");
  private static final List<String> LOWER = List.of("quality", "column_shapes",
      "column_pair_trends", "accuracy", "tstr_auc", "tstr_accuracy", "tstr_macro_f1", "tstr_r2",
      "tstr_auc_ratio", "tstr_accuracy_ratio", "tstr_macro_f1_ratio", "tstr_r2_ratio",
      "tstr_mae_ratio", "tstr_ratio", "importance_spearman", "nndr");

  /** One gate. */
  public record Gate(String name, double threshold, boolean upperBound) {}

  /** One gate's outcome on a report; {@code value} is NaN when not computed. */
  public record Result(String name, double threshold, boolean upperBound, double value,
      boolean passed) {}

  private final List<Gate> gates;

  private Gates(List<Gate> gates) {
    this.gates = List.copyOf(gates);
  }

  /** No gates. */
  public static Gates none() {
    return new Gates(List.of());
  }

  /**
   * Parses {@code name=value,name=value}.
   *
   * @throws UserInputException for an unknown name (listing the known ones) or a value that is
   *     not a number
   */
  public static Gates parse(String spec) {
    List<Gate> out = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return none();
    }
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new UserInputException("--fail-under: '" + p + "' is not name=value (for example "
            + "quality=0.9)");
      }
      String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = p.substring(eq + 1).trim();
      boolean upper = UPPER.contains(name);
      if (!upper && !LOWER.contains(name)) {
        throw new UserInputException("--fail-under: unknown gate '" + name + "'; known gates: "
            + "at least " + LOWER + "; at most " + UPPER);
      }
      double t;
      try {
        t = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new UserInputException("--fail-under: the value of " + name + " must be a number "
            + "but was '" + value + "'");
      }
      if (Double.isNaN(t)) {
        throw new UserInputException("--fail-under: the value of " + name + " must be a number");
      }
      out.add(new Gate(name, t, upper));
    }
    return new Gates(out);
  }

  public List<Gate> gates() {
    return gates;
  }

  /** Every gate's outcome on {@code headline} figures (see {@link EvaluationReport#headline}). */
  public List<Result> evaluate(Map<String, Double> headline) {
    List<Result> out = new ArrayList<>();
    for (Gate g : gates) {
      Double v = headline.get(g.name());
      double x = v == null ? Double.NaN : v;
      boolean ok = !Double.isNaN(x) && (g.upperBound() ? x <= g.threshold() : x >= g.threshold());
      out.add(new Result(g.name(), g.threshold(), g.upperBound(), x, ok));
    }
    return out;
  }

  /**
   * The failed gates of a report, one line each, e.g. {@code "quality 0.8123 < 0.95"} or
   * {@code "dcr_share 0.6100 > 0.55"}; empty when all pass.
   */
  public List<String> check(EvaluationReport report) {
    List<String> fails = new ArrayList<>();
    for (Result r : evaluate(report.headline())) {
      if (!r.passed()) {
        fails.add(describe(r));
      }
    }
    return fails;
  }

  static String describe(Result r) {
    if (Double.isNaN(r.value())) {
      return r.name() + " was not computed (" + needs(r.name()) + ")";
    }
    return String.format(Locale.ROOT, "%s %.4f %s %s", r.name(), r.value(),
        r.upperBound() ? ">" : "<", trim(r.threshold()));
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String needs(String name) {
    if (name.startsWith("tstr") || name.equals("importance_spearman")) {
      return "needs --target" + (name.contains("auc") ? " with a two-class target" : "");
    }
    if (name.startsWith("dcr_share") || name.equals("mia_auc")) {
      return "needs --holdout";
    }
    return "not enough data";
  }

  /** The gates as a plain map, for reports. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Gate g : gates) {
      m.put(g.name(), (g.upperBound() ? "<= " : ">= ") + g.threshold());
    }
    return m;
  }
}
