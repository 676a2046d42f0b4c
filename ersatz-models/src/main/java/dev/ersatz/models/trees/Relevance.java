package dev.ersatz.models.trees;

import java.util.Arrays;

/**
 * Which earlier columns a wide table's column may split on: those related to it beyond chance,
 * at most {@code limit}, the most informative by mutual information first.
 *
 * <p>A column's trees search every earlier column at every node, so a table of {@code d}
 * columns costs of the order of {@code d * d / 2} column scans per level; 96 columns took 14
 * times as long as 24. Keeping at most {@code limit} earlier columns makes the cost grow with
 * {@code d * limit} instead. This is the bounded in-degree of PrivBayes (Zhang, Cormode,
 * Procopiuc, Srivastava, Xiao, "PrivBayes", SIGMOD 2014), chosen per column by the plug-in mutual
 * information less its expected value under independence, {@code (a - 1)(b - 1) / 2m} nats for
 * {@code a} and {@code b} occupied cells over {@code m} rows (Miller, 1955): without the
 * correction, a column of many cells would look informative by chance.
 *
 * <p>Columns shown unrelated to the target are not kept even when slots are free. The trees' own
 * split test (a chi-square of about 4 per split) does not allow for the best of hundreds of cut
 * points over dozens of columns: on a table of four unrelated copies of creditcard_default,
 * a column that depends on one earlier column grew 913 leaves a tree on columns of the other
 * copies. A column is kept only if its G statistic ({@code 2m} times the plug-in information,
 * chi-square with {@code (a - 1)(b - 1)} degrees of freedom under independence) passes a test at
 * {@link #P_VALUE}, where the pair has the rows for that test; on a small table (breast_cancer,
 * 455 rows of 30 numeric columns) the test cannot tell, and the columns are ranked alone (a test
 * there lost 0.01 of pair trends).
 *
 * <p>{@link TreesProvider} applies this only to tables wider than {@code limit + 1} columns, so
 * narrower tables are fitted exactly as without it.
 */
final class Relevance {
  /** At most this many rows are counted for a pair; beyond it, rows at an even stride. */
  static final int MAX_ROWS = 20_000;

  private Relevance() {}

  /**
   * The columns of {@code pool} that may be related to column {@code target}, at most
   * {@code limit} of them, those with the highest corrected mutual information first (ties to
   * the earlier column); ascending. A column whose pair with the target has enough rows for the
   * G-test ({@link #MIN_EXPECTED} per cell of the two columns' occupied cells) is kept only if
   * it passes the test at {@link #P_VALUE}; one with too few rows for the test is kept by its
   * rank alone.
   */
  static int[] related(int[][] cells, int[] card, int[] rows, int target, int[] pool,
      int limit) {
    int[] counted = stride(rows);
    double[] score = new double[pool.length];
    boolean[] ruledOut = new boolean[pool.length];
    int m = counted.length;
    for (int i = 0; i < pool.length; i++) {
      double[] df = new double[2];
      score[i] = information(cells[pool[i]], card[pool[i]], cells[target], card[target], counted,
          df);
      // G = 2m * plug-in information, chi-square with df degrees of freedom when independent
      double g = 2.0 * m * (score[i] + df[0] / (2.0 * m));
      boolean testable = m >= MIN_EXPECTED * df[1];
      ruledOut[i] = df[0] <= 0 || testable && g <= chiSquareQuantile(df[0], Z);
    }
    Integer[] order = new Integer[pool.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // a stable sort on the score alone: equal scores keep the earlier column first
    Arrays.sort(order, (x, y) -> Double.compare(score[y], score[x]));
    int[] kept = new int[limit];
    int k = 0;
    for (int i = 0; i < order.length && k < limit; i++) {
      if (!ruledOut[order[i]]) {
        kept[k++] = pool[order[i]];
      }
    }
    kept = Arrays.copyOf(kept, k);
    Arrays.sort(kept);
    return kept;
  }

  /**
   * Rows per cell of a pair's table (its columns' occupied cells multiplied) the G-test needs
   * before its chi-square approximation is trusted: the usual expected count of 5.
   */
  static final int MIN_EXPECTED = 5;

  /** The G-test's level: each unrelated column of a wide table slips in with this chance. */
  static final double P_VALUE = 0.001;
  /** The standard normal quantile of {@code 1 - P_VALUE}. */
  private static final double Z = 3.0902;

  /**
   * The chi-square quantile with {@code df} degrees of freedom at the normal quantile
   * {@code z} (Wilson and Hilferty, 1931: within 3% of the exact value at 0.999 for df = 1).
   */
  static double chiSquareQuantile(double df, double z) {
    double a = 2.0 / (9.0 * df);
    double c = 1 - a + z * Math.sqrt(a);
    return df * c * c * c;
  }

  /** {@code rows}, or {@link #MAX_ROWS} of them at an even stride. */
  static int[] stride(int[] rows) {
    if (rows.length <= MAX_ROWS) {
      return rows;
    }
    int[] s = new int[MAX_ROWS];
    for (int i = 0; i < MAX_ROWS; i++) {
      s[i] = rows[(int) ((long) i * rows.length / MAX_ROWS)];
    }
    return s;
  }

  /**
   * Plug-in mutual information (nats) of two cell columns over {@code rows}, less
   * {@code (a - 1)(b - 1) / 2m} for {@code a} and {@code b} occupied cells.
   */
  static double information(int[] x, int cx, int[] y, int cy, int[] rows) {
    return information(x, cx, y, cy, rows, new double[1]);
  }

  /**
   * As {@link #information(int[], int, int[], int, int[])}; puts {@code (a - 1)(b - 1)} in
   * {@code df[0]} and, if there is room, {@code a * b} in {@code df[1]}.
   */
  static double information(int[] x, int cx, int[] y, int cy, int[] rows, double[] df) {
    int m = rows.length;
    if (m == 0) {
      Arrays.fill(df, 0);
      return 0;
    }
    int[] joint = new int[cx * cy];
    int[] mx = new int[cx];
    int[] my = new int[cy];
    for (int r : rows) {
      int a = x[r];
      int b = y[r];
      joint[a * cy + b]++;
      mx[a]++;
      my[b]++;
    }
    double sum = 0;
    for (int a = 0; a < cx; a++) {
      if (mx[a] == 0) {
        continue;
      }
      for (int b = 0; b < cy; b++) {
        int c = joint[a * cy + b];
        if (c > 0) {
          sum += c * Math.log((double) c * m / ((double) mx[a] * my[b]));
        }
      }
    }
    int a = occupied(mx);
    int b = occupied(my);
    df[0] = (a - 1) * (double) (b - 1);
    if (df.length > 1) {
      df[1] = a * (double) b;
    }
    return sum / m - df[0] / (2.0 * m);
  }

  private static int occupied(int[] counts) {
    int k = 0;
    for (int c : counts) {
      k += c > 0 ? 1 : 0;
    }
    return k;
  }
}
