package dev.ersatz.models.trees;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.models.codec.Frame;

/**
 * Rakes the trees' leaves so that each column's cells come out as often as in the real rows.
 *
 * <p>Why: a column's sampled marginal is the average of its leaf distributions over the rows
 * the earlier columns produce. Each ensemble member is grown on half of the rows, and the
 * earlier columns are themselves sampled, so on a small table that average drifts from the real
 * frequencies: on a 455-row table (breast_cancer), 100,000 sampled rows were 0.01-0.04 off the
 * real marginals in Kolmogorov-Smirnov distance, where the Gaussian copula over the same cells
 * is within 0.01.
 *
 * <p>How: column by column in the trees' order, over rows simulated from the model itself, the
 * expected frequency {@code q_c} of each cell is computed; every leaf of the column's trees is
 * multiplied cell-wise by {@code p_c / q_c} (the real frequency over the expected one, kept
 * within [1/4, 4]) and renormalised, which is one step of iterative proportional fitting
 * (Deming and Stephan, "On a least squares adjustment of a sampled frequency table when the
 * expected marginal totals are known", Annals of Mathematical Statistics 11, 1940). The ratios
 * between a leaf's cells, so the column's dependence on earlier columns, stay as they were;
 * a cell a leaf never gives stays impossible. Then the column is drawn for the simulated rows,
 * and the next column is raked given it. Only the marginals the codecs already hold are used.
 */
final class Raking {
  /** Iterative proportional fitting steps per column. */
  static final int STEPS = 3;
  static final double MAX_RATIO = 4;

  private Raking() {}

  /**
   * Rakes {@code trees} in place (boosted columns are drawn by their booster and left alone).
   *
   * @param rows simulated rows to take expectations over
   */
  static void rake(Frame frame, Tree[][] trees, Booster[] boosters, int rows, RandomSource rng) {
    simulate(frame, trees, boosters, rows, rng, true, null);
  }

  /**
   * One pass over rows simulated column by column from the model: each column's leaves are
   * raked if {@code rake}, then, if {@code coupler} is given, its {@link Coupling} is fitted on
   * the real rows and calibrated on the simulated ones, and the column is drawn for the
   * simulated rows as sampling would draw it. Raking and coupling then both see the earlier
   * columns as the final model produces them.
   *
   * @return per modelled column its coupling or null; null if no column is coupled (or no
   *     {@code coupler})
   */
  static Coupling[] simulate(Frame frame, Tree[][] trees, Booster[] boosters, int rows,
      RandomSource rng, boolean rake, Coupling.Fitter coupler) {
    int d = trees.length;
    int[][] sim = new int[rows][d];
    // per simulated row, the normal scores of its numeric cells (the couplings' predictors)
    double[][] score = coupler == null ? null : new double[rows][d];
    Coupling[] couplings = new Coupling[d];
    boolean coupled = false;
    int[] member = new int[rows];
    int[] at = new int[rows];
    double[] pos = new double[1];
    for (int j = 0; j < d; j++) {
      RandomSource cr = rng.split(j);
      Tree[] e = trees[j];
      if (boosters[j] != null) {
        for (int r = 0; r < rows; r++) {
          sim[r][j] = cr.nextDouble() < boosters[j].probability(sim[r], 1) ? 1 : 0;
        }
        if (score != null) {
          coupler.score(j, sim, score, null, cr);
        }
        continue;
      }
      int k = e[0].classes;
      double[] p = frame.codec(j).probabilities();
      int[][] leaf = new int[e.length][rows];
      // rows per leaf of each member: expectations then cost a pass over the leaves, not rows
      int[][] reach = new int[e.length][];
      for (int b = 0; b < e.length; b++) {
        reach[b] = new int[e[b].feature.length];
        for (int r = 0; r < rows; r++) {
          leaf[b][r] = e[b].leaf(sim[r]);
          reach[b][leaf[b][r]]++;
        }
      }
      if (rake && k > 1) {
        for (int step = 0; step < STEPS; step++) {
          double[] q = new double[k];
          for (int b = 0; b < e.length; b++) {
            Tree t = e[b];
            for (int i = 0; i < reach[b].length; i++) {
              if (reach[b][i] == 0) {
                continue;
              }
              for (int c = 0; c < k; c++) {
                q[c] += reach[b][i] * t.probability(i, c);
              }
            }
          }
          double total = (double) rows * e.length;
          double[] ratio = new double[k];
          for (int c = 0; c < k; c++) {
            double expected = q[c] / total;
            ratio[c] = expected > 0
                ? Math.max(1 / MAX_RATIO, Math.min(MAX_RATIO, p[c] / expected)) : 1;
          }
          for (Tree t : e) {
            scaleLeaves(t, ratio);
          }
        }
      }
      Coupling c = coupler == null ? null : coupler.fit(j, e);
      for (int r = 0; r < rows; r++) {
        member[r] = e.length == 1 ? 0 : cr.nextInt(e.length);
        at[r] = leaf[member[r]][r];
      }
      double[] w = null;
      if (c != null) {
        couplings[j] = c;
        coupled = true;
        c.calibrate(e, member, at, score, cr.split("calibrate"));
        int missing = frame.codec(j).missingCell();
        w = new double[rows];
        for (int r = 0; r < rows; r++) {
          sim[r][j] = c.draw(e[member[r]], member[r], at[r], score[r], 1, 0, missing, pos,
              cr);
          w[r] = pos[0];
        }
      } else {
        for (int r = 0; r < rows; r++) {
          sim[r][j] = e[member[r]].sample(at[r], cr.nextDouble());
        }
      }
      if (score != null) {
        coupler.score(j, sim, score, w, cr);
      }
    }
    return coupled ? couplings : null;
  }

  /** Multiplies every leaf's cell probabilities by {@code ratio} and renormalises. */
  private static void scaleLeaves(Tree t, double[] ratio) {
    int k = t.classes;
    double[] pr = new double[k];
    for (int i = 0; i < t.feature.length; i++) {
      if (t.feature[i] >= 0) {
        continue;
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        pr[c] = t.probability(i, c) * ratio[c];
        sum += pr[c];
      }
      int o = t.offset[i];
      if (sum <= 0) {
        continue;
      }
      double s = 0;
      for (int c = 0; c < k; c++) {
        s += pr[c] / sum;
        t.cum[o + c] = s;
      }
      t.cum[o + k - 1] = 1.0;
    }
  }
}
