package dev.ersatz.privacy.mst;

import dev.ersatz.core.schema.ColumnType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A data-independent partition of the real line into buckets {@code [e[t], e[t+1])}, chosen
 * from the column's type (or from bounds the user declared), never from the data. Values
 * outside the outer edges fall into the outermost buckets (clamping, which keeps the
 * sensitivity of a histogram at 1).
 *
 * <ul>
 *   <li>integers: one bucket per integer in [-256, 256], then 16 buckets per octave
 *       (relative width 4.4%) out to +-2^50;
 *   <li>decimals: 16 buckets per octave from 2^-20 to 2^50 on each side of 0;
 *   <li>datetimes: one bucket per week from 1900-01-01 to 2100-01-01 (UTC); times of day (a
 *       pattern without a date) one bucket per 5 minutes over the day (so that a small table's
 *       median fallback, which looks at most 64 buckets either side, spans hours);
 *   <li>declared bounds {@code [lo, hi]}: the type's grid clipped to them (1024 equal
 *       buckets for a decimal range too narrow for the grid); the sampled range then reaches
 *       the bounds (see DpSynthesizer).
 * </ul>
 */
final class Grid {
  static final double PER_OCTAVE = 16;
  private final double[] edges;
  private final boolean integer;
  private final boolean wholeDomain;

  private Grid(double[] edges, boolean integer) {
    this(edges, integer, false);
  }

  private Grid(double[] edges, boolean integer, boolean wholeDomain) {
    this.edges = edges;
    this.integer = integer;
    this.wholeDomain = wholeDomain;
  }

  /**
   * Whether the grid covers its type's whole domain in a few hundred buckets, known without the
   * data (a time of day), rather than a stretch of an unbounded line.
   */
  boolean wholeDomain() {
    return wholeDomain;
  }

  static Grid forType(ColumnType type, double[] bounds) {
    boolean integer = type instanceof ColumnType.Numeric n && n.integer();
    Grid g = unbounded(type, integer);
    if (bounds == null) {
      return g;
    }
    // Declared bounds clip the type's grid: buckets keep their fine resolution (and exact
    // unit buckets such as 0), and the outer edges become the declared bounds.
    double lo = integer ? Math.ceil(bounds[0]) : bounds[0];
    double hi = integer ? Math.floor(bounds[1]) + 1 : Math.nextUp(bounds[1]);
    TreeSet<Double> set = new TreeSet<>();
    set.add(lo);
    set.add(hi);
    for (double e : g.edges) {
      if (e > lo && e < hi) {
        set.add(e);
      }
    }
    if (set.size() < 3 && !integer) {
      return bounded(lo, bounds[1], false);
    }
    return new Grid(set.stream().mapToDouble(Double::doubleValue).toArray(), integer);
  }

  private static Grid unbounded(ColumnType type, boolean integer) {
    if (type instanceof ColumnType.Datetime dt && dt.timeOnly()) {
      // a time of day: its domain is the day, known from the type (no value can fall outside)
      double[] e = new double[289];
      for (int t = 0; t <= 288; t++) {
        e[t] = t * 300.0;
      }
      return new Grid(e, false, true);
    }
    if (type instanceof ColumnType.Datetime) {
      double start = -2208988800.0; // 1900-01-01T00:00:00Z
      double end = 4102444800.0; // 2100-01-01T00:00:00Z
      int m = (int) Math.ceil((end - start) / 604800.0);
      double[] e = new double[m + 1];
      for (int t = 0; t <= m; t++) {
        e[t] = start + t * 604800.0;
      }
      return new Grid(e, false);
    }
    TreeSet<Double> set = new TreeSet<>();
    if (integer) {
      for (int v = -256; v <= 257; v++) {
        set.add((double) v);
      }
      for (int k = 0; k <= 50 * PER_OCTAVE; k++) {
        double x = Math.ceil(Math.pow(2, k / PER_OCTAVE));
        if (x > 257) {
          set.add(x);
          set.add(-(x - 1));
        }
      }
    } else {
      set.add(0.0);
      for (int k = (int) (-20 * PER_OCTAVE); k <= 50 * PER_OCTAVE; k++) {
        double x = Math.pow(2, k / PER_OCTAVE);
        set.add(x);
        set.add(-x);
      }
    }
    double[] e = new double[set.size()];
    int i = 0;
    for (double x : set) {
      e[i++] = x;
    }
    return new Grid(e, integer);
  }

  private static Grid bounded(double lo, double hi, boolean integer) {
    double[] e = new double[1025];
    for (int t = 0; t <= 1024; t++) {
      e[t] = lo + (hi - lo) * t / 1024.0;
    }
    e[1024] = Math.nextUp(hi);
    return new Grid(e, false);
  }

  int size() {
    return edges.length - 1;
  }

  /**
   * This grid with buckets {@code [from, to)} each split in {@code parts} equal buckets (an
   * integer grid's at whole numbers, at most one bucket per whole number). The choice of buckets
   * must come from released (noisy) values only, never from the data.
   */
  Grid refine(int from, int to, int parts) {
    List<Double> e = new ArrayList<>();
    for (int t = 0; t < from; t++) {
      e.add(edges[t]);
    }
    for (int t = from; t < to; t++) {
      double a = edges[t];
      double w = edges[t + 1] - a;
      int p = integer ? (int) Math.max(1, Math.min(parts, Math.round(w))) : parts;
      for (int i = 0; i < p; i++) {
        e.add(integer ? a + Math.floor(w * i / p) : a + w * i / p);
      }
    }
    for (int t = to; t < edges.length; t++) {
      e.add(edges[t]);
    }
    return new Grid(e.stream().mapToDouble(Double::doubleValue).toArray(), integer, wholeDomain);
  }

  double lo(int t) {
    return edges[t];
  }

  double hi(int t) {
    return edges[t + 1];
  }

  boolean integer() {
    return integer;
  }

  /** The bucket of {@code v} (not NaN); outside values clamp to the outer buckets. */
  int bucket(double v) {
    if (v < edges[0]) {
      return 0;
    }
    if (v >= edges[edges.length - 1]) {
      return edges.length - 2;
    }
    int i = Arrays.binarySearch(edges, v);
    if (i >= 0) {
      return Math.min(i, edges.length - 2);
    }
    return -i - 2;
  }
}
