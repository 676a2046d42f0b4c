package dev.ersatz.models.codec;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.schema.DateCalendars;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.models.PrivacySettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cells of a numeric or datetime column: frequent exact values ("spikes", e.g. a capital gain
 * of 0 or an age of 40), and quantile ranges over the other values, each range carrying its own
 * density as a piecewise-linear quantile function. Sampling a range draws from that density,
 * so values are smooth inside cells rather than piled on bin edges.
 *
 * <p>Privacy: values are first clipped to [{@code k}-th smallest, {@code k}-th largest] (the
 * {@code 2k}-th on columns of at least {@link #WIDE_TAILS} values), the values beyond becoming
 * one tail value each side (on columns of fewer than {@link #SPREAD_TAILS} values, half of a
 * tail's draws spread evenly between the clip bound and that value; on columns of at least
 * {@link #WIDE_TAILS} values a tail thinned by ties at the bound borrows draws from the cell
 * next to it, {@link #tailShareHi}); a value
 * becomes a spike only when at least {@code max(k, 1%)} of rows share it; ranges hold at least
 * {@code 2k} rows and each segment between two stored quantiles spans at least {@code k} rows,
 * so every stored quantile summarises a group, not a person. A column with fewer than {@code 2k}
 * values stores only a value that {@code k} of them share, if any, and otherwise none (it comes
 * out empty).
 */
public final class NumericCodec implements ColumnCodec {
  /** At most this many spikes, at most this many ranges. */
  static final int MAX_SPIKES = 40;
  /**
   * Columns with at least this many values top-code up to 2k - 1 rows on each side instead of
   * k - 1: a tail of k - 1 rows is missed by about one sample in fifty of the table's size, and
   * every pair score binned on the column's min and max then falls to about 0.05; a tail of
   * 2k - 1 rows almost never is. On smaller columns the wider tail would move a visible share of
   * rows to the extreme (455 rows: pair trends -0.008), so they keep k - 1.
   */
  static final int WIDE_TAILS = 1000;
  /**
   * Columns with fewer values than this spread half of each tail between the clip bound and
   * the tail value. Larger columns keep the tail on its single value: a sample of the table's
   * size then draws the tail value, the column's extreme, almost surely. Spread on
   * census@1000's columns, one sample of two missed an extreme, and its pair trends fell from
   * 0.931 to 0.896.
   */
  static final int SPREAD_TAILS = 200;
  /**
   * The largest share of the cell next to a thin tail whose draws go to the tail value (see
   * {@link #tailShareHi}).
   */
  static final double MAX_TAIL_SHARE = 0.5;
  /** Rows that must share a real extreme for it to be emitted as the top-coded value. */
  static final int SHARED_EXTREME = 2;
  static final int MAX_RANGES = 24;
  /** Sub-quantiles stored per range. */
  static final int RANGE_QUANTILES = 16;

  /** Inner clip bounds (k-th or 2k-th order statistics); values beyond go to the tail cells. */
  private final double lo;
  private final double hi;
  /** Top-coded tail values, or NaN when the column has none on that side. */
  private final double tailLo;
  private final double tailHi;
  /** Rounding step of output values: 1 for integers, 86400 for dates, 10^-scale for decimals. */
  private final double step;
  /** Per value cell: NaN-free quantiles; a spike has a single entry. */
  private final double[][] cellQuantiles;
  private final double[] probs;
  private final boolean hasMissing;
  /** Spikes sorted by value, with their cells, for encoding. */
  private final double[] spikeValues;
  private final int[] spikeCells;
  /** The smallest and largest value the codec emits ({@link #lower}, {@link #upper}). */
  private final double lowest;
  private final double highest;
  /** The cells of the low and high tails, or -1. */
  private final int tailLoCell;
  private final int tailHiCell;
  /** Ranges sorted by lower end, with their cells. */
  private final double[] rangeLows;
  private final int[] rangeCells;
  /**
   * The cells' quantiles end to end, cell {@code c}'s at {@code [knotStart[c],
   * knotStart[c + 1])}: decoding reads one array instead of chasing a row of
   * {@link #cellQuantiles} per value.
   */
  private final double[] knots;
  private final int[] knotStart;
  /**
   * The calendar grid every real date lies on, which output dates keep: {@link #WEEK} (all on
   * one weekday), {@link #MONTH} (all on the first of a month), {@link #YEAR} (all on the first
   * of January), or 0 for none. Monthly series came out on any day of the month.
   */
  private final int calendar;
  /** For {@link #WEEK}: the real dates' day number (days since 1970-01-01) modulo 7. */
  private final int weekRest;
  /**
   * Share of the draws of the cell next to the high tail that come out as the tail value
   * instead (the top of that cell's in-cell positions), or 0. On a column of at least {@link
   * #WIDE_TAILS} values the tail should hold 2k - 1 rows, so that a sample of the table's size
   * almost surely draws the column's extreme; when ties at the clip bound leave fewer than k
   * rows beyond it (resume data's experience: 88 rows at 26, one at 44), the cell next to the
   * tail lends it the draws of the missing rows. One tail row alone is missed by 37% of samples of
   * the table's size, and every pair score binned on the column's min and max then shifts.
   */
  private final double tailShareHi;
  /** The mirror of {@link #tailShareHi} for the low tail (the bottom of the next cell). */
  private final double tailShareLo;
  /** The cells next to the tails that lend them draws, or -1. */
  private final int feedLoCell;
  private final int feedHiCell;

  static final int WEEK = DateCalendars.WEEK;
  static final int MONTH = DateCalendars.MONTH;
  static final int YEAR = DateCalendars.YEAR;
  private static final long DAY = 86_400;

  private NumericCodec(double lo, double hi, double tailLo, double tailHi, double step,
      double[][] cellQuantiles, double[] probs, boolean hasMissing) {
    this(lo, hi, tailLo, tailHi, step, cellQuantiles, probs, hasMissing, 0, 0, 0, 0);
  }

  private NumericCodec(double lo, double hi, double tailLo, double tailHi, double step,
      double[][] cellQuantiles, double[] probs, boolean hasMissing, int calendar,
      int weekRest, double tailShareLo, double tailShareHi) {
    if (!(tailShareLo >= 0 && tailShareLo <= MAX_TAIL_SHARE && tailShareHi >= 0
        && tailShareHi <= MAX_TAIL_SHARE)) {
      throw new ModelFormatException("numeric codec: tail shares must be 0 to "
          + MAX_TAIL_SHARE);
    }
    this.calendar = calendar;
    this.weekRest = weekRest;
    this.lo = lo;
    this.hi = hi;
    this.tailLo = tailLo;
    this.tailHi = tailHi;
    this.lowest = Double.isNaN(tailLo) ? lo : Math.min(lo, tailLo);
    this.highest = Double.isNaN(tailHi) ? hi : Math.max(hi, tailHi);
    this.step = step;
    this.cellQuantiles = cellQuantiles;
    this.probs = probs;
    this.hasMissing = hasMissing;
    // the tail cells: a single value, or (on small columns) a range reaching the tail value
    int loCell = -1;
    int hiCell = -1;
    for (int c = 0; c < cellQuantiles.length; c++) {
      double[] q = cellQuantiles[c];
      if (!Double.isNaN(tailLo) && q[0] == tailLo && (q.length == 1 || tailLo < lo)) {
        loCell = c;
      } else if (!Double.isNaN(tailHi) && q[q.length - 1] == tailHi
          && (q.length == 1 || tailHi > hi)) {
        hiCell = c;
      }
    }
    tailLoCell = loCell;
    tailHiCell = hiCell;
    // the value cells are sorted, the tails at the ends: the lenders are their neighbours
    int feedLo = loCell >= 0 && loCell + 1 < cellQuantiles.length && loCell + 1 != hiCell
        ? loCell + 1 : -1;
    int feedHi = hiCell > 0 && hiCell - 1 != loCell ? hiCell - 1 : -1;
    this.tailShareLo = feedLo < 0 ? 0 : tailShareLo;
    this.tailShareHi = feedHi < 0 ? 0 : tailShareHi;
    this.feedLoCell = this.tailShareLo > 0 ? feedLo : -1;
    this.feedHiCell = this.tailShareHi > 0 ? feedHi : -1;
    int spikes = 0;
    int ranges = 0;
    for (int c = 0; c < cellQuantiles.length; c++) {
      if (c != loCell && c != hiCell) {
        if (cellQuantiles[c].length == 1) {
          spikes++;
        } else {
          ranges++;
        }
      }
    }
    spikeValues = new double[spikes];
    spikeCells = new int[spikes];
    rangeLows = new double[ranges];
    rangeCells = new int[ranges];
    knotStart = new int[cellQuantiles.length + 1];
    for (int c = 0; c < cellQuantiles.length; c++) {
      knotStart[c + 1] = knotStart[c] + cellQuantiles[c].length;
    }
    knots = new double[knotStart[cellQuantiles.length]];
    for (int c = 0; c < cellQuantiles.length; c++) {
      System.arraycopy(cellQuantiles[c], 0, knots, knotStart[c], cellQuantiles[c].length);
    }
    int s = 0;
    int r = 0;
    // cells are sorted by value, so spikes and ranges come out sorted too
    for (int c = 0; c < cellQuantiles.length; c++) {
      if (c == loCell || c == hiCell) {
        continue;
      }
      if (cellQuantiles[c].length == 1) {
        spikeValues[s] = cellQuantiles[c][0];
        spikeCells[s++] = c;
      } else {
        rangeLows[r] = cellQuantiles[c][0];
        rangeCells[r++] = c;
      }
    }
  }

  /** This codec with its output dates kept on a calendar grid ({@link #calendarOf}). */
  NumericCodec withCalendar(int cal, int rest) {
    return new NumericCodec(lo, hi, tailLo, tailHi, step, cellQuantiles, probs, hasMissing, cal,
        rest, tailShareLo, tailShareHi);
  }

  /**
   * The calendar grid that every non-missing value of a date column (epoch seconds) lies on, as
   * {@code {calendar, weekRest}}, or null: the first of January, else the first of a month,
   * else one weekday, each only when the values take at least three distinct dates (five for a
   * weekday, which three random dates share one time in 49).
   */
  static int[] calendarOf(ColumnData.Numbers data) {
    boolean year = true;
    boolean month = true;
    boolean week = true;
    int rest = -1;
    java.util.Set<Long> distinct = new java.util.HashSet<>();
    for (int r = 0; r < data.size() && (year || month || week); r++) {
      if (data.isMissing(r)) {
        continue;
      }
      double x = data.get(r);
      if (x != Math.rint(x) || (long) x % DAY != 0) {
        return null;
      }
      long day = Math.floorDiv((long) x, DAY);
      if (distinct.size() < 5) {
        distinct.add(day);
      }
      java.time.LocalDate d = java.time.LocalDate.ofEpochDay(day);
      month &= d.getDayOfMonth() == 1;
      year &= d.getDayOfYear() == 1;
      int w = (int) Math.floorMod(day, 7L);
      if (rest < 0) {
        rest = w;
      }
      week &= w == rest;
    }
    if (distinct.size() < 3) {
      return null;
    }
    return year ? new int[] {YEAR, 0} : month ? new int[] {MONTH, 0}
        : week && distinct.size() >= 5 ? new int[] {WEEK, rest} : null;
  }

  /**
   * Learns the cells of {@code data}.
   *
   * @param step rounding step of the column's values (1 for integers, 0 for none)
   */
  public static NumericCodec fit(ColumnData.Numbers data, PrivacySettings privacy, double step) {
    int n = data.size();
    double[] v = new double[n];
    int m = 0;
    for (int r = 0; r < n; r++) {
      double x = data.get(r);
      if (!Double.isNaN(x)) {
        v[m++] = x;
      }
    }
    int missing = n - m;
    v = Arrays.copyOf(v, m);
    Arrays.sort(v);
    if (m == 0) {
      return new NumericCodec(0, 0, Double.NaN, Double.NaN, step, new double[0][],
          new double[] {1.0}, true);
    }
    int k = privacy.k();
    double lo;
    double hi;
    boolean wide = m >= WIDE_TAILS && m >= 4 * k;
    if (wide) {
      // the tails hold up to 2k - 1 rows each, so that a sample of the table's size almost
      // surely draws them (see WIDE_TAILS)
      lo = v[2 * k - 1];
      hi = v[m - 2 * k];
    } else if (m >= 2 * k) {
      lo = v[k - 1];
      hi = v[m - k];
    } else {
      // Too few values to summarise a group: their median would be one person's value (with a
      // single value, that person's). Only a value that at least k rows share (at most one can
      // be, such as a 0 in every row) may stand for all of them; otherwise the column keeps no
      // value and comes out empty, as rare categories come out as the protected label.
      double mode = v[0];
      int best = 0;
      for (int i = 0, j; i < m; i = j) {
        for (j = i; j < m && v[j] == v[i]; j++) {
          // count the run of v[i]
        }
        if (j - i > best) {
          best = j - i;
          mode = v[i];
        }
      }
      if (best < k) {
        return new NumericCodec(0, 0, Double.NaN, Double.NaN, step, new double[0][],
            new double[] {1.0}, true);
      }
      lo = mode;
      hi = mode;
    }
    // top-coding: values beyond the clip bounds become one tail value each side: the
    // real extreme when at least SHARED_EXTREME rows hold it (it singles no one out), otherwise
    // the extreme rounded outward on a unit of the span (never a lone person's value)
    int below = 0;
    int above = 0;
    double rawMin = v[0];
    double rawMax = v[m - 1];
    for (int i = 0; i < m && m >= 2 * k; i++) {
      if (v[i] < lo) {
        below++;
      } else if (v[i] > hi) {
        above++;
      }
    }
    double tailLo = below == 0 ? Double.NaN
        : v[SHARED_EXTREME - 1] == rawMin ? rawMin : outward(rawMin, false, step, rawMax - rawMin);
    double tailHi = above == 0 ? Double.NaN
        : v[m - SHARED_EXTREME] == rawMax ? rawMax : outward(rawMax, true, step, rawMax - rawMin);
    for (int i = 0; i < m; i++) {
      v[i] = Math.min(hi, Math.max(lo, v[i]));
    }
    // the clipped values were piled on lo and hi; they belong to the tails instead
    v = java.util.Arrays.copyOfRange(v, below, m - above);
    m = v.length;
    // distinct values and counts
    double[] dv = new double[m];
    int[] dc = new int[m];
    int d = 0;
    for (int i = 0; i < m; i++) {
      if (d > 0 && dv[d - 1] == v[i]) {
        dc[d - 1]++;
      } else {
        dv[d] = v[i];
        dc[d++] = 1;
      }
    }
    int spikeMin = Math.max(k, (int) Math.ceil(0.01 * m));
    // take the most frequent values as spikes, at most MAX_SPIKES of them
    Integer[] byCount = new Integer[d];
    for (int i = 0; i < d; i++) {
      byCount[i] = i;
    }
    final int[] dcF = dc;
    Arrays.sort(byCount, (a, b) -> dcF[b] != dcF[a] ? Integer.compare(dcF[b], dcF[a])
        : Integer.compare(a, b));
    boolean[] isSpike = new boolean[d];
    for (int i = 0; i < Math.min(d, MAX_SPIKES); i++) {
      if (dc[byCount[i]] >= spikeMin) {
        isSpike[byCount[i]] = true;
      }
    }
    // a column with a single distinct value (constant) is one spike whatever its count
    if (d == 1) {
      isSpike[0] = true;
    }
    List<double[]> cells = new ArrayList<>();
    List<Double> counts = new ArrayList<>();
    // On columns of fewer than SPREAD_TAILS values the k - 1 rows of a tail are a visible
    // share (a tenth of a 40-value column on each side), and piling them on one value left a
    // step in the distribution; there half of a tail's draws spread evenly between the clip
    // bound and the tail value, both released already. Larger columns keep a single value.
    boolean spread = m < SPREAD_TAILS;
    if (below > 0) {
      cells.add(spread && tailLo < lo ? new double[] {tailLo, tailLo, lo} : new double[] {tailLo});
      counts.add((double) below);
    }
    if (above > 0) {
      cells.add(spread && tailHi > hi ? new double[] {hi, tailHi, tailHi} : new double[] {tailHi});
      counts.add((double) above);
    }
    // the remaining values, in order, cut into ranges of equal count (ties kept together)
    int rest = 0;
    for (int i = 0; i < d; i++) {
      if (!isSpike[i]) {
        rest += dc[i];
      }
    }
    double[] restValues = new double[rest];
    int at = 0;
    for (int i = 0; i < d; i++) {
      if (!isSpike[i]) {
        for (int j = 0; j < dc[i]; j++) {
          restValues[at++] = dv[i];
        }
      } else {
        cells.add(new double[] {dv[i]});
        counts.add((double) dc[i]);
      }
    }
    if (rest > 0) {
      int minRange = Math.max(2 * k, 30);
      int ranges = Math.max(1, Math.min(MAX_RANGES, rest / minRange));
      int start = 0;
      for (int b = 0; b < ranges && start < rest; b++) {
        int end = b == ranges - 1 ? rest : (int) Math.round((double) rest * (b + 1) / ranges);
        end = Math.max(end, start + 1);
        while (end < rest && restValues[end] == restValues[end - 1]) {
          end++;
        }
        cells.add(quantiles(restValues, start, end, step, k));
        counts.add((double) (end - start));
        start = end;
      }
    }
    // sort cells by their middle value so that cell order is value order
    Integer[] idx = new Integer[cells.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(mid(cells.get(a)), mid(cells.get(b))));
    int valueCells = cells.size();
    double[][] q = new double[valueCells][];
    double[] p = new double[valueCells + (missing > 0 ? 1 : 0)];
    for (int i = 0; i < valueCells; i++) {
      q[i] = cells.get(idx[i]);
      p[i] = counts.get(idx[i]) / n;
    }
    if (missing > 0) {
      p[valueCells] = missing / (double) n;
    }
    // a tail thinned by ties at the clip bound to fewer than k rows (missed by at least one
    // sample in 55 of the table's size) borrows draws from its neighbour up to 2k - 1 rows
    // (tailShareHi); a tail of k rows or more is left alone, since lending moves a few rows of
    // the bound to the extreme for little gain. The tails sort to the ends of the cells.
    double shareLo = 0;
    double shareHi = 0;
    if (wide && below > 0 && below < k && valueCells > 2) {
      shareLo = Math.min(MAX_TAIL_SHARE, (2 * k - 1 - below) / (p[1] * n));
    }
    if (wide && above > 0 && above < k && valueCells > 2) {
      shareHi = Math.min(MAX_TAIL_SHARE, (2 * k - 1 - above) / (p[valueCells - 2] * n));
    }
    return new NumericCodec(lo, hi, tailLo, tailHi, step, q, p, missing > 0, 0, 0, shareLo,
        shareHi);
  }

  /**
   * {@code x} rounded away from the body of the data to a multiple of a unit one hundredth of
   * the span's order of magnitude (a span of 1.3 million rounds to 10,000s, of 73 years to whole
   * years, of two years of epoch seconds to days), and moved one more unit if that left it
   * unchanged, so a top-coded bound is never a real value and keeps the range's scale.
   */
  static double outward(double x, boolean up, double step, double span) {
    double unit = span > 0 ? Math.pow(10, Math.floor(Math.log10(span)) - 2) : 1;
    unit = Math.max(unit, step > 0 ? step : 0);
    double r = up ? ceil(x / unit) * unit : floor(x / unit) * unit;
    if (Math.abs(r - x) <= 1e-9 * unit) {
      r = up ? r + unit : r - unit;
    }
    if (step > 0) {
      // stay on the column's grid (whole numbers, whole days...)
      r = up ? ceil(r / step) * step : floor(r / step) * step;
    }
    return r;
  }

  /**
   * Ceiling and floor that forgive the rounding error of a quotient: 10.81 / 1e-6 is
   * 10810000.000000002 in doubles, whose plain ceiling would put the bound a step too far
   * (10.810001).
   */
  private static double ceil(double q) {
    double r = Math.rint(q);
    return Math.abs(q - r) <= 1e-12 * Math.max(1, Math.abs(q)) ? r : Math.ceil(q);
  }

  private static double floor(double q) {
    double r = Math.rint(q);
    return Math.abs(q - r) <= 1e-12 * Math.max(1, Math.abs(q)) ? r : Math.floor(q);
  }

  private static double mid(double[] q) {
    return q.length == 1 ? q[0] : q[q.length / 2];
  }

  /**
   * A range's density as {@code qn + 1} quantiles of its values. Each segment between two
   * quantiles spans at least {@code k} rows, so no stored quantile pins down one person's value,
   * and the density is smooth at the scale of a few rows instead of piling mass on each value
   * seen (which made synthetic dates hit the training rows' exact days more often than fresh
   * rows do). On a grid ({@code step > 0}: whole numbers, days, cents) each value stands for its
   * rounding interval: the {@code t} rows tied at {@code v} are spread evenly over
   * {@code [v - step/2, v + step/2)} before the quantiles are taken (a continuity correction),
   * so that rounding a draw back to the grid gives every value, the range's ends included, its
   * share of the range.
   */
  private static double[] quantiles(double[] sorted, int from, int to, double step, int k) {
    int cnt = to - from;
    if (cnt == 1) {
      // a range of one value is stored as a degenerate range (two equal ends), not a spike
      return new double[] {sorted[from], sorted[from]};
    }
    double[] v = Arrays.copyOfRange(sorted, from, to);
    if (step > 0) {
      for (int a = 0; a < cnt; ) {
        int b = a;
        while (b < cnt && v[b] == v[a]) {
          b++;
        }
        int t = b - a;
        for (int i = a; i < b; i++) {
          v[i] += step * ((i - a + 0.5) / t - 0.5);
        }
        a = b;
      }
    }
    int qn = Math.min(RANGE_QUANTILES, Math.max(1, (cnt - 1) / Math.max(1, k)));
    double[] q = new double[qn + 1];
    for (int j = 0; j <= qn; j++) {
      double pos = (double) j * (cnt - 1) / qn;
      int i = (int) Math.floor(pos);
      double f = pos - i;
      q[j] = i + 1 < cnt ? v[i] * (1 - f) + v[i + 1] * f : v[i];
    }
    return q;
  }

  /** The value of {@code cell} at in-cell position {@code w} in [0, 1); NaN for missing. */
  public double value(int cell, double w) {
    if (cell >= cellQuantiles.length) {
      return Double.NaN;
    }
    if (cell == feedLoCell) {
      // the bottom of the cell next to a thin low tail comes out as the tail value
      if (w < tailShareLo) {
        return value(tailLoCell, w / tailShareLo);
      }
      w = (w - tailShareLo) / (1 - tailShareLo);
    }
    if (cell == feedHiCell) {
      if (w >= 1 - tailShareHi) {
        return value(tailHiCell, (w - (1 - tailShareHi)) / tailShareHi);
      }
      w = w / (1 - tailShareHi);
    }
    int from = knotStart[cell];
    int last = knotStart[cell + 1] - 1;
    if (last == from) {
      // a spike, or a tail value rounded outward (which the calendar pulls back onto itself)
      return calendar == 0 ? knots[from] : onCalendar(knots[from]);
    }
    double pos = w * (last - from);
    int i = (int) pos;
    if (i >= last - from) {
      i = last - from - 1;
    }
    double f = pos - i;
    double lo = knots[from + i];
    double x = lo + (knots[from + i + 1] - lo) * f;
    return round(x);
  }

  private double round(double x) {
    if (step > 0) {
      x = Math.rint(x / step) * step;
      if (step >= 1) {
        x = Math.rint(x);
      }
    }
    x = Math.min(highest, Math.max(lowest, x));
    return calendar == 0 ? x : onCalendar(x);
  }

  /**
   * The nearest date on the calendar grid that lies within the emitted range, or {@code x}
   * when none does.
   */
  private double onCalendar(double x) {
    return DateCalendars.nearest(calendar, weekRest, x, lowest, highest, false);
  }

  /** The cell that holds {@code x} (after clipping); the nearest range when none holds it. */
  public int cellOf(double x) {
    if (Double.isNaN(x)) {
      return missingCell();
    }
    if (cellQuantiles.length == 0) {
      // no value cells (no values, or too few to release): every row is encoded as missing
      return missingCell();
    }
    if (x > hi && tailHiCell >= 0) {
      return tailHiCell;
    }
    if (x < lo && tailLoCell >= 0) {
      return tailLoCell;
    }
    x = Math.min(hi, Math.max(lo, x));
    int s = Arrays.binarySearch(spikeValues, x);
    if (s >= 0) {
      return spikeCells[s];
    }
    if (rangeLows.length == 0) {
      // nearest spike
      int ins = -s - 1;
      if (ins == 0) {
        return spikeCells[0];
      }
      if (ins == spikeValues.length) {
        return spikeCells[spikeValues.length - 1];
      }
      return x - spikeValues[ins - 1] <= spikeValues[ins] - x ? spikeCells[ins - 1]
          : spikeCells[ins];
    }
    int r = Arrays.binarySearch(rangeLows, x);
    if (r < 0) {
      r = Math.max(0, -r - 2);
    }
    return rangeCells[r];
  }

  /** Whether the codec emits any value at all (false: every row comes out missing). */
  public boolean hasValues() {
    return cellQuantiles.length > 0;
  }

  /** Whether {@code x} can come out of this codec at all (within the clipped range). */
  public boolean inSupport(double x) {
    return cellQuantiles.length > 0 && x >= lower() && x <= upper();
  }

  /** The smallest value this codec can emit (the low tail's value, if any). */
  public double lower() {
    return lowest;
  }

  /** The largest value this codec can emit (the high tail's value, if any). */
  public double upper() {
    return highest;
  }

  @Override
  public int cells() {
    return probs.length;
  }

  @Override
  public int missingCell() {
    return hasMissing ? probs.length - 1 : -1;
  }

  @Override
  public double[] probabilities() {
    return probs.clone();
  }

  @Override
  public boolean ordered() {
    return true;
  }

  @Override
  public int[] encode(ColumnData data) {
    ColumnData.Numbers nums = (ColumnData.Numbers) data;
    int[] out = new int[nums.size()];
    for (int r = 0; r < out.length; r++) {
      int c = cellOf(nums.get(r));
      out[r] = c < 0 ? 0 : c;
    }
    return out;
  }

  @Override
  public boolean[] positional() {
    boolean[] out = new boolean[probs.length];
    for (int c = 0; c < cellQuantiles.length; c++) {
      out[c] = cellQuantiles[c].length > 1 && cellQuantiles[c][cellQuantiles[c].length - 1]
          > cellQuantiles[c][0];
    }
    return out;
  }

  @Override
  public double position(ColumnData data, int row, int cell) {
    if (cell >= cellQuantiles.length) {
      return Double.NaN;
    }
    double[] q = cellQuantiles[cell];
    if (q.length == 1 || q[q.length - 1] == q[0]) {
      return Double.NaN;
    }
    double x = Math.min(upper(), Math.max(lower(), ((ColumnData.Numbers) data).get(row)));
    int i = Arrays.binarySearch(q, x);
    if (i >= 0) {
      // on a knot (ties are common): the caller spreads ties with a uniform draw
      return Double.NaN;
    }
    int ins = -i - 1;
    if (ins <= 0) {
      return 0;
    }
    if (ins >= q.length) {
      return 1 - 1e-9;
    }
    double f = (x - q[ins - 1]) / (q[ins] - q[ins - 1]);
    return (ins - 1 + f) / (q.length - 1);
  }

  @Override
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("codec", "numeric");
    m.put("lower", lo);
    m.put("upper", hi);
    m.put("tailLower", tailLo);
    m.put("tailUpper", tailHi);
    m.put("step", step);
    if (calendar != 0) {
      m.put("calendar", DateCalendars.NAMES.get(calendar));
      if (calendar == WEEK) {
        m.put("weekRest", weekRest);
      }
    }
    List<Object> cq = new ArrayList<>();
    for (double[] q : cellQuantiles) {
      cq.add(q);
    }
    m.put("cells", cq);
    m.put("probabilities", probs);
    m.put("hasMissing", hasMissing);
    if (tailShareLo > 0) {
      m.put("tailShareLower", tailShareLo);
    }
    if (tailShareHi > 0) {
      m.put("tailShareUpper", tailShareHi);
    }
    return m;
  }

  static NumericCodec fromJson(JsonMap j) {
    List<Object> raw = j.list("cells");
    double[][] q = new double[raw.size()][];
    for (int i = 0; i < q.length; i++) {
      if (!(raw.get(i) instanceof List<?> l) || l.isEmpty()) {
        throw new ModelFormatException("bad numeric cell " + i + " at " + j.path());
      }
      q[i] = new double[l.size()];
      for (int t = 0; t < l.size(); t++) {
        if (!(l.get(t) instanceof Number num)) {
          throw new ModelFormatException("bad numeric cell " + i + " at " + j.path());
        }
        q[i][t] = num.doubleValue();
      }
    }
    double[] p = j.doubles("probabilities");
    boolean miss = j.bool("hasMissing", false);
    if (p.length != q.length + (miss ? 1 : 0)) {
      throw new ModelFormatException("numeric codec at " + j.path() + " has " + q.length
          + " cells but " + p.length + " probabilities");
    }
    int cal = 0;
    if (j.has("calendar")) {
      cal = DateCalendars.NAMES.indexOf(j.str("calendar"));
      if (cal <= 0) {
        throw new ModelFormatException("unknown calendar '" + j.str("calendar") + "' at "
            + j.path() + " (known: week, month, year)");
      }
    }
    int rest = cal == WEEK ? (int) j.lng("weekRest") : 0;
    if (rest < 0 || rest > 6) {
      throw new ModelFormatException("weekRest at " + j.path() + " must be 0 to 6");
    }
    return new NumericCodec(j.num("lower"), j.num("upper"), j.num("tailLower", Double.NaN),
        j.num("tailUpper", Double.NaN), j.num("step"), q, p, miss, cal, rest,
        j.num("tailShareLower", 0), j.num("tailShareUpper", 0));
  }

  /**
   * The calendar the codec's dates keep, in words for {@code inspect} ("on the first of each
   * month", ...), or null when it keeps none.
   */
  public String calendarDescription() {
    return DateCalendars.describe(calendar, weekRest);
  }

  /** Number of spike cells (for diagnostics). */
  public int spikes() {
    return spikeValues.length;
  }
}
