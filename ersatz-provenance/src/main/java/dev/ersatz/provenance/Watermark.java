package dev.ersatz.provenance;

import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A keyed statistical watermark for synthetic tables (scheme {@value #SCHEME}), detectable with
 * a p-value by whoever holds the key, without the original data or any manifest.
 *
 * <h2>Units and colours</h2>
 * A keyed pseudo-random function (SipHash-2-4, see {@link SipHash}) colours every <em>unit</em>
 * green or red with probability 1/2 each, in the spirit of the "green list" of Kirchenbauer et
 * al., "A Watermark for Large Language Models", ICML 2023. Cells are read as canonical tokens
 * (numbers as their shortest plain decimal, labels as their text), so re-saving as CSV does not
 * change them, and the column name is part of every unit. There are two kinds of unit:
 * <ul>
 *   <li>a <b>fine cell</b>: (column, number) for a number whose shortest decimal has at least 4
 *       significant digits (183417, 1234.5; not 40, 50000 or 0.5);
 *   <li>a <b>pair</b>: (column a, token, column b, token) for two coarse (non-fine, non-missing)
 *       cells of one row, columns ordered by name, for every two columns with at least two
 *       coarse values.
 * </ul>
 *
 * <h2>Detection</h2>
 * The tested table's units are counted once each (<em>distinct</em> units), and only those
 * that can carry the mark are kept: fine cells seen at most twice in the table, and pairs seen
 * once that involve a carrier-like column (numeric, at least {@code minCarrierLevels} coarse
 * values) or a rare value (at most {@code rareShare} of the table's rows). Which units are kept
 * depends on the data alone, and the data do not depend on the key, so without the watermark
 * each kept unit is an independent fair coin: the green count of each kind is exactly
 * Binomial(units, 1/2), and its one-sided tail is an exact p-value. The two p-values (fine
 * cells, pairs) are independent and are combined by Fisher's method (chi-square with 4 degrees
 * of freedom; Fisher 1932, "Statistical Methods for Research Workers", 4th ed., section 21.1);
 * for discrete p-values this is conservative. So the false positive rate at threshold alpha is
 * at most alpha on any table, real or synthetic. When one kind has no units, the other's
 * p-value is used alone (a choice made from the data only, so still exact).
 *
 * <h2>Embedding</h2>
 * On each batch (the sampler's 8,192 rows), in three steps, each of which keeps the batch's
 * marginal distributions where it can:
 * <ol>
 *   <li><b>fine nudges</b>: a fine number seen at most {@code fineRepeatShare} of the batch's
 *       rows (at least twice) moves to the nearest green fine value within {@code maxShift}
 *       units of its last digit (183,417 to 183,418); all its copies move together. Values
 *       repeated more often are left alone: moving a mass point would show in the distribution;
 *   <li><b>swaps of rare values</b>: in each column with coarse values that is not a carrier,
 *       rows holding a rare value (at most {@code rareShare} of the batch) exchange their values
 *       pairwise with rows of the same <em>context</em> (the same values in every column strongly
 *       associated with it: normalised mutual information at least {@code contextAssociation},
 *       e.g. education_num for education), when the exchange turns more pairs green. This is
 *       data swapping (Dalenius and Reiss, "Data-swapping: a technique for disclosure control",
 *       JSPI 6, 1982): every column keeps its exact counts, and its joint counts with its
 *       context;
 *   <li><b>swaps of carrier values</b>: in carrier columns, rows exchange values with rows of the
 *       same context whose value lies in the same of {@code rankBins} quantile bins (rank
 *       swapping, Moore 1996, "Controlled data-swapping techniques for masking public use
 *       microdata sets"), then swap within couples of adjacent values (40 and 41) as many up as
 *       down. Marginals stay exact; values move only within their rank window.
 * </ol>
 * Gains count the pairs a change turns green minus those it turns red, each weighted by the
 * chance that the unit is seen exactly once in a tested table of {@code testRows} rows, so that
 * changes go where detection will count them. Identifiers, free text, datetimes and missing
 * cells are never touched.
 *
 * <h2>What it survives and what it does not</h2>
 * It survives row shuffling, subsampling, dropping columns and re-saving as CSV. It does
 * <b>not</b> survive: losing every column of fine numbers and every carrier (then the evidence
 * rests on swaps of rare categorical values, which are weaker); rounding numbers to fewer digits
 * or adding noise of a few units to every number; renaming columns; converting units; tables
 * with neither fine numbers, carriers nor rare categories; or an adversary who holds the key.
 * See docs/governance.md and BENCHMARKS.md for measured figures.
 */
public final class Watermark {
  /** The scheme's name, recorded in manifests. */
  public static final String SCHEME = "ersatz-wm2";
  /** The default significance threshold for calling a table watermarked. */
  public static final double DEFAULT_ALPHA = 1e-6;

  /** Fine cells count when seen at most this often in the tested table. */
  static final int FINE_MAX_COUNT = 2;
  /** Numeric columns with at most this many distinct values are binned by value for context. */
  static final int EXACT_BIN_LEVELS = 32;
  /** Quantile bins of numeric context columns with more values. */
  static final int CONTEXT_BINS = 8;
  /** Detection reads at most this many rows (a fixed stride over larger tables). */
  static final int MAX_DETECT_ROWS = 200_000;

  private Watermark() {}

  /**
   * Tuning of the scheme. Embedding and detection must use the same {@code minCarrierLevels}
   * and {@code rareShare}; {@link #DEFAULTS} is what {@code sample --watermark} and
   * {@code verify --watermark} use.
   *
   * @param maxShift furthest move of a fine value, in units of its column's last digit, >= 1
   * @param fineRepeatShare a fine value moves if seen at most this share of the batch's rows
   *     (and at least twice), in [0, 1]
   * @param minCarrierLevels distinct coarse values a numeric column needs to be a carrier, >= 3
   * @param rareShare a value is rare when it fills at most this share of the rows, in (0, 1)
   * @param contextAssociation normalised mutual information from which a column is part of
   *     another's swap context, in (0, 1]
   * @param partners swap partners tried per row, >= 1
   * @param minGain a swap happens when its weighted gain exceeds this, >= 0
   * @param rankBins quantile bins that bound rank swaps of carrier values, >= 2
   * @param testRows the size of tested tables that gains are weighted for, >= 1
   */
  public record Options(int maxShift, double fineRepeatShare, int minCarrierLevels,
      double rareShare, double contextAssociation, int partners, double minGain, int rankBins,
      int testRows) {
    /** The defaults used by {@code sample --watermark}. */
    public static final Options DEFAULTS = new Options(8, 0.003, 20, 0.02, 0.5, 32, 0.5, 32,
        1000);

    public Options {
      if (maxShift < 1 || !(fineRepeatShare >= 0 && fineRepeatShare <= 1)
          || minCarrierLevels < 3 || !(rareShare > 0 && rareShare < 1)
          || !(contextAssociation > 0 && contextAssociation <= 1) || partners < 1
          || !(minGain >= 0) || rankBins < 2 || testRows < 1) {
        throw new IllegalArgumentException("invalid watermark options " + maxShift + ", "
            + fineRepeatShare + ", " + minCarrierLevels + ", " + rareShare + ", "
            + contextAssociation + ", " + partners + ", " + minGain + ", " + rankBins + ", "
            + testRows);
      }
    }
  }

  /**
   * The outcome of a detection.
   *
   * @param fineUnits distinct fine cells kept
   * @param fineGreen how many of them are green
   * @param pairUnits distinct pairs kept
   * @param pairGreen how many of them are green
   * @param logPValue natural log of the p-value: the chance, without this watermark, of
   *     evidence at least this strong (0 when there are no units)
   */
  public record Detection(long fineUnits, long fineGreen, long pairUnits, long pairGreen,
      double logPValue) {
    /** All kept units. */
    public long units() {
      return fineUnits + pairUnits;
    }

    /** All green kept units. */
    public long green() {
      return fineGreen + pairGreen;
    }

    /** The p-value (0 when it is below the smallest double). */
    public double pValue() {
      return Math.exp(logPValue);
    }

    /** The standard normal score with the same one-sided tail as the p-value. */
    public double z() {
      return Binomial.normalScore(logPValue);
    }

    /** Whether {@code pValue <= alpha}. */
    public boolean detected(double alpha) {
      return logPValue <= Math.log(alpha);
    }

    /** Whether {@code pValue <=} {@link #DEFAULT_ALPHA}. */
    public boolean detected() {
      return detected(DEFAULT_ALPHA);
    }
  }

  /** Embeds the watermark with {@link Options#DEFAULTS}. */
  public static Table embed(Table batch, WatermarkKey key) {
    return embed(batch, key, Options.DEFAULTS);
  }

  /**
   * Returns a copy of {@code batch} carrying the watermark of {@code key}. Deterministic: the
   * same batch and key give the same output, and the batch is not changed. Batches of a few
   * thousand rows embed best (repeat counts, rare values and carriers are judged within the
   * batch). Thread-safe: sampling workers embed their batches in parallel.
   *
   * @param batch synthetic rows
   * @param key the watermark key
   * @param o tuning
   * @return the watermarked rows, same schema and row count
   */
  public static Table embed(Table batch, WatermarkKey key, Options o) {
    Cells c = new Cells(key, batch);
    if (c.n == 0) {
      return batch;
    }
    nudgeFine(c, o);
    c.coarse();
    Embedder e = new Embedder(c, o);
    // rare values of non-carrier columns first, then carriers (whose swaps then see the
    // categorical values in their final place)
    for (int a = 0; a < c.m; a++) {
      if (e.active[a] && !e.carrier[a]) {
        e.swapPass(a);
      }
    }
    for (int a = 0; a < c.m; a++) {
      if (e.active[a] && e.carrier[a]) {
        e.swapPass(a);
        e.couplePass(a, 0);
        e.couplePass(a, 1);
      }
    }
    return c.toTable();
  }

  /** Tests {@code table} for the watermark of {@code key} with {@link Options#DEFAULTS}. */
  public static Detection detect(Table table, WatermarkKey key) {
    return detect(table, key, Options.DEFAULTS);
  }

  /**
   * Tests {@code table} for the watermark of {@code key}.
   *
   * @param table any table: a watermarked output, a subsample of it, a re-read CSV, real data
   * @param key the key to test
   * @param o the options it was embedded with (their carrier and rare thresholds)
   * @return the counts and the p-value (1 when there are no units)
   */
  public static Detection detect(Table table, WatermarkKey key, Options o) {
    Table t = table.rowCount() <= MAX_DETECT_ROWS ? table : stride(table, MAX_DETECT_ROWS);
    Cells c = new Cells(key, t);
    LongCounts fine = new LongCounts();
    for (int j = 0; j < c.m; j++) {
      if (c.vals[j] == null) {
        continue;
      }
      Map<Long, Long> cache = new HashMap<>();
      for (int r = 0; r < c.n; r++) {
        final double v = c.vals[j][r];
        if (fine(v)) {
          final int col = j;
          fine.add(cache.computeIfAbsent(key(v), k -> c.cellHash(col, token(v))), 1);
        }
      }
    }
    c.coarse();
    int[] levels = new int[c.m];
    boolean[] carrierLike = new boolean[c.m];
    List<LongCounts> freq = new ArrayList<>();
    for (int j = 0; j < c.m; j++) {
      LongCounts f = new LongCounts();
      if (c.h[j] != null) {
        for (long x : c.h[j]) {
          if (x != 0) {
            f.add(x, 1);
          }
        }
      }
      freq.add(f);
      levels[j] = f.size();
      carrierLike[j] = c.vals[j] != null && levels[j] >= o.minCarrierLevels();
    }
    long rare = (long) Math.floor(o.rareShare() * c.n);
    LongCounts pairs = new LongCounts();
    for (int a = 0; a < c.m; a++) {
      for (int b = a + 1; b < c.m; b++) {
        if (levels[a] < 2 || levels[b] < 2) {
          continue;
        }
        boolean carrierPair = carrierLike[a] || carrierLike[b];
        for (int r = 0; r < c.n; r++) {
          long ha = c.h[a][r];
          long hb = c.h[b][r];
          if (ha != 0 && hb != 0 && (carrierPair || freq.get(a).get(ha) <= rare
              || freq.get(b).get(hb) <= rare)) {
            pairs.add(c.pair(a, ha, b, hb), 1);
          }
        }
      }
    }
    long[] f = fine.greenAmongCountsUpTo(FINE_MAX_COUNT);
    long[] p = pairs.greenAmongCountsUpTo(1);
    return new Detection(f[0], f[1], p[0], p[1], combine(f[0], f[1], p[0], p[1]));
  }

  /**
   * The log p-value from the two exact binomial tails: Fisher's combination when both kinds of
   * unit are present, the one present otherwise.
   */
  static double combine(long fineUnits, long fineGreen, long pairUnits, long pairGreen) {
    double lf = Binomial.logUpperTailHalf(fineUnits, fineGreen);
    double lp = Binomial.logUpperTailHalf(pairUnits, pairGreen);
    if (fineUnits == 0) {
      return lp;
    }
    if (pairUnits == 0) {
      return lf;
    }
    return combineLog(lf, lp);
  }

  /**
   * Fisher's method for two independent p-values given as logs: X = -2 (ln p1 + ln p2) is
   * chi-square with 4 degrees of freedom under the null, and P(X >= x) = exp(-x/2) (1 + x/2).
   */
  static double combineLog(double logP1, double logP2) {
    double h = -(logP1 + logP2);
    if (Double.isInfinite(h)) {
      return Double.NEGATIVE_INFINITY;
    }
    return Math.min(0, -h + Math.log1p(h));
  }

  private static Table stride(Table t, int max) {
    int step = (t.rowCount() + max - 1) / max;
    int[] idx = new int[(t.rowCount() + step - 1) / step];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i * step;
    }
    return dev.ersatz.core.table.Tables.select(t, idx);
  }

  /** A bit mixer (the MurmurHash3 finaliser) for hash-table slots and partner choice. */
  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  static boolean green(long h) {
    return (h & 1L) == 1L;
  }

  /** Whether a number's shortest decimal has at least 4 significant digits. */
  static boolean fine(double v) {
    if (v == 0 || Double.isInfinite(v) || Double.isNaN(v)) {
      return false;
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      // whole numbers (most data): strip trailing zeros with long arithmetic
      long x = Math.abs((long) v);
      while (x % 10 == 0) {
        x /= 10;
      }
      return x >= 1000;
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().precision() >= 4;
  }

  /** The canonical token of a number: its shortest plain decimal. */
  static String token(double v) {
    if (v == 0) {
      return "0";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /** {@code v} in units of the last digit at {@code scale}, or null when out of range. */
  private static Long unscaled(double v, int scale) {
    try {
      return BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_EVEN).unscaledValue()
          .longValueExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /** Step 1: fine values seen rarely move to the nearest green fine value. */
  private static void nudgeFine(Cells c, Options o) {
    long maxRepeat = Math.max(2, (long) Math.floor(o.fineRepeatShare() * c.n));
    for (int j = 0; j < c.m; j++) {
      if (c.vals[j] == null) {
        continue;
      }
      double[] v = c.vals[j];
      boolean[] isFine = new boolean[c.n];
      LongCounts counts = new LongCounts();
      for (int r = 0; r < c.n; r++) {
        if (fine(v[r])) {
          isFine[r] = true;
          counts.add(key(v[r]), 1);
        }
      }
      // all copies of a value move together, to the same place
      Map<Long, Double> moved = new HashMap<>();
      for (int r = 0; r < c.n; r++) {
        if (isFine[r] && counts.get(key(v[r])) <= maxRepeat) {
          final int col = j;
          final double x = v[r];
          v[r] = moved.computeIfAbsent(key(x), k -> nearestGreen(c, col, x, o.maxShift()));
        }
      }
    }
  }

  /**
   * A well-spread map key for a double: its bits, mixed (a bijection, so keys are exact).
   * {@code Double.hashCode} collides for whole numbers, whose low mantissa bits are zero.
   */
  static long key(double v) {
    return mix(Double.doubleToLongBits(v));
  }

  private static double nearestGreen(Cells c, int j, double v, int maxShift) {
    int scale = c.scale[j];
    Long u = unscaled(v, scale);
    if (u == null) {
      return v;
    }
    for (int s = 0; s <= 2 * maxShift; s++) {
      long d = (s + 1) / 2 * (s % 2 == 1 ? 1 : -1);
      double cand = BigDecimal.valueOf(u + d, scale).doubleValue();
      if (fine(cand) && green(c.cellHash(j, token(cand)))) {
        return cand;
      }
    }
    return v;
  }

  /** Steps 2 and 3: value swaps that turn pairs green, with the batch's pair counts. */
  private static final class Embedder {
    final Cells c;
    final Options o;
    final boolean[] active;
    final boolean[] carrier;
    final int[][] bins;
    final LongCounts counts = new LongCounts();
    final double[] weight = new double[256];

    Embedder(Cells c, Options o) {
      this.c = c;
      this.o = o;
      int m = c.m;
      active = new boolean[m];
      carrier = new boolean[m];
      bins = new int[m][];
      for (int j = 0; j < m; j++) {
        int levels = distinct(c.h[j]);
        active[j] = levels >= 2;
        carrier[j] = c.vals[j] != null && levels >= o.minCarrierLevels();
        bins[j] = contextBins(c, j);
      }
      for (int a = 0; a < m; a++) {
        for (int b = a + 1; b < m; b++) {
          if (active[a] && active[b]) {
            for (int r = 0; r < c.n; r++) {
              if (c.h[a][r] != 0 && c.h[b][r] != 0) {
                counts.add(c.pair(a, c.h[a][r], b, c.h[b][r]), 1);
              }
            }
          }
        }
      }
      // the chance that one more row of a unit seen k times makes it appear in a tested table
      // of testRows rows drawn from batches like this one: q (1 - q)^k
      double q = Math.min(1.0, (double) o.testRows() / c.n);
      for (int k = 0; k < weight.length; k++) {
        weight[k] = Math.pow(1 - q, k);
      }
    }

    double w(int count) {
      return weight[Math.min(weight.length - 1, Math.max(0, count))];
    }

    /**
     * The weighted change in green pairs when row {@code r} of column {@code a} changes from
     * hash {@code from} to {@code to}, over columns not in {@code skip}.
     */
    double gain(int a, int r, long from, long to, boolean[] skip) {
      double g = 0;
      for (int b = 0; b < c.m; b++) {
        if (b == a || !active[b] || skip[b] || c.h[b][r] == 0) {
          continue;
        }
        long hb = c.h[b][r];
        long out = c.pair(a, from, b, hb);
        long in = c.pair(a, to, b, hb);
        g += (green(in) ? 1 : -1) * w(counts.get(in)) - (green(out) ? 1 : -1)
            * w(counts.get(out) - 1);
      }
      return g;
    }

    /** Moves row {@code r} of column {@code a} to hash {@code to}, keeping the counts. */
    void move(int a, int r, long to) {
      long from = c.h[a][r];
      for (int b = 0; b < c.m; b++) {
        if (b == a || !active[b] || c.h[b][r] == 0) {
          continue;
        }
        counts.add(c.pair(a, from, b, c.h[b][r]), -1);
        counts.add(c.pair(a, to, b, c.h[b][r]), 1);
      }
      c.h[a][r] = to;
    }

    /** Columns whose normalised mutual information with {@code a} reaches the threshold. */
    boolean[] context(int a) {
      boolean[] ctx = new boolean[c.m];
      double ha = entropy(bins[a], c.h[a], null);
      for (int b = 0; b < c.m; b++) {
        if (b == a || c.h[b] == null) {
          continue;
        }
        double hb = entropy(bins[b], c.h[a], null);
        double mi = ha + hb - entropy(bins[a], c.h[a], bins[b]);
        double norm = Math.min(ha, hb);
        ctx[b] = norm > 1e-12 && mi / norm >= o.contextAssociation();
      }
      return ctx;
    }

    /**
     * Swaps values of column {@code a} between rows of the same context (and, for a carrier,
     * the same rank bin; for other columns, only rare values) when the pair of moves gains.
     */
    void swapPass(int a) {
      int n = c.n;
      boolean[] ctx = context(a);
      int[] rank = carrier[a] ? quantileBins(c.vals[a], o.rankBins()) : null;
      LongCounts freq = new LongCounts();
      for (long x : c.h[a]) {
        if (x != 0) {
          freq.add(x, 1);
        }
      }
      long rare = (long) Math.floor(o.rareShare() * n);
      Map<Long, IntList> groups = new HashMap<>();
      for (int r = 0; r < n; r++) {
        long h = c.h[a][r];
        if (h == 0 || (!carrier[a] && freq.get(h) > rare)) {
          continue;
        }
        long g = 17;
        for (int b = 0; b < c.m; b++) {
          if (ctx[b]) {
            g = g * 1_000_003L + bins[b][r] + 7;
          }
        }
        if (rank != null) {
          g = g * 1_000_003L + rank[r] + 11;
        }
        groups.computeIfAbsent(g, x -> new IntList()).add(r);
      }
      boolean[] used = new boolean[n];
      Map<Long, Double> gains = new HashMap<>();
      List<Long> keys = new ArrayList<>(groups.keySet());
      keys.sort(null); // a fixed order, whatever the hash map's
      for (long gk : keys) {
        IntList g = groups.get(gk);
        int size = g.size;
        if (size < 2) {
          continue;
        }
        for (int i = 0; i < size; i++) {
          int r1 = g.at(i);
          if (used[r1]) {
            continue;
          }
          long h1 = c.h[a][r1];
          double best = o.minGain();
          int partner = -1;
          long state = mix(h1 ^ (r1 * 0x9E3779B97F4A7C15L));
          for (int k = 0; k < Math.min(o.partners(), size - 1); k++) {
            state = mix(state + k);
            int r2 = g.at((int) Math.floorMod(state, (long) size));
            long h2 = c.h[a][r2];
            if (r2 == r1 || used[r2] || h2 == h1) {
              continue;
            }
            // a row's gain depends only on the value it would take: cache it per (row, value)
            double gain = cached(gains, r1, h2, () -> gain(a, r1, h1, h2, ctx))
                + cached(gains, r2, h1, () -> gain(a, r2, h2, h1, ctx));
            if (gain > best) {
              best = gain;
              partner = r2;
            }
          }
          if (partner >= 0) {
            swap(a, r1, partner);
            used[r1] = true;
            used[partner] = true;
          }
        }
      }
    }

    private double cached(Map<Long, Double> cache, int r, long h,
        java.util.function.DoubleSupplier f) {
      long key = mix(h + r * 0xC2B2AE3D27D4EB4FL);
      Double v = cache.get(key);
      if (v == null) {
        v = f.getAsDouble();
        cache.put(key, v);
      }
      return v;
    }

    private void swap(int a, int r1, int r2) {
      long h1 = c.h[a][r1];
      long h2 = c.h[a][r2];
      move(a, r1, h2);
      move(a, r2, h1);
      if (c.vals[a] != null) {
        double t = c.vals[a][r1];
        c.vals[a][r1] = c.vals[a][r2];
        c.vals[a][r2] = t;
      } else {
        int t = c.codes[a][r1];
        c.codes[a][r1] = c.codes[a][r2];
        c.codes[a][r2] = t;
      }
    }

    /**
     * Couples of adjacent values (2k and 2k+1 in units of the last digit, shifted by
     * {@code offset}): as many rows move up as down, those with the largest gains.
     */
    void couplePass(int a, long offset) {
      int scale = c.scale[a];
      boolean[] none = new boolean[c.m];
      Map<Long, List<Move>> up = new HashMap<>();
      Map<Long, List<Move>> down = new HashMap<>();
      Map<Long, Long> otherHash = new HashMap<>();
      for (int r = 0; r < c.n; r++) {
        if (c.h[a][r] == 0) {
          continue;
        }
        Long u = unscaled(c.vals[a][r], scale);
        if (u == null) {
          continue;
        }
        long other = ((u - offset) ^ 1L) + offset;
        long ho = otherHash.computeIfAbsent(other, x -> {
          double v = BigDecimal.valueOf(x, scale).doubleValue();
          return fine(v) ? 0L : c.cellHash(a, token(v));
        });
        if (ho == 0) {
          continue;
        }
        Move mv = new Move(r, gain(a, r, c.h[a][r], ho, none), other, ho);
        long couple = Math.floorDiv(u - offset, 2);
        (((u - offset) & 1L) == 0 ? up : down).computeIfAbsent(couple, x -> new ArrayList<>())
            .add(mv);
      }
      List<Long> couples = new ArrayList<>(up.keySet());
      couples.sort(null);
      for (long k : couples) {
        List<Move> ups = up.get(k);
        List<Move> downs = down.get(k);
        if (downs == null) {
          continue;
        }
        ups.sort((x, y) -> Double.compare(y.gain(), x.gain()));
        downs.sort((x, y) -> Double.compare(y.gain(), x.gain()));
        for (int i = 0; i < Math.min(ups.size(), downs.size()); i++) {
          Move x = ups.get(i);
          Move y = downs.get(i);
          if (x.gain() + y.gain() <= o.minGain()) {
            break;
          }
          for (Move mv : List.of(x, y)) {
            c.vals[a][mv.row()] = BigDecimal.valueOf(mv.to(), scale).doubleValue();
            move(a, mv.row(), mv.toHash());
          }
        }
      }
    }
  }

  /** A candidate move of one row to the other value of its couple ({@code to} unscaled). */
  private record Move(int row, double gain, long to, long toHash) {}

  /** Bins for swap contexts: exact for categories and few-valued numbers, else quantiles. */
  static int[] contextBins(Cells c, int j) {
    int[] out = new int[c.n];
    if (c.h[j] == null) {
      return out;
    }
    if (c.vals[j] != null) {
      Map<Long, Integer> seen = new HashMap<>();
      for (double v : c.vals[j]) {
        if (!Double.isNaN(v) && seen.size() <= EXACT_BIN_LEVELS) {
          seen.putIfAbsent(key(v), seen.size());
        }
      }
      if (seen.size() > EXACT_BIN_LEVELS) {
        return quantileBins(c.vals[j], CONTEXT_BINS);
      }
      for (int r = 0; r < c.n; r++) {
        double v = c.vals[j][r];
        out[r] = Double.isNaN(v) ? -1 : seen.get(key(v));
      }
      return out;
    }
    for (int r = 0; r < c.n; r++) {
      out[r] = c.codes[j][r];
    }
    return out;
  }

  /** The quantile bin (0..k-1) of each value; -1 for missing. */
  static int[] quantileBins(double[] v, int k) {
    double[] s = Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
    int[] out = new int[v.length];
    if (s.length == 0) {
      Arrays.fill(out, -1);
      return out;
    }
    double[] cut = new double[k - 1];
    for (int i = 0; i < k - 1; i++) {
      cut[i] = s[(int) ((i + 1) / (double) k * (s.length - 1))];
    }
    for (int r = 0; r < v.length; r++) {
      double x = v[r];
      if (Double.isNaN(x)) {
        out[r] = -1;
        continue;
      }
      int lo = 0;
      int hi = k - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (x > cut[mid]) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      out[r] = lo;
    }
    return out;
  }

  /** Entropy (nats) of {@code x}, or of the pairs (x, y), over rows where {@code valid != 0}. */
  static double entropy(int[] x, long[] valid, int[] y) {
    int maxX = 0;
    int maxY = 0;
    for (int r = 0; r < x.length; r++) {
      maxX = Math.max(maxX, x[r]);
      maxY = y == null ? 0 : Math.max(maxY, y[r]);
    }
    long cells = (long) (maxX + 1) * (maxY + 1);
    int n = 0;
    int[] dense = cells <= 1 << 16 ? new int[(int) cells] : null;
    LongCounts sparse = dense == null ? new LongCounts() : null;
    for (int r = 0; r < x.length; r++) {
      if (valid[r] == 0 || x[r] < 0 || (y != null && y[r] < 0)) {
        continue;
      }
      n++;
      int yr = y == null ? 0 : y[r];
      if (dense != null) {
        dense[x[r] * (maxY + 1) + yr]++;
      } else {
        sparse.add(((long) x[r] << 32 | yr) + 1, 1);
      }
    }
    double h = 0;
    for (int k : dense != null ? dense : sparse.countsArray()) {
      if (k > 0) {
        double p = k / (double) n;
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  static int distinct(long[] hashes) {
    if (hashes == null) {
      return 0;
    }
    LongCounts s = new LongCounts();
    for (long x : hashes) {
      if (x != 0) {
        s.add(x, 1);
      }
    }
    return s.size();
  }

  /** The cells of one table, with their keyed hashes; a mutable copy when embedding. */
  private static final class Cells {
    final SipHash sip;
    final Table t;
    final int n;
    final int m;
    final int[] scale;
    final double[][] vals;
    final int[][] codes;
    final byte[][] prefix;
    final int[] nameRank;
    final long[][] h;

    Cells(WatermarkKey key, Table t) {
      this.sip = new SipHash(key.k0(), key.k1());
      this.t = t;
      this.n = t.rowCount();
      this.m = t.schema().size();
      scale = new int[m];
      vals = new double[m][];
      codes = new int[m][];
      prefix = new byte[m][];
      nameRank = new int[m];
      h = new long[m][];
      List<String> sorted = new ArrayList<>(t.schema().names());
      sorted.sort(null);
      for (int j = 0; j < m; j++) {
        Column col = t.schema().column(j);
        ColumnData d = t.column(j);
        if (col.type() instanceof ColumnType.Numeric num) {
          scale[j] = num.scale();
          vals[j] = ((ColumnData.Numbers) d).toArray();
        } else if (d instanceof ColumnData.Codes cd) {
          codes[j] = cd.toArray();
        }
        prefix[j] = ("c:" + col.name() + "\u0000").getBytes(StandardCharsets.UTF_8);
        nameRank[j] = sorted.indexOf(col.name());
      }
    }

    long cellHash(int j, String token) {
      byte[] tb = token.getBytes(StandardCharsets.UTF_8);
      byte[] in = new byte[prefix[j].length + tb.length];
      System.arraycopy(prefix[j], 0, in, 0, prefix[j].length);
      System.arraycopy(tb, 0, in, prefix[j].length, tb.length);
      long x = sip.hash(in);
      return x == 0 ? 1 : x; // 0 marks "no coarse cell"
    }

    long pair(int a, long ha, int b, long hb) {
      return nameRank[a] < nameRank[b] ? sip.hash(ha, hb) : sip.hash(hb, ha);
    }

    /** Hashes of the coarse cells (0 = none); null for columns that cannot have any. */
    void coarse() {
      for (int j = 0; j < m; j++) {
        long[] out = new long[n];
        if (vals[j] != null) {
          Map<Long, Long> cache = new HashMap<>();
          final int col = j;
          for (int r = 0; r < n; r++) {
            final double v = vals[j][r];
            if (!Double.isNaN(v) && !fine(v)) {
              out[r] = cache.computeIfAbsent(key(v), k -> cellHash(col, token(v)));
            }
          }
          h[j] = out;
        } else if (codes[j] != null) {
          List<String> levels = ((ColumnData.Codes) t.column(j)).levels();
          long[] lh = new long[levels.size()];
          for (int l = 0; l < lh.length; l++) {
            lh[l] = cellHash(j, levels.get(l));
          }
          for (int r = 0; r < n; r++) {
            int code = codes[j][r];
            out[r] = code < 0 ? 0 : lh[code];
          }
          h[j] = out;
        }
      }
    }

    Table toTable() {
      List<ColumnData> out = new ArrayList<>(m);
      for (int j = 0; j < m; j++) {
        if (vals[j] != null) {
          out.add(ColumnData.Numbers.adopt(vals[j]));
        } else if (codes[j] != null) {
          out.add(ColumnData.Codes.adopt(codes[j],
              ((ColumnData.Codes) t.column(j)).levels()));
        } else {
          out.add(t.column(j));
        }
      }
      return Table.of(t.schema(), out);
    }
  }

  /** A growable int list. */
  private static final class IntList {
    int[] a = new int[4];
    int size;

    void add(int v) {
      if (size == a.length) {
        a = Arrays.copyOf(a, size * 2);
      }
      a[size++] = v;
    }

    int at(int i) {
      return a[i];
    }
  }

  /**
   * An open-addressing multiset of longs with counts. Keys and counts sit side by side in one
   * array, so a lookup in a large table costs one cache miss, not two.
   */
  static final class LongCounts {
    private long[] slots = new long[2 << 10]; // key at 2i (0 = empty), count at 2i + 1
    private int size;

    void add(long k, int d) {
      if (k == 0) {
        k = 1;
      }
      if (size * 4 >= slots.length) {
        grow();
      }
      int i = slot(k);
      if (slots[i] == 0) {
        slots[i] = k;
        size++;
      }
      slots[i + 1] += d;
    }

    int get(long k) {
      if (k == 0) {
        k = 1;
      }
      int i = slot(k);
      return slots[i] == 0 ? 0 : (int) slots[i + 1];
    }

    int size() {
      return size;
    }

    private int slot(long k) {
      int mask = slots.length / 2 - 1;
      int i = (int) (mix(k) & mask);
      while (slots[2 * i] != 0 && slots[2 * i] != k) {
        i = (i + 1) & mask;
      }
      return 2 * i;
    }

    private void grow() {
      long[] old = slots;
      slots = new long[old.length * 2];
      for (int i = 0; i < old.length; i += 2) {
        if (old[i] != 0) {
          int s = slot(old[i]);
          slots[s] = old[i];
          slots[s + 1] = old[i + 1];
        }
      }
    }

    /** The counts of the keys present (in no particular order). */
    int[] countsArray() {
      int[] out = new int[size];
      int k = 0;
      for (int i = 0; i < slots.length; i += 2) {
        if (slots[i] != 0) {
          out[k++] = (int) slots[i + 1];
        }
      }
      return out;
    }

    /** {units, green} over keys whose count is between 1 and {@code max}. */
    long[] greenAmongCountsUpTo(int max) {
      long units = 0;
      long g = 0;
      for (int i = 0; i < slots.length; i += 2) {
        if (slots[i] != 0 && slots[i + 1] >= 1 && slots[i + 1] <= max) {
          units++;
          g += green(slots[i]) ? 1 : 0;
        }
      }
      return new long[] {units, g};
    }
  }
}
