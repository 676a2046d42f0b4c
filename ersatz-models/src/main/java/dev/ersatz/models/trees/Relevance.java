package dev.ersatz.models.trees;

import java.util.Arrays;

/**
 * Which earlier columns a wide table's column may split on: the {@code limit} most informative
 * by mutual information with it, corrected for the bias of a finite sample.
 *
 * <p>A column's trees search every earlier column at every node, so a table of {@code d}
 * columns costs of the order of {@code d * d / 2} column scans per level; 96 columns took 14
 * times as long as 24. Keeping the {@code limit} earlier columns that tell most about a column
 * makes the cost grow with {@code d * limit} instead. This is the bounded in-degree of
 * PrivBayes (Zhang, Cormode, Procopiuc, Srivastava, Xiao, "PrivBayes", SIGMOD 2014), here
 * chosen per column by the plug-in mutual information less its expected value under
 * independence, {@code (a - 1)(b - 1) / 2m} nats for {@code a} and {@code b} occupied cells over
 * {@code m} rows (Miller, 1955; the G-test's degrees of freedom): without the correction, a
 * column of many cells would look informative by chance.
 *
 * <p>A column with at most {@code limit} earlier columns keeps them all, so tables of up to
 * {@code limit + 1} columns are fitted exactly as without a limit.
 */
final class Relevance {
  /** At most this many rows are counted for a pair; beyond it, rows at an even stride. */
  static final int MAX_ROWS = 20_000;

  private Relevance() {}

  /**
   * The candidates for column {@code target}, ascending: all of {@code pool} if it holds at most
   * {@code limit}, else the {@code limit} of them with the highest corrected mutual information
   * with {@code target} over {@code rows} (ties to the earlier column).
   *
   * @param pool earlier columns, ascending
   * @param limit at least 1
   */
  static int[] choose(int[][] cells, int[] card, int[] rows, int target, int[] pool, int limit) {
    if (pool.length <= limit) {
      return pool;
    }
    int[] counted = stride(rows);
    double[] score = new double[pool.length];
    for (int i = 0; i < pool.length; i++) {
      score[i] = information(cells[pool[i]], card[pool[i]], cells[target], card[target], counted);
    }
    Integer[] order = new Integer[pool.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // a stable sort on the score alone: equal scores keep the earlier column first
    Arrays.sort(order, (x, y) -> Double.compare(score[y], score[x]));
    int[] kept = new int[limit];
    for (int i = 0; i < limit; i++) {
      kept[i] = pool[order[i]];
    }
    Arrays.sort(kept);
    return kept;
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
    int m = rows.length;
    if (m == 0) {
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
    return sum / m - (occupied(mx) - 1) * (double) (occupied(my) - 1) / (2.0 * m);
  }

  private static int occupied(int[] counts) {
    int k = 0;
    for (int c : counts) {
      k += c > 0 ? 1 : 0;
    }
    return k;
  }
}
