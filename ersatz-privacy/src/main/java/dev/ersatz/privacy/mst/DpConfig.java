package dev.ersatz.privacy.mst;

import dev.ersatz.core.UserInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of the {@code dp} generator.
 *
 * @param epsilon the (epsilon, delta)-DP target, {@code > 0}
 * @param delta the (epsilon, delta)-DP target, in (0, 1e-3]; default {@link #DEFAULT_DELTA}
 * @param bounds public numeric domains declared by the user, {@code column -> [lo, hi]}; such
 *     columns are binned on that range and spend nothing to find it
 * @param categories public category lists declared by the user, {@code column -> values};
 *     such columns skip the thresholded category discovery (values outside the list are
 *     never emitted)
 * @param reproducibleNoise draw the DP noise from the fit's seed (for tests and debugging).
 *     Off by default: the seed is recorded in the model's provenance, and anyone who knows it
 *     can recompute and subtract the noise, so such a model is <em>not</em> differentially
 *     private and says so ({@code dp = false})
 */
public record DpConfig(double epsilon, double delta, Map<String, double[]> bounds,
    Map<String, List<String>> categories, boolean reproducibleNoise) {
  /**
   * Default delta: 1e-6, a fixed value rather than 1/n^2, because n is itself private; for
   * tables of more than about 1,000 rows, 1e-6 is below 1/n as usually recommended. Pass a
   * smaller delta for larger tables if your policy asks for delta &lt;&lt; 1/n.
   */
  public static final double DEFAULT_DELTA = 1e-6;

  public DpConfig {
    if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
      throw new UserInputException("dp: epsilon must be > 0 but was " + epsilon
          + "; pass e.g. --epsilon 1");
    }
    if (!(delta > 0) || delta > 1e-3) {
      throw new UserInputException("dp: delta must be in (0, 0.001] but was " + delta
          + "; the default is 1e-6");
    }
    Map<String, double[]> b = new TreeMap<>();
    for (Map.Entry<String, double[]> e : bounds.entrySet()) {
      double[] v = e.getValue();
      if (v.length != 2 || !(v[0] < v[1]) || !Double.isFinite(v[0]) || !Double.isFinite(v[1])) {
        throw new UserInputException("dp: bounds." + e.getKey() + " must be lo:hi with lo < hi");
      }
      b.put(e.getKey(), v.clone());
    }
    bounds = java.util.Collections.unmodifiableMap(b);
    Map<String, List<String>> c = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : categories.entrySet()) {
      if (e.getValue().isEmpty()) {
        throw new UserInputException("dp: categories." + e.getKey() + " lists no value");
      }
      c.put(e.getKey(), List.copyOf(e.getValue()));
    }
    categories = java.util.Collections.unmodifiableMap(c);
  }

  /**
   * Parses generator options: {@code epsilon}, {@code delta}, {@code bounds.<column>=lo:hi},
   * {@code categories.<column>=a|b|c}.
   *
   * @throws UserInputException for a missing epsilon, an unknown key or a malformed value
   */
  public static DpConfig parse(Map<String, String> options) {
    Double epsilon = null;
    double delta = DEFAULT_DELTA;
    Map<String, double[]> bounds = new LinkedHashMap<>();
    Map<String, List<String>> cats = new LinkedHashMap<>();
    boolean reproducible = false;
    for (Map.Entry<String, String> e : options.entrySet()) {
      String k = e.getKey();
      String v = e.getValue().trim();
      if (k.equals("epsilon")) {
        epsilon = number(k, v);
      } else if (k.equals("delta")) {
        delta = number(k, v);
      } else if (k.equals("reproducibleNoise")) {
        if (!v.equals("true") && !v.equals("false")) {
          throw new UserInputException("dp: reproducibleNoise must be true or false but was '"
              + v + "'");
        }
        reproducible = v.equals("true");
      } else if (k.startsWith("bounds.") && k.length() > 7) {
        String[] parts = v.split(":", -1);
        if (parts.length != 2) {
          throw new UserInputException("dp: " + k + " must be lo:hi but was '" + v + "'");
        }
        bounds.put(k.substring(7), new double[] {number(k, parts[0]), number(k, parts[1])});
      } else if (k.startsWith("categories.") && k.length() > 11) {
        cats.put(k.substring(11), new ArrayList<>(Arrays.asList(v.split("\\|", -1))));
      } else {
        throw new UserInputException("dp: unknown option '" + k + "'; the options are epsilon, "
            + "delta, bounds.<column>=lo:hi, categories.<column>=a|b|c, reproducibleNoise");
      }
    }
    if (epsilon == null) {
      throw new UserInputException("dp: the option epsilon is required (the privacy budget of "
          + "this fit), e.g. --epsilon 1");
    }
    return new DpConfig(epsilon, delta, bounds, cats, reproducible);
  }

  private static double number(String key, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new UserInputException("dp: " + key + " must be a number but was '" + v + "'");
    }
  }

  /** The options as given, for provenance; parses back with {@link #parse}. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epsilon", Double.toString(epsilon));
    m.put("delta", Double.toString(delta));
    for (Map.Entry<String, double[]> e : bounds.entrySet()) {
      m.put("bounds." + e.getKey(), String.format(Locale.ROOT, "%s:%s",
          Double.toString(e.getValue()[0]), Double.toString(e.getValue()[1])));
    }
    for (Map.Entry<String, List<String>> e : categories.entrySet()) {
      m.put("categories." + e.getKey(), String.join("|", e.getValue()));
    }
    if (reproducibleNoise) {
      m.put("reproducibleNoise", "true");
    }
    return m;
  }
}
