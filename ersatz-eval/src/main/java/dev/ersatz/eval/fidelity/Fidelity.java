package dev.ersatz.eval.fidelity;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.eval.Aligned;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes {@link FidelityReport}s.
 *
 * <p>Quality follows the SDMetrics 0.13 single-table {@code QualityReport} definitions as the
 * reference scorer ({@code score.py}) reimplements them: KSComplement (1 - two-sample
 * Kolmogorov-Smirnov D) for continuous columns, TVComplement (1 - total variation distance,
 * with SDMetrics' 1e-6 pseudo-count for levels only the other table has) for categorical ones,
 * CorrelationSimilarity (1 - |r_real - r_other| / 2, Pearson r on complete rows) for continuous
 * pairs, ContingencySimilarity (1 - TVD of the joint distribution; a continuous column cut
 * into 10 equal-width bins on each table's own range, the maximum and missing values together
 * in an 11th bin) for the other pairs. Undefined scores are left out of the means.
 *
 * <p>Accuracy follows mostlyai-qa (Mostly AI, "mostlyai-qa", accuracy section): every column is
 * cut into at most 10 bins fitted on the real table (deciles for continuous columns, the 9
 * most frequent levels plus "other" for categorical ones, missing as a bin of its own), and
 * accuracy is 1 - TVD of the univariate, bivariate and trivariate binned distributions.
 */
public final class Fidelity {
  /** Rows per table above which pair and accuracy metrics use a seeded subsample. */
  public static final int PAIR_MAX_ROWS = 200_000;
  /** Most triples averaged for trivariate accuracy. */
  public static final int MAX_TRIPLES = 100;
  static final int N_BINS = 10;
  /** Joint tables up to this many cells are counted in arrays, larger ones in a hash map. */
  private static final long DENSE_CELLS = 1 << 22;

  private Fidelity() {}

  /**
   * Compares table {@code other} of {@code data} with table 0 (the real one).
   *
   * @param data aligned tables
   * @param other index of the table to compare with the real one
   * @param rng seeds the subsample of large tables and the choice of triples
   * @return the report; scores are NaN where undefined (no values)
   */
  public static FidelityReport compare(Aligned data, int other, RandomSource rng) {
    int nc = data.columnCount();
    List<FidelityReport.ColumnShape> shapes = new ArrayList<>();
    List<FidelityReport.MissingRate> missing = new ArrayList<>();
    List<FidelityReport.Invented> invented = new ArrayList<>();
    Aligned pairData = data;
    if (data.rows(0) > PAIR_MAX_ROWS || data.rows(other) > PAIR_MAX_ROWS) {
      pairData = data.subsample(PAIR_MAX_ROWS, rng.split("pairs"));
    }
    int[][][] acc = new int[nc][][];   // accuracy bins per column: [table 0, other]
    int[] accK = new int[nc];
    int[][][] pairCodes = new int[nc][][];
    int[] pairK = new int[nc];
    double[] uni = new double[nc];
    for (int c = 0; c < nc; c++) {
      String name = data.name(c);
      double score;
      String metric;
      if (data.continuous(c)) {
        double[] a = data.numbers(c, 0);
        double[] b = data.numbers(c, other);
        metric = "KSComplement";
        score = ksComplement(a, b);
        invented.add(inventedRange(name, a, b));
        int[] ra = discretize(pairData.numbers(c, 0));
        int[] rb = discretize(pairData.numbers(c, other));
        pairCodes[c] = new int[][] {ra, rb};
        pairK[c] = N_BINS + 2;
        double[] breaks = decileBreaks(pairData.numbers(c, 0));
        acc[c] = new int[][] {quantileBins(pairData.numbers(c, 0), breaks),
            quantileBins(pairData.numbers(c, other), breaks)};
        accK[c] = breaks.length + 2;
      } else {
        int k = data.cardinality(c);
        metric = "TVComplement";
        score = tvComplement(data.codes(c, 0), data.codes(c, other), k);
        invented.add(inventedLevels(name, data.codes(c, 0), data.codes(c, other), k,
            data.missingCode(c)));
        pairCodes[c] = new int[][] {pairData.codes(c, 0), pairData.codes(c, other)};
        pairK[c] = k;
        int[] map = topLevels(pairData.codes(c, 0), k, data.missingCode(c));
        acc[c] = new int[][] {remap(pairData.codes(c, 0), map), remap(pairData.codes(c, other),
            map)};
        accK[c] = N_BINS + 1;
      }
      uni[c] = 1 - tvd(acc[c][0], acc[c][1], accK[c]);
      shapes.add(new FidelityReport.ColumnShape(name, metric, score, uni[c]));
      missing.add(new FidelityReport.MissingRate(name, missingShare(data, c, 0),
          missingShare(data, c, other)));
    }
    List<FidelityReport.PairTrend> pairs = new ArrayList<>();
    double[] bi = new double[nc * (nc - 1) / 2];
    int p = 0;
    for (int i = 0; i < nc; i++) {
      for (int j = i + 1; j < nc; j++) {
        double biAcc = 1 - tvd2(acc[i][0], acc[j][0], acc[i][1], acc[j][1], accK[i], accK[j]);
        bi[p++] = biAcc;
        if (data.continuous(i) && data.continuous(j)) {
          double[] r = correlationSimilarity(pairData.numbers(i, 0), pairData.numbers(j, 0),
              pairData.numbers(i, other), pairData.numbers(j, other));
          pairs.add(new FidelityReport.PairTrend(data.name(i), data.name(j),
              "CorrelationSimilarity", r[0], r[1], r[2], biAcc));
        } else {
          double s = contingencySimilarity(pairCodes[i][0], pairCodes[j][0], pairCodes[i][1],
              pairCodes[j][1], pairK[i], pairK[j]);
          pairs.add(new FidelityReport.PairTrend(data.name(i), data.name(j),
              "ContingencySimilarity", s, Double.NaN, Double.NaN, biAcc));
        }
      }
    }
    List<int[]> triples = triples(nc, MAX_TRIPLES, rng.split("triples"));
    double[] tri = new double[triples.size()];
    for (int t = 0; t < tri.length; t++) {
      int[] x = triples.get(t);
      tri[t] = 1 - tvd3(acc[x[0]], acc[x[1]], acc[x[2]], accK[x[0]], accK[x[1]], accK[x[2]]);
    }
    double shapeMean = nanMean(shapes.stream().mapToDouble(FidelityReport.ColumnShape::score)
        .toArray());
    double pairMean = nanMean(pairs.stream().mapToDouble(FidelityReport.PairTrend::score)
        .toArray());
    double uniMean = nanMean(uni);
    double biMean = nanMean(bi);
    double triMean = nanMean(tri);
    return new FidelityReport(nanMean(new double[] {shapeMean, pairMean}), shapeMean, pairMean,
        List.copyOf(shapes), List.copyOf(pairs), nanMean(new double[] {uniMean, biMean, triMean}),
        uniMean, biMean, triMean, tri.length, List.copyOf(missing), List.copyOf(invented),
        Math.max(pairData.rows(0), pairData.rows(other)));
  }

  private static double missingShare(Aligned d, int c, int t) {
    int n = d.rows(t);
    if (n == 0) {
      return Double.NaN;
    }
    int m = 0;
    for (int r = 0; r < n; r++) {
      if (d.isMissing(c, t, r)) {
        m++;
      }
    }
    return m / (double) n;
  }

  private static FidelityReport.Invented inventedRange(String name, double[] real,
      double[] other) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double x : real) {
      if (!Double.isNaN(x)) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
    long out = 0;
    for (double x : other) {
      if (!Double.isNaN(x) && (x < lo || x > hi)) {
        out++;
      }
    }
    return new FidelityReport.Invented(name, 0, out, other.length == 0 ? 0 : out
        / (double) other.length);
  }

  private static FidelityReport.Invented inventedLevels(String name, int[] real, int[] other,
      int k, int missingCode) {
    long[] rc = counts(real, k);
    long[] oc = counts(other, k);
    int levels = 0;
    long rows = 0;
    for (int i = 0; i < k; i++) {
      if (i != missingCode && rc[i] == 0 && oc[i] > 0) {
        levels++;
        rows += oc[i];
      }
    }
    return new FidelityReport.Invented(name, levels, rows, other.length == 0 ? 0 : rows
        / (double) other.length);
  }

  static long[] counts(int[] codes, int k) {
    long[] c = new long[k];
    for (int x : codes) {
      c[x]++;
    }
    return c;
  }

  /**
   * 1 - the two-sample Kolmogorov-Smirnov D statistic (the largest distance between the two
   * empirical CDFs), missing values dropped.
   *
   * @return NaN when either side has no values
   */
  public static double ksComplement(double[] a, double[] b) {
    return 1 - ksStatistic(a, b);
  }

  /** The two-sample Kolmogorov-Smirnov D statistic, NaN dropped; NaN if a side is empty. */
  public static double ksStatistic(double[] a, double[] b) {
    double[] x = sortedValues(a);
    double[] y = sortedValues(b);
    if (x.length == 0 || y.length == 0) {
      return Double.NaN;
    }
    int i = 0;
    int j = 0;
    double d = 0;
    while (i < x.length || j < y.length) {
      double v = j >= y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
      while (i < x.length && x[i] == v) {
        i++;
      }
      while (j < y.length && y[j] == v) {
        j++;
      }
      d = Math.max(d, Math.abs(i / (double) x.length - j / (double) y.length));
    }
    return d;
  }

  static double[] sortedValues(double[] a) {
    double[] x = new double[a.length];
    int n = 0;
    for (double v : a) {
      if (!Double.isNaN(v)) {
        x[n++] = v;
      }
    }
    x = Arrays.copyOf(x, n);
    Arrays.sort(x);
    return x;
  }

  /**
   * 1 - total variation distance of the code frequencies; a code the real side lacks but the
   * other side has gets a pseudo-count of 1e-6 on the real side, as in SDMetrics 0.13.
   *
   * @param k number of codes (codes are in [0, k))
   * @return NaN when either side is empty
   */
  public static double tvComplement(int[] real, int[] other, int k) {
    if (real.length == 0 || other.length == 0) {
      return Double.NaN;
    }
    double[] rc = new double[k];
    double[] sc = new double[k];
    for (int x : real) {
      rc[x]++;
    }
    for (int x : other) {
      sc[x]++;
    }
    double rs = 0;
    double ss = 0;
    for (int i = 0; i < k; i++) {
      if (rc[i] == 0 && sc[i] > 0) {
        rc[i] += 1e-6;
      }
      rs += rc[i];
      ss += sc[i];
    }
    double t = 0;
    for (int i = 0; i < k; i++) {
      t += Math.abs(sc[i] / ss - rc[i] / rs);
    }
    return 1 - 0.5 * t;
  }

  /** Pearson r on the rows where both values are present; NaN below 2 rows or if constant. */
  public static double pearson(double[] x, double[] y) {
    int n = 0;
    double sx = 0;
    double sy = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        n++;
        sx += x[i];
        sy += y[i];
      }
    }
    if (n < 2) {
      return Double.NaN;
    }
    double mx = sx / n;
    double my = sy / n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        double a = x[i] - mx;
        double b = y[i] - my;
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
      }
    }
    if (sxx == 0 || syy == 0) {
      return Double.NaN;
    }
    return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  }

  /**
   * CorrelationSimilarity: {@code {score, r_real, r_other}}. The score is NaN when a column
   * has exactly one distinct value in either table, as in SDMetrics 0.13.
   */
  public static double[] correlationSimilarity(double[] xr, double[] yr, double[] xs,
      double[] ys) {
    if (singleValued(xr) || singleValued(yr) || singleValued(xs) || singleValued(ys)) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    double rr = pearson(xr, yr);
    double rs = pearson(xs, ys);
    double s = Double.isNaN(rr) || Double.isNaN(rs) ? Double.NaN : 1 - Math.abs(rr - rs) / 2;
    return new double[] {s, rr, rs};
  }

  private static boolean singleValued(double[] x) {
    double first = Double.NaN;
    for (double v : x) {
      if (!Double.isNaN(v)) {
        if (Double.isNaN(first)) {
          first = v;
        } else if (v != first) {
          return false;
        }
      }
    }
    return !Double.isNaN(first);
  }

  /**
   * ContingencySimilarity: 1 - TVD of the normalised joint frequency tables of two code
   * columns.
   *
   * @return NaN when a table is empty
   */
  public static double contingencySimilarity(int[] ar, int[] br, int[] as, int[] bs, int ka,
      int kb) {
    if (ar.length == 0 || as.length == 0) {
      return Double.NaN;
    }
    return 1 - tvd2(ar, br, as, bs, ka, kb);
  }

  /** TVD of two joint distributions of code pairs (codes below {@code ka} and {@code kb}). */
  static double tvd2(int[] ar, int[] br, int[] as, int[] bs, int ka, int kb) {
    if ((long) ka * kb <= DENSE_CELLS) {
      int[] cr = new int[ka * kb];
      int[] cs = new int[ka * kb];
      for (int i = 0; i < ar.length; i++) {
        cr[ar[i] * kb + br[i]]++;
      }
      for (int i = 0; i < as.length; i++) {
        cs[as[i] * kb + bs[i]]++;
      }
      return denseTvd(cr, ar.length, cs, as.length);
    }
    Map<Long, double[]> cells = new HashMap<>();
    for (int i = 0; i < ar.length; i++) {
      cells.computeIfAbsent((long) ar[i] * kb + br[i], x -> new double[2])[0]++;
    }
    for (int i = 0; i < as.length; i++) {
      cells.computeIfAbsent((long) as[i] * kb + bs[i], x -> new double[2])[1]++;
    }
    double t = 0;
    for (double[] v : cells.values()) {
      t += Math.abs(v[0] / ar.length - v[1] / as.length);
    }
    return 0.5 * t;
  }

  private static double denseTvd(int[] cr, int nr, int[] cs, int ns) {
    double t = 0;
    for (int i = 0; i < cr.length; i++) {
      if (cr[i] != 0 || cs[i] != 0) {
        t += Math.abs(cr[i] / (double) nr - cs[i] / (double) ns);
      }
    }
    return 0.5 * t;
  }

  private static double tvd3(int[][] a, int[][] b, int[][] c, int ka, int kb, int kc) {
    if ((long) ka * kb * kc <= DENSE_CELLS) {
      int[][] cnt = new int[2][ka * kb * kc];
      for (int s = 0; s < 2; s++) {
        for (int i = 0; i < a[s].length; i++) {
          cnt[s][(a[s][i] * kb + b[s][i]) * kc + c[s][i]]++;
        }
      }
      return denseTvd(cnt[0], a[0].length, cnt[1], a[1].length);
    }
    Map<Long, double[]> cells = new HashMap<>();
    for (int s = 0; s < 2; s++) {
      for (int i = 0; i < a[s].length; i++) {
        long key = ((long) a[s][i] * kb + b[s][i]) * kc + c[s][i];
        cells.computeIfAbsent(key, x -> new double[2])[s]++;
      }
    }
    double t = 0;
    for (double[] v : cells.values()) {
      t += Math.abs(v[0] / a[0].length - v[1] / a[1].length);
    }
    return 0.5 * t;
  }

  static double tvd(int[] a, int[] b, int k) {
    if (a.length == 0 || b.length == 0) {
      return Double.NaN;
    }
    long[] ca = counts(a, k);
    long[] cb = counts(b, k);
    double t = 0;
    for (int i = 0; i < k; i++) {
      t += Math.abs(ca[i] / (double) a.length - cb[i] / (double) b.length);
    }
    return 0.5 * t;
  }

  /**
   * Bin index of each value as SDMetrics 0.13 (via {@code numpy.histogram_bin_edges} and
   * {@code numpy.digitize}) forms it: 10 equal-width bins over this array's own [min, max]
   * (a constant column gets [v - 0.5, v + 0.5], an empty one [0, 1]), bins 1..10, and the
   * maximum itself and missing values in bin 11.
   */
  public static int[] discretize(double[] x) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      if (!Double.isNaN(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo > hi) {
      lo = 0;
      hi = 1;
    } else if (lo == hi) {
      lo -= 0.5;
      hi += 0.5;
    }
    double[] edges = new double[N_BINS + 1];
    double step = (hi - lo) / N_BINS;
    for (int i = 0; i < N_BINS; i++) {
      edges[i] = i * step + lo;
    }
    edges[N_BINS] = hi;
    int[] out = new int[x.length];
    for (int r = 0; r < x.length; r++) {
      double v = x[r];
      if (Double.isNaN(v)) {
        out[r] = N_BINS + 1;
      } else {
        // searchsorted(edges, v, side='right'): the number of edges <= v
        int k = 0;
        while (k <= N_BINS && edges[k] <= v) {
          k++;
        }
        out[r] = k;
      }
    }
    return out;
  }

  /** The distinct real deciles (type-7 quantiles at 0.1..0.9) used as accuracy bin breaks. */
  static double[] decileBreaks(double[] real) {
    double[] x = sortedValues(real);
    if (x.length == 0) {
      return new double[0];
    }
    double[] b = new double[N_BINS - 1];
    int n = 0;
    for (int q = 1; q < N_BINS; q++) {
      double h = (x.length - 1) * q / (double) N_BINS;
      int lo = (int) Math.floor(h);
      double v = x[lo] + (h - lo) * (x[Math.min(lo + 1, x.length - 1)] - x[lo]);
      if (n == 0 || v > b[n - 1]) {
        b[n++] = v;
      }
    }
    return Arrays.copyOf(b, n);
  }

  /** Bin = number of breaks strictly below the value (so a value equal to a break joins the
   * lower bin); missing gets the last bin. */
  static int[] quantileBins(double[] x, double[] breaks) {
    int[] out = new int[x.length];
    for (int r = 0; r < x.length; r++) {
      double v = x[r];
      if (Double.isNaN(v)) {
        out[r] = breaks.length + 1;
      } else {
        int k = 0;
        while (k < breaks.length && breaks[k] < v) {
          k++;
        }
        out[r] = k;
      }
    }
    return out;
  }

  /** Maps each code to its rank among the 9 most frequent real levels, else 9 ("other");
   * missing goes to 10. Ties are broken by code order. */
  static int[] topLevels(int[] real, int k, int missingCode) {
    long[] c = counts(real, k);
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> c[x] != c[y] ? Long.compare(c[y], c[x]) : Integer.compare(x,
        y));
    int[] map = new int[k];
    Arrays.fill(map, N_BINS - 1);
    int rank = 0;
    for (int i = 0; i < k && rank < N_BINS - 1; i++) {
      int code = order[i];
      if (code != missingCode && c[code] > 0) {
        map[code] = rank++;
      }
    }
    map[missingCode] = N_BINS;
    return map;
  }

  private static int[] remap(int[] codes, int[] map) {
    int[] out = new int[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = map[codes[i]];
    }
    return out;
  }

  /** All column triples when there are at most {@code max}, else {@code max} distinct ones. */
  static List<int[]> triples(int nc, int max, RandomSource rng) {
    List<int[]> all = new ArrayList<>();
    for (int a = 0; a < nc; a++) {
      for (int b = a + 1; b < nc; b++) {
        for (int c = b + 1; c < nc; c++) {
          all.add(new int[] {a, b, c});
        }
      }
    }
    if (all.size() <= max) {
      return all;
    }
    int[] pick = Aligned.sampleIndices(all.size(), max, rng);
    List<int[]> out = new ArrayList<>();
    for (int i : pick) {
      out.add(all.get(i));
    }
    return out;
  }

  /** The mean of the values that are not NaN; NaN when there are none. */
  public static double nanMean(double[] v) {
    double s = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        s += x;
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }
}
