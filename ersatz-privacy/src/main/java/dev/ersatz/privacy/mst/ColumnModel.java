package dev.ersatz.privacy.mst;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.DateCalendars;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the model knows about one learned column: its released fine levels (categories, or
 * value intervals for numbers, plus a missing level, always last), their noisy 1-way
 * probabilities, and the coarser grouping of fine levels that the tree's 2-way marginals are
 * measured on. Immutable; everything here is a post-processing of noisy releases.
 */
final class ColumnModel {
  enum Kind { CATEGORICAL, NUMERIC, DATETIME }

  final int column;
  final Kind kind;
  final List<String> categories;
  final double[] lo;
  final double[] hi;
  final boolean integer;
  final int scale;
  final boolean dateOnly;
  final double[] fineProb;
  final int[] coarseOf;
  final int coarseCount;
  final double[] coarseProb;
  /**
   * The calendar a date column's values keep, declared by the user as public knowledge
   * ({@code calendar.<column>}, see {@link DpConfig}): {@link #WEEK}, {@link #MONTH},
   * {@link #YEAR}, or 0 for none. Sampled dates are moved to the nearest date on it within the
   * released range; nothing about it is read from the data.
   */
  final int calendar;
  /** For {@link #WEEK}: the weekday's day number (days since 1970-01-01) modulo 7. */
  final int weekRest;
  private final double[] withinProb;
  private final double roundFactor;
  /** The released range: the lower edge of the first level drawn, the upper of the last. */
  private final double rangeLo;
  private final double rangeHi;

  static final int WEEK = DateCalendars.WEEK;
  static final int MONTH = DateCalendars.MONTH;
  static final int YEAR = DateCalendars.YEAR;

  ColumnModel(int column, Kind kind, List<String> categories, double[] lo, double[] hi,
      boolean integer, int scale, boolean dateOnly, double[] fineProb, int[] coarseOf,
      int coarseCount, double[] coarseProb) {
    this(column, kind, categories, lo, hi, integer, scale, dateOnly, fineProb, coarseOf,
        coarseCount, coarseProb, 0, 0);
  }

  private ColumnModel(int column, Kind kind, List<String> categories, double[] lo, double[] hi,
      boolean integer, int scale, boolean dateOnly, double[] fineProb, int[] coarseOf,
      int coarseCount, double[] coarseProb, int calendar, int weekRest) {
    if (calendar != 0 && (kind != Kind.DATETIME || !dateOnly)) {
      throw new ModelFormatException("dp model: a calendar on column " + column
          + ", which is not a date column");
    }
    if (calendar < 0 || calendar > YEAR || weekRest < 0 || weekRest > 6) {
      throw new ModelFormatException("dp model: bad calendar of column " + column);
    }
    this.calendar = calendar;
    this.weekRest = weekRest;
    this.column = column;
    this.kind = kind;
    this.categories = categories == null ? List.of() : List.copyOf(categories);
    this.lo = lo == null ? new double[0] : lo.clone();
    this.hi = hi == null ? new double[0] : hi.clone();
    this.integer = integer;
    this.scale = scale;
    this.dateOnly = dateOnly;
    this.fineProb = fineProb.clone();
    this.coarseOf = coarseOf.clone();
    this.coarseCount = coarseCount;
    this.coarseProb = coarseProb.clone();
    int values = kind == Kind.CATEGORICAL ? this.categories.size() : this.lo.length;
    if (fineProb.length != values + 1 || coarseOf.length != values + 1
        || coarseProb.length != coarseCount) {
      throw new ModelFormatException("dp model: inconsistent sizes for column " + column);
    }
    for (int c : coarseOf) {
      if (c < 0 || c >= coarseCount) {
        throw new ModelFormatException("dp model: coarse level " + c + " out of range");
      }
    }
    this.roundFactor = Math.pow(10, scale);
    this.withinProb = buildWithin();
    int first = -1;
    int last = -1;
    for (int f = 0; f < this.lo.length; f++) {
      if (fineProb[f] > 0) {
        first = first < 0 ? f : first;
        last = f;
      }
    }
    this.rangeLo = first < 0 ? Double.NaN : this.lo[first];
    this.rangeHi = first < 0 ? Double.NaN : this.hi[last];
  }

  /** This column with its dates kept on a calendar ({@link #calendar}). */
  ColumnModel withCalendar(int cal, int rest) {
    return new ColumnModel(column, kind, categories, lo, hi, integer, scale, dateOnly, fineProb,
        coarseOf, coarseCount, coarseProb, cal, rest);
  }

  /** This column's probabilities of coarse levels replaced, everything else kept. */
  ColumnModel withCoarseProb(double[] prob) {
    return new ColumnModel(column, kind, categories, lo, hi, integer, scale, dateOnly, fineProb,
        coarseOf, coarseCount, prob, calendar, weekRest);
  }

  int fineCount() {
    return fineProb.length;
  }

  int missingFine() {
    return fineProb.length - 1;
  }

  /**
   * P(fine | its coarse level) for every fine level. A coarse level whose members all have
   * zero weight (or that has no member) gets its draws spread by the column's 1-way
   * distribution over its values instead; see {@link #coarseProb}'s post-processing.
   */
  private double[] buildWithin() {
    double[] groupMass = new double[coarseCount];
    for (int f = 0; f < fineProb.length; f++) {
      groupMass[coarseOf[f]] += fineProb[f];
    }
    double[] w = new double[fineProb.length];
    int[] members = new int[coarseCount];
    for (int f = 0; f < fineProb.length; f++) {
      members[coarseOf[f]]++;
    }
    for (int f = 0; f < fineProb.length; f++) {
      int g = coarseOf[f];
      w[f] = groupMass[g] > 0 ? fineProb[f] / groupMass[g] : 1.0 / members[g];
    }
    return w;
  }

