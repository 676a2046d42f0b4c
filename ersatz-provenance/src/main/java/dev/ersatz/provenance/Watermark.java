package dev.ersatz.provenance;

import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A keyed statistical watermark for synthetic tables (scheme {@value #SCHEME}), detectable with
 * a p-value by whoever holds the key, without the original data or any manifest.
 *
 * <h2>Units</h2>
 * A keyed pseudo-random function (SipHash-2-4, see {@link SipHash}) colours every <em>unit</em>
 * green or red with probability 1/2 each, in the spirit of the "green list" of Kirchenbauer et
 * al., "A Watermark for Large Language Models", ICML 2023. Cells are read as canonical tokens
 * (numbers as their shortest plain decimal, labels as their text), so re-saving as CSV does not
 * change them. There are two kinds of unit:
 * <ul>
 *   <li>a <b>fine cell</b>: a (column name, number) whose shortest decimal has at least 4
 *       significant digits (12345, 1234.5, but not 40, 50000 or 0.5);
 *   <li>a <b>coarse pair</b>: (column a, token a, column b, token b) for two coarse (non-fine,
 *       non-missing) cells of the same row, columns ordered by name, where one column is
 *       carrier-like (numeric with at least 20 distinct coarse values in the table tested) and
 *       the other informative (at least 8 distinct coarse values). Pairs with a column of few
 *       values (sex, a 0/1 label) are left out: every combination occurs, so they carry no
 *       evidence;
 *   <li>a <b>coarse triple</b>: three coarse cells of a row, a carrier-like column with two of
 *       its {@value #TRIPLE_PARTNERS} informative partners of most distinct values in the table
 *       tested. Triples repeat far less than pairs, so in a table of 1,000 rows many more of
 *       them are distinct, and each carries evidence.
 * </ul>
 * Detection collects the <em>distinct</em> units of a table and counts the green ones. Each
 * distinct unit is coloured by an independent fair coin whatever the data (the data do not
 * depend on the key), so without the watermark the count is exactly Binomial(units, 1/2), and
 * the one-sided p-value is exact: the false positive rate at threshold alpha is at most alpha on
 * any table, real or synthetic. Counting distinct units (not cells) is what makes this hold when
 * a value repeats.
 *
 * <h2>Embedding</h2>
 * <ul>
 *   <li>a fine number that occurs at most {@code maxRepeat} times in the batch is moved to the
 *       nearest green fine value within {@code maxShift} units of its last digit (at the
 *       column's scale), e.g. 183,417 to 183,418. Repeated values are left alone, because moving
 *       a mass point would change the distribution;
 *   <li>in "carrier" columns (numeric, at least {@code minCarrierLevels} distinct coarse values in
 *       the batch), values are grouped in couples of adjacent values (2k and 2k+1 in units of
 *       the last digit: ages 40 and 41, 42 and 43...). A row "wants" to move to the other value
 *       of its couple when that makes more of its pairs and triples green. Within
 *       each couple, as many rows move up as move down (those with the largest gain), so every
 *       value keeps <em>exactly</em> its count in the batch: the marginal distribution does not
 *       change at all, and pairs change only by one unit of one column in the swapped rows.
 * </ul>
 * Identifiers, free text, datetimes, categorical values and missing cells are never changed.
 *
 * <h2>What it survives and what it does not</h2>
 * It survives row shuffling, subsampling, dropping columns (each remaining fine column, and
 * each remaining carrier with informative partners, still carries evidence) and re-saving as
 * CSV. It does <b>not</b> survive: losing every column of fine numbers (then the carriers alone
 * often give too little evidence in 1,000 rows: on census, with fnlwgt dropped, well under half
 * of the attacked tables reach p &lt;= 1e-6); rounding numbers to fewer digits; adding noise of
 * a few units to every number; renaming columns (the column name is part of every unit);
 * converting units (dollars to cents); tables with no fine numbers and no carrier column (only
 * categorical columns); or an adversary who holds the key. See BENCHMARKS-gov.md.
 */
public final class Watermark {
  /** The scheme's name, recorded in manifests. */
  public static final String SCHEME = "ersatz-wm1";
  /** The default significance threshold for calling a table watermarked. */
  public static final double DEFAULT_ALPHA = 1e-6;

  /** Triples are formed with this many partners of a carrier (those of most values). */
  static final int TRIPLE_PARTNERS = 6;
  private static final long TRIPLE_DOMAIN = 0x7472697031000000L;

  private Watermark() {}

  /**
   * Tuning of the embedding. Detection uses {@link #DEFAULTS}' column thresholds.
   *
   * @param maxRepeat a fine value is moved only if it occurs at most this often in the batch
   * @param maxShift furthest move of a fine value, in units of its column's last digit
   * @param minCarrierLevels distinct coarse values a numeric column needs to be a carrier
   * @param minPartnerLevels distinct coarse values a column needs to count as a pair partner
   */
  public record Options(int maxRepeat, int maxShift, int minCarrierLevels,
      int minPartnerLevels) {
    /** The defaults used by {@code sample --watermark}. */
    public static final Options DEFAULTS = new Options(2, 8, 20, 8);

    public Options {
      if (maxRepeat < 1 || maxShift < 1 || minCarrierLevels < 2 || minPartnerLevels < 2) {
        throw new IllegalArgumentException("invalid watermark options " + maxRepeat + ", "
            + maxShift + ", " + minCarrierLevels + ", " + minPartnerLevels);
      }
    }
  }

  /**
   * The outcome of a detection.
   *
   * @param units distinct units scored
   * @param green how many of them are green
   * @param z the z-score of the green count against Binomial(units, 1/2)
   * @param pValue one-sided exact binomial p-value: the chance of at least this many green units
   *     in a table without this watermark
   */
  public record Detection(long units, long green, double z, double pValue) {
    /** Whether {@code pValue <= alpha}. */
    public boolean detected(double alpha) {
      return pValue <= alpha;
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
   * same batch and key give the same output, and the batch is not changed. Batches of at least
   * 1,000 rows embed best (repeat counts, carriers and partners are judged within the batch).
   * Thread-safe: sampling workers may embed their batches in parallel.
   *
   * @param batch synthetic rows
   * @param key the watermark key
   * @param o tuning
   * @return the watermarked rows, same schema and row count
   */
  public static Table embed(Table batch, WatermarkKey key, Options o) {
    Units u = new Units(key, batch);
    int n = batch.rowCount();
    int m = batch.schema().size();
    double[][] vals = new double[m][];
    for (int j = 0; j < m; j++) {
      if (u.numeric[j]) {
        vals[j] = ((ColumnData.Numbers) batch.column(j)).toArray();
      }
    }
    // 1. fine numbers: nudge to the nearest green fine value
    for (int j = 0; j < m; j++) {
      if (!u.numeric[j]) {
        continue;
      }
      Map<Double, Integer> counts = counts(vals[j]);
      int scale = u.scale[j];
      for (int r = 0; r < n; r++) {
        double v = vals[j][r];
        if (Double.isNaN(v) || !fine(v) || counts.get(v) > o.maxRepeat()) {
          continue;
        }
        BigDecimal bd = BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_EVEN);
        long unscaled;
        try {
          unscaled = bd.unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
          continue;
        }
        for (int s = 0; s <= 2 * o.maxShift(); s++) {
          long d = (s + 1) / 2 * (s % 2 == 1 ? 1 : -1);
          double c = BigDecimal.valueOf(unscaled + d, scale).doubleValue();
          if (fine(c) && green(u.cellHash(j, token(c)))) {
            vals[j][r] = c;
            break;
          }
        }
      }
    }
    // 2. carriers: balanced swaps inside couples of adjacent values (2k, 2k+1 in units of the
    //    last digit), so that every value keeps exactly its count in the batch
    long[][] h = new long[m][];
    for (int j = 0; j < m; j++) {
      h[j] = u.coarseHashes(j, vals[j]);
    }
    boolean[] informative = new boolean[m];
    boolean[] carrier = new boolean[m];
    int[] levels = new int[m];
    for (int j = 0; j < m; j++) {
      levels[j] = distinct(h[j]);
      informative[j] = levels[j] >= o.minPartnerLevels();
      carrier[j] = u.numeric[j] && levels[j] >= o.minCarrierLevels();
    }
    for (int a = 0; a < m; a++) {
      if (carrier[a]) {
        // triples are scored with the few partners of most distinct values only (cost grows
        // with the square of the partners)
        boolean[] triplePartner = topPartners(levels, informative, a, TRIPLE_PARTNERS);
        // two passes, couples (2k, 2k+1) then (2k+1, 2k+2), so any neighbour can be reached
        swapCouples(u, a, vals[a], h, informative, triplePartner, 0);
        swapCouples(u, a, vals[a], h, informative, triplePartner, 1);
      }
    }
        List<ColumnData> out = new ArrayList<>(m);
    for (int j = 0; j < m; j++) {
      out.add(u.numeric[j] ? ColumnData.Numbers.adopt(vals[j]) : batch.column(j));
    }
    return Table.of(batch.schema(), out);
  }

  /** One carrier column: rows that gain green pairs by moving to their couple swap in pairs. */
  private static void swapCouples(Units u, int a, double[] vals, long[][] h,
      boolean[] informative, boolean[] triplePartner, long offset) {
    int n = vals.length;
    int scale = u.scale[a];
    // couple id -> rows wanting to move up (from even) / down (from odd), with their gains
    Map<Long, List<long[]>> up = new HashMap<>();
    Map<Long, List<long[]>> down = new HashMap<>();
    Map<Long, Long> partnerHash = new HashMap<>();
    int[] partners = new int[h.length];
    for (int r = 0; r < n; r++) {
      double v = vals[r];
      if (h[a][r] == 0) {
        continue;
      }
      long unscaled;
      try {
        unscaled = BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_EVEN).unscaledValue()
            .longValueExact();
      } catch (ArithmeticException e) {
        continue;
      }
      long other = ((unscaled - offset) ^ 1L) + offset;
      Long hc = partnerHash.computeIfAbsent(other, x -> {
        double c = BigDecimal.valueOf(x, scale).doubleValue();
        return fine(c) ? 0L : u.cellHash(a, token(c));
      });
      if (hc == 0L) {
        continue;
      }
      int gain = 0;
      int np = 0;
      for (int b = 0; b < h.length; b++) {
        if (b != a && informative[b] && h[b][r] != 0) {
          gain += (green(u.pair(a, hc, b, h[b][r])) ? 1 : 0)
              - (green(u.pair(a, h[a][r], b, h[b][r])) ? 1 : 0);
          if (triplePartner[b]) {
            partners[np++] = b;
          }
        }
      }
      // triples: three cells repeat far less than pairs in a small table
      for (int i = 0; i < np; i++) {
        for (int k = i + 1; k < np; k++) {
          int b = partners[i];
          int c = partners[k];
          gain += (green(u.triple(a, hc, b, h[b][r], c, h[c][r])) ? 1 : 0)
              - (green(u.triple(a, h[a][r], b, h[b][r], c, h[c][r])) ? 1 : 0);
        }
      }
      if (gain > 0) {
        long couple = Math.floorDiv(unscaled - offset, 2);
        (((unscaled - offset) & 1L) == 0 ? up : down).computeIfAbsent(couple, x -> new ArrayList<>())
            .add(new long[] {r, gain, other, hc});
      }
    }
    for (Map.Entry<Long, List<long[]>> e : up.entrySet()) {
      List<long[]> ups = e.getValue();
      List<long[]> downs = down.get(e.getKey());
      if (downs == null) {
        continue;
      }
      int k = Math.min(ups.size(), downs.size());
      ups.sort((x, y) -> Long.compare(y[1], x[1]));
      downs.sort((x, y) -> Long.compare(y[1], x[1]));
      for (List<long[]> side : List.of(ups, downs)) {
        for (int i = 0; i < k; i++) {
          long[] w = side.get(i);
          int r = (int) w[0];
          vals[r] = BigDecimal.valueOf(w[2], scale).doubleValue();
          h[a][r] = w[3];
        }
      }
    }
  }

  /** The {@code k} informative columns other than {@code a} with most distinct values. */
  private static boolean[] topPartners(int[] levels, boolean[] informative, int a, int k) {
    boolean[] out = new boolean[levels.length];
    for (int t = 0; t < k; t++) {
      int best = -1;
      for (int j = 0; j < levels.length; j++) {
        if (j != a && informative[j] && !out[j] && (best < 0 || levels[j] > levels[best])) {
          best = j;
        }
      }
      if (best < 0) {
        break;
      }
      out[best] = true;
    }
    return out;
  }

  private static int distinct(long[] hashes) {
    if (hashes == null) {
      return 0;
    }
    LongSet s = new LongSet();
    for (long x : hashes) {
      if (x != 0) {
        s.add(x);
      }
    }
    return (int) s.size();
  }

  /**
   * Tests {@code table} for the watermark of {@code key}.
   *
   * @param table any table: a watermarked output, a subsample of it, a re-read CSV, real data
   * @param key the key to test
   * @return the counts and the exact one-sided p-value (1.0 when there are no units)
   */
  public static Detection detect(Table table, WatermarkKey key) {
    Units u = new Units(key, table);
    int n = table.rowCount();
    int m = table.schema().size();
    LongSet set = new LongSet();
    long[][] h = new long[m][];
    for (int j = 0; j < m; j++) {
      double[] vals = u.numeric[j] ? ((ColumnData.Numbers) table.column(j)).toArray() : null;
      h[j] = u.coarseHashes(j, vals);
      if (vals != null) {
        for (int r = 0; r < n; r++) {
          double v = vals[r];
          if (!Double.isNaN(v) && fine(v)) {
            set.add(u.cellHash(j, token(v)));
          }
        }
      }
    }
    // Only pairs of a carrier-like column with an informative one can carry evidence
    // (embedding moves nothing else); the choice depends on the data alone, so the null
    // distribution is unchanged.
    boolean[] informative = new boolean[m];
    boolean[] carrierLike = new boolean[m];
    for (int j = 0; j < m; j++) {
      int levels = distinct(h[j]);
      informative[j] = levels >= Options.DEFAULTS.minPartnerLevels();
      carrierLike[j] = u.numeric[j] && levels >= Options.DEFAULTS.minCarrierLevels();
    }
    for (int a = 0; a < m; a++) {
      for (int b = a + 1; b < m; b++) {
        if (h[a] == null || h[b] == null || !(carrierLike[a] && informative[b]
            || carrierLike[b] && informative[a])) {
          continue;
        }
        for (int r = 0; r < n; r++) {
          if (h[a][r] != 0 && h[b][r] != 0) {
            set.add(u.pair(a, h[a][r], b, h[b][r]));
          }
        }
      }
    }
    // triples of a carrier-like column with two of its top partners in this table
    int[] levels = new int[m];
    for (int j = 0; j < m; j++) {
      levels[j] = distinct(h[j]);
    }
    for (int a = 0; a < m; a++) {
      if (!carrierLike[a]) {
        continue;
      }
      boolean[] top = topPartners(levels, informative, a, TRIPLE_PARTNERS);
      for (int b = 0; b < m; b++) {
        for (int c = b + 1; c < m; c++) {
          if (!top[b] || !top[c]) {
            continue;
          }
          for (int r = 0; r < n; r++) {
            if (h[a][r] != 0 && h[b][r] != 0 && h[c][r] != 0) {
              set.add(u.triple(a, h[a][r], b, h[b][r], c, h[c][r]));
            }
          }
        }
      }
    }
    long units = set.size();
    long greens = set.countGreen();
    double z = units == 0 ? 0 : (greens - units / 2.0) / Math.sqrt(units / 4.0);
    return new Detection(units, greens, z, Binomial.upperTailHalf(units, greens));
  }

  static boolean green(long h) {
    return (h & 1L) == 1L;
  }

  /** Whether a number's shortest decimal has at least 4 significant digits. */
  static boolean fine(double v) {
    if (v == 0 || Double.isInfinite(v)) {
      return false;
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

  private static Map<Double, Integer> counts(double[] vals) {
    Map<Double, Integer> c = new HashMap<>();
    for (double v : vals) {
      if (!Double.isNaN(v)) {
        c.merge(v, 1, Integer::sum);
      }
    }
    return c;
  }

  /** Keyed hashes of the cells of one table. */
  private static final class Units {
    final SipHash sip;
    final Table t;
    final boolean[] numeric;
    final int[] scale;
    final byte[][] prefix;
    final int[] nameRank;

    Units(WatermarkKey key, Table t) {
      this.sip = new SipHash(key.k0(), key.k1());
      this.t = t;
      int m = t.schema().size();
      numeric = new boolean[m];
      scale = new int[m];
      prefix = new byte[m][];
      nameRank = new int[m];
      List<String> names = new ArrayList<>(t.schema().names());
      List<String> sorted = new ArrayList<>(names);
      sorted.sort(null);
      for (int j = 0; j < m; j++) {
        Column c = t.schema().column(j);
        if (c.type() instanceof ColumnType.Numeric) {
          numeric[j] = true;
          scale[j] = ((ColumnType.Numeric) c.type()).scale();
        }
        prefix[j] = ("c:" + c.name() + "\u0000").getBytes(StandardCharsets.UTF_8);
        nameRank[j] = sorted.indexOf(c.name());
      }
    }

    long cellHash(int j, String token) {
      byte[] tb = token.getBytes(StandardCharsets.UTF_8);
      byte[] in = new byte[prefix[j].length + tb.length];
      System.arraycopy(prefix[j], 0, in, 0, prefix[j].length);
      System.arraycopy(tb, 0, in, prefix[j].length, tb.length);
      long h = sip.hash(in);
      // 0 marks "no coarse cell" in the arrays below
      return h == 0 ? 1 : h;
    }

    long pair(int a, long ha, int b, long hb) {
      return nameRank[a] < nameRank[b] ? sip.hash(ha, hb) : sip.hash(hb, ha);
    }

    /** The unit of three cells, in column-name order, domain-separated from pairs. */
    long triple(int a, long ha, int b, long hb, int c, long hc) {
      long[] hs = {ha, hb, hc};
      int[] rk = {nameRank[a], nameRank[b], nameRank[c]};
      // sort the three by name rank
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2 - i; j++) {
          if (rk[j] > rk[j + 1]) {
            int t = rk[j];
            rk[j] = rk[j + 1];
            rk[j + 1] = t;
            long x = hs[j];
            hs[j] = hs[j + 1];
            hs[j + 1] = x;
          }
        }
      }
      return sip.hash(sip.hash(hs[0], hs[1]) ^ TRIPLE_DOMAIN, hs[2]);
    }

    /** Hashes of the coarse cells of column j (0 = not coarse), or null if it has none. */
    long[] coarseHashes(int j, double[] vals) {
      int n = t.rowCount();
      ColumnData d = t.column(j);
      long[] out = new long[n];
      if (numeric[j]) {
        Map<Double, Long> cache = new HashMap<>();
        for (int r = 0; r < n; r++) {
          double v = vals[r];
          if (!Double.isNaN(v) && !fine(v)) {
            out[r] = cache.computeIfAbsent(v, x -> cellHash(j, token(x)));
          }
        }
        return out;
      }
      if (d instanceof ColumnData.Codes) {
        ColumnData.Codes codes = (ColumnData.Codes) d;
        long[] levelHash = new long[codes.levels().size()];
        for (int l = 0; l < levelHash.length; l++) {
          levelHash[l] = cellHash(j, codes.levels().get(l));
        }
        for (int r = 0; r < n; r++) {
          int c = codes.code(r);
          out[r] = c < 0 ? 0 : levelHash[c];
        }
        return out;
      }
      return null;
    }
  }

  /** An open-addressing multiset of longs (0 is never stored). */
  private static final class LongSet {
    private long[] slots = new long[1 << 12];
    private int[] counts = new int[1 << 12];
    private int size;

    void add(long v) {
      if (v == 0) {
        v = 1;
      }
      if (size * 2 >= slots.length) {
        grow();
      }
      put(v, 1);
    }

    private void put(long v, int c) {
      int mask = slots.length - 1;
      int i = (int) (RandomSourceMix.mix(v) & mask);
      while (slots[i] != 0) {
        if (slots[i] == v) {
          counts[i] += c;
          return;
        }
        i = (i + 1) & mask;
      }
      slots[i] = v;
      counts[i] = c;
      size++;
    }

    private void grow() {
      long[] old = slots;
      int[] oldCounts = counts;
      slots = new long[old.length * 2];
      counts = new int[old.length * 2];
      size = 0;
      for (int i = 0; i < old.length; i++) {
        if (old[i] != 0) {
          put(old[i], oldCounts[i]);
        }
      }
    }

    long size() {
      return size;
    }

    long countGreen() {
      long g = 0;
      for (long v : slots) {
        if (v != 0 && green(v)) {
          g++;
        }
      }
      return g;
    }
  }

  /** Bit mixing for hash-table slots. */
  private static final class RandomSourceMix {
    static long mix(long z) {
      z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
      z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
      return z ^ (z >>> 33);
    }
  }
}
