package dev.ersatz.eval.privacy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.eval.Aligned;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The mixed-type distance used for every privacy metric, defined once.
 *
 * <p>For rows x and y, the squared distance is the sum over continuous columns of
 * {@code ((x - lo) / span - (y - lo) / span)^2}, where lo and span are the reference (real
 * training) table's minimum and range (a range of 0 counts as 1), with a missing value taken as
 * 0 plus a 0/1 missing-indicator term {@code (m_x - m_y)^2}; plus, for categorical columns, 1
 * for every column whose levels differ (missing is a level of its own). This is the Euclidean
 * distance after min-max scaling and one-hot encoding scaled by 1/sqrt(2), exactly as the
 * reference scorer ({@code score.py}, {@code distance_space}) defines it.
 */
public final class DistanceSpace {
  private final List<String> names;
  private final boolean[] continuous;
  private final double[] lo;
  private final double[] span;
  private final List<Map<String, Integer>> levelCodes;
  private final int[] missingCode;
  private final int numDims;
  private final int catDims;

  private DistanceSpace(Aligned data, int reference) {
    int nc = data.columnCount();
    names = data.names();
    continuous = new boolean[nc];
    lo = new double[nc];
    span = new double[nc];
    missingCode = new int[nc];
    levelCodes = new ArrayList<>();
    int nd = 0;
    int cd = 0;
    for (int c = 0; c < nc; c++) {
      continuous[c] = data.continuous(c);
      Map<String, Integer> m = new HashMap<>();
      if (continuous[c]) {
        double a = Double.POSITIVE_INFINITY;
        double b = Double.NEGATIVE_INFINITY;
        for (double x : data.numbers(c, reference)) {
          if (!Double.isNaN(x)) {
            a = Math.min(a, x);
            b = Math.max(b, x);
          }
        }
        lo[c] = a > b ? 0 : a;
        span[c] = a > b || b - a == 0 ? 1 : b - a;
        nd += 2;
      } else {
        List<String> lv = data.levels(c);
        for (int i = 0; i < lv.size(); i++) {
          m.put(lv.get(i), i);
        }
        missingCode[c] = data.missingCode(c);
        cd++;
      }
      levelCodes.add(m);
    }
    numDims = nd;
    catDims = cd;
  }

  /**
   * The space fitted on table {@code reference} of {@code data} (min and range of its
   * continuous columns).
   */
  public static DistanceSpace of(Aligned data, int reference) {
    return new DistanceSpace(data, reference);
  }

  /** Rows embedded in a space: numeric coordinates (row-major) and categorical codes. */
  public record Points(int size, int numDims, int catDims, double[] num, int[] cat) {
    /** The squared distance between row i of this and row j of {@code o}. */
    public double distanceSq(int i, Points o, int j) {
      double s = 0;
      for (int d = 0; d < numDims; d++) {
        double t = num[i * numDims + d] - o.num[j * numDims + d];
        s += t * t;
      }
      int mismatches = 0;
      for (int d = 0; d < catDims; d++) {
        if (cat[i * catDims + d] != o.cat[j * catDims + d]) {
          mismatches++;
        }
      }
      // numeric part first, then the mismatch count at once: the index sums the same way
      return s + mismatches;
    }

    /** A subset of the rows. */
    public Points select(int[] rows) {
      double[] n = new double[rows.length * numDims];
      int[] c = new int[rows.length * catDims];
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(num, rows[i] * numDims, n, i * numDims, numDims);
        System.arraycopy(cat, rows[i] * catDims, c, i * catDims, catDims);
      }
      return new Points(rows.length, numDims, catDims, n, c);
    }
  }

  /** Embeds table {@code t} of {@code data}, which must be the data this space was fitted on. */
  public Points embed(Aligned data, int t) {
    int n = data.rows(t);
    double[] num = new double[n * numDims];
    int[] cat = new int[n * catDims];
    int nd = 0;
    int cd = 0;
    for (int c = 0; c < names.size(); c++) {
      if (continuous[c]) {
        double[] v = data.numbers(c, t);
        for (int r = 0; r < n; r++) {
          put(num, r * numDims + nd, v[r], c);
        }
        nd += 2;
      } else {
        int[] k = data.codes(c, t);
        for (int r = 0; r < n; r++) {
          cat[r * catDims + cd] = k[r];
        }
        cd++;
      }
    }
    return new Points(n, numDims, catDims, num, cat);
  }

  private void put(double[] num, int at, double x, int c) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      num[at] = 0;
      num[at + 1] = 1;
    } else {
      num[at] = (x - lo[c]) / span[c];
      num[at + 1] = 0;
    }
  }

  /**
   * Embeds a table by column name, mapping categorical values by their level strings; a level
   * the reference never has gets a code that equals no reference code.
   *
   * @throws UserInputException naming the columns the table lacks
   */
  public Points embed(Table t) {
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      if (t.schema().indexOf(name).isEmpty()) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new UserInputException("the table lacks the reference table's columns " + missing);
    }
    int n = t.rowCount();
    double[] num = new double[n * numDims];
    int[] cat = new int[n * catDims];
    int nd = 0;
    int cd = 0;
    for (int c = 0; c < names.size(); c++) {
      ColumnData d = t.column(names.get(c));
      if (continuous[c]) {
        for (int r = 0; r < n; r++) {
          put(num, r * numDims + nd, numberAt(d, r), c);
        }
        nd += 2;
      } else {
        Map<String, Integer> m = levelCodes.get(c);
        for (int r = 0; r < n; r++) {
          String s = stringAt(d, r);
          cat[r * catDims + cd] = s == null ? missingCode[c]
              : m.getOrDefault(Aligned.normalise(s), -2);
        }
        cd++;
      }
    }
    return new Points(n, numDims, catDims, num, cat);
  }

  private static double numberAt(ColumnData d, int r) {
    if (d instanceof ColumnData.Numbers x) {
      return x.get(r);
    }
    String s = stringAt(d, r);
    if (s == null) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static String stringAt(ColumnData d, int r) {
    if (d instanceof ColumnData.Codes c) {
      return c.get(r);
    }
    if (d instanceof ColumnData.Strings s) {
      return s.get(r);
    }
    double x = ((ColumnData.Numbers) d).get(r);
    if (Double.isNaN(x)) {
      return null;
    }
    return Math.rint(x) == x && Math.abs(x) < 9.2e18 ? Long.toString((long) x)
        : Double.toString(x);
  }

  /**
   * A 64-bit key of each row for exact-match checks: continuous values rounded to 6 decimals
   * (in the original units) and categorical codes, as {@code score.py}'s {@code row_hashes}.
   */
  public static long[] rowKeys(Aligned data, int t) {
    int n = data.rows(t);
    long[] h = new long[n];
    for (int c = 0; c < data.columnCount(); c++) {
      if (data.continuous(c)) {
        double[] v = data.numbers(c, t);
        for (int r = 0; r < n; r++) {
          double x = v[r];
          long bits = Double.isNaN(x) ? 0x7ff8000000000000L
              : Double.doubleToLongBits(Math.rint(x * 1e6) / 1e6 + 0.0);
          h[r] = mix(h[r] * 31 + bits);
        }
      } else {
        int[] k = data.codes(c, t);
        for (int r = 0; r < n; r++) {
          h[r] = mix(h[r] * 31 + k[r]);
        }
      }
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  public int numDims() {
    return numDims;
  }

  public int catDims() {
    return catDims;
  }
}
