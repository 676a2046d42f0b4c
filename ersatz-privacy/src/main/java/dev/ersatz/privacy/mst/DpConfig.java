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
 * @param calendars public calendars of date columns declared by the user, {@code column ->}
 *     {@code month}, {@code year} or a weekday ({@code monday} ... {@code sunday}): sampled
 *     dates are kept on the first of each month, of January, or on that weekday. Public
 *     knowledge (a monthly report is dated on the first), so it spends nothing; a calendar is
 *     never inferred from the data
 * @param reproducibleNoise draw the DP noise from the fit's seed (for tests and debugging).
 *     Off by default: the seed is recorded in the model's provenance, and anyone who knows it
 *     can recompute and subtract the noise, so such a model is <em>not</em> differentially
 *     private and says so ({@code dp = false})
 */
public record DpConfig(double epsilon, double delta, Map<String, double[]> bounds,
    Map<String, List<String>> categories, Map<String, String> calendars,
    boolean reproducibleNoise) {
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
    Map<String, String> cal = new TreeMap<>();
    for (Map.Entry<String, String> e : calendars.entrySet()) {
      calendarOf(e.getKey(), e.getValue());
      cal.put(e.getKey(), e.getValue());
    }
    calendars = java.util.Collections.unmodifiableMap(cal);
  }

  /**
   * A declared calendar as {@code {calendar, weekRest}} of {@link ColumnModel}.
   *
   * @throws UserInputException for a value that names no calendar
   */
  static int[] calendarOf(String column, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("month")) {
      return new int[] {ColumnModel.MONTH, 0};
    }
    if (v.equals("year")) {
      return new int[] {ColumnModel.YEAR, 0};
    }
    for (java.time.DayOfWeek d : java.time.DayOfWeek.values()) {
      if (d.name().toLowerCase(Locale.ROOT).equals(v)) {
        // 1970-01-01, day 0, was a Thursday
        return new int[] {ColumnModel.WEEK,
            Math.floorMod(d.getValue() - java.time.DayOfWeek.THURSDAY.getValue(), 7)};
      }
    }
    throw new UserInputException("dp: calendar." + column + " must be month, year or a weekday"
        + " (monday ... sunday) but was '" + value + "'");
  }

  /**
   * Parses generator options: {@code epsilon}, {@code delta}, {@code bounds.<column>=lo:hi},
   * {@code categories.<column>=a|b|c}, {@code calendar.<column>=month|year|<weekday>}.
   *
   * @throws UserInputException for a missing epsilon, an unknown key or a malformed value
   */
  public static DpConfig parse(Map<String, String> options) {
    Double epsilon = null;
    double delta = DEFAULT_DELTA;
    Map<String, double[]> bounds = new LinkedHashMap<>();
    Map<String, List<String>> cats = new LinkedHashMap<>();
    Map<String, String> calendars = new LinkedHashMap<>();
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
      } else if (k.startsWith("calendar.") && k.length() > 9) {
        calendars.put(k.substring(9), v);
      } else {
        throw new UserInputException("dp: unknown option '" + k + "'; the options are epsilon, "
            + "delta, bounds.<column>=lo:hi, categories.<column>=a|b|c, "
            + "calendar.<column>=month|year|monday..sunday, reproducibleNoise");
      }
    }
    if (epsilon == null) {
      throw new UserInputException("dp: the option epsilon is required (the privacy budget of "
          + "this fit), e.g. --epsilon 1");
    }
    return new DpConfig(epsilon, delta, bounds, cats, calendars, reproducible);
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
    for (Map.Entry<String, String> e : calendars.entrySet()) {
      m.put("calendar." + e.getKey(), e.getValue());
    }
    if (reproducibleNoise) {
      m.put("reproducibleNoise", "true");
    }
    return m;
  }
}