  double[] withinProb() {
    return withinProb.clone();
  }

  /** A number drawn uniformly within fine level {@code f} (not the missing level). */
  double valueOf(int f, RandomSource rng) {
    double a = lo[f];
    double b = hi[f];
    double u = rng.nextDouble();
    if (kind == Kind.DATETIME) {
      double v = Math.floor(a + u * (b - a));
      if (dateOnly) {
        v = Math.floor(v / 86400.0) * 86400.0;
        if (calendar != 0) {
          v = onCalendar(v);
        }
      }
      return v;
    }
    if (integer) {
      double v = Math.floor(a + u * (b - a));
      return v >= b ? b - 1 : v;
    }
    double v = a + u * (b - a);
    return Math.rint(v * roundFactor) / roundFactor;
  }

  /** The nearest date on the calendar within the released range, or {@code x} if none is. */
  private double onCalendar(double x) {
    return DateCalendars.nearest(calendar, weekRest, x, rangeLo, rangeHi, true);
  }

  /** The calendar in words for {@code inspect} ("on the first of each month"), or null. */
  String calendarDescription() {
    return DateCalendars.describe(calendar, weekRest);
  }

  /**
   * What this column releases, for {@code inspect}: the sampled range of a number or time (from
   * the lowest to the highest fine level with positive probability) and its bin count, or the
   * number of released categories; then the share of missing values when there is one. All of
   * it is read off the noisy releases, so it is as safe to show as the model file itself.
   *
   * @param timeOnly the column is a time of day: its edges are shown as times
   */
  String summary(boolean timeOnly) {
    StringBuilder sb = new StringBuilder();
    int levels = fineProb.length - 1;
    if (kind == Kind.CATEGORICAL) {
      sb.append(levels).append(levels == 1 ? " category" : " categories");
    } else {
      int first = -1;
      int last = -1;
      int bins = 0;
      for (int f = 0; f < levels; f++) {
        if (fineProb[f] > 0) {
          first = first < 0 ? f : first;
          last = f;
          bins++;
        }
      }
      if (bins == 0) {
        sb.append("no values");
      } else {
        sb.append(shown(lo[first], false, timeOnly)).append(" to ")
            .append(shown(hi[last], true, timeOnly))
            .append(" in ").append(bins).append(bins == 1 ? " bin" : " bins");
      }
    }
    if (calendar != 0) {
      sb.append(", ").append(calendarDescription()).append(" (declared)");
    }
    double missing = fineProb[levels];
    if (missing > 0) {
      sb.append(String.format(java.util.Locale.ROOT, ", missing %.1f%%", 100 * missing));
    }
    return sb.toString();
  }

  /** A level edge as {@link #valueOf} would emit it: {@code upper} edges are exclusive. */
  private String shown(double edge, boolean upper, boolean timeOnly) {
    if (kind == Kind.DATETIME) {
      long secs = (long) Math.floor(upper ? edge - 1 : edge);
      if (timeOnly) {
        return java.time.LocalTime.ofSecondOfDay(Math.floorMod(secs, 86400L)).toString();
      }
      java.time.Instant t = java.time.Instant.ofEpochSecond(secs);
      return dateOnly ? t.atZone(java.time.ZoneOffset.UTC).toLocalDate().toString() : t.toString();
    }
    if (integer) {
      double v = upper ? Math.ceil(edge) - 1 : Math.floor(edge);
      return Long.toString((long) v);
    }
    return java.math.BigDecimal.valueOf(Math.rint(edge * roundFactor) / roundFactor)
        .setScale(scale, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("column", column);
    m.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
    if (kind == Kind.CATEGORICAL) {
      m.put("categories", categories);
    } else {
      m.put("lo", list(lo));
      m.put("hi", list(hi));
      m.put("integer", integer);
      m.put("scale", scale);
      m.put("dateOnly", dateOnly);
      if (calendar != 0) {
        m.put("calendar", DateCalendars.NAMES.get(calendar));
        if (calendar == WEEK) {
          m.put("weekRest", weekRest);
        }
      }
    }
    m.put("fineProb", list(fineProb));
    List<Object> co = new ArrayList<>();
    for (int c : coarseOf) {
      co.add(c);
    }
    m.put("coarseOf", co);
    m.put("coarseCount", coarseCount);
    m.put("coarseProb", list(coarseProb));
    return m;
  }

  static ColumnModel fromJson(JsonMap j) {
    Kind kind;
    try {
      kind = Kind.valueOf(j.str("kind").toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("dp model: unknown column kind '" + j.str("kind") + "'");
    }
    if (kind == Kind.CATEGORICAL) {
      return new ColumnModel(j.integer("column"), kind, j.strings("categories"), null, null,
          false, 0, false, j.doubles("fineProb"), j.ints("coarseOf"), j.integer("coarseCount"),
          j.doubles("coarseProb"));
    }
    int cal = 0;
    if (j.has("calendar")) {
      cal = DateCalendars.NAMES.indexOf(j.str("calendar"));
      if (cal <= 0) {
        throw new ModelFormatException("dp model: unknown calendar '" + j.str("calendar")
            + "' (known: week, month, year)");
      }
    }
    return new ColumnModel(j.integer("column"), kind, null, j.doubles("lo"), j.doubles("hi"),
        j.bool("integer", false), j.integer("scale", 0), j.bool("dateOnly", false),
        j.doubles("fineProb"), j.ints("coarseOf"), j.integer("coarseCount"),
        j.doubles("coarseProb"), cal, cal == WEEK ? j.integer("weekRest", -1) : 0);
  }

  static List<Object> list(double[] a) {
    List<Object> out = new ArrayList<>(a.length);
    for (double x : a) {
      out.add(x);
    }
    return out;
  }
}
