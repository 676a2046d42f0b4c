package dev.ersatz.models.trees;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.models.Normal;
import dev.ersatz.models.codec.Frame;
import dev.ersatz.models.codec.NumericCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a numeric value falls inside its leaf, tied linearly to the numeric values drawn before
 * it: a Gaussian copula on what the trees leave over.
 *
 * <p>Why: a leaf must hold at least a few dozen rows, so on a table of a few hundred rows a
 * column's trees have a handful of leaves, and inside a leaf the value is drawn as if the
 * earlier columns did not matter. Linear dependence then comes out weakened: on breast_cancer
 * (455 rows) pairs correlated 0.5-0.8 came out 0.17 weaker on average, and the Gaussian copula,
 * which has one parameter per pair, matched them better than the trees did.
 *
 * <p>How: a real row's value has a position in its leaf's distribution, {@code u = F_leaf(x)}
 * (through the cell's in-cell density, see {@link NumericCodec#position}), and a normal score
 * {@code z = Phi^-1(u)}. If the leaf were all there is to know, {@code z} would not depend on the
 * earlier columns. It does on small tables: within a leaf, rows whose earlier values are high
 * sit high. So {@code z} is regressed, over every member's leaves, on the earlier numeric
 * columns' marginal normal scores, each centred on its mean in the leaf (so a leaf's own
 * distribution, and with it the column's marginal, is kept: the shift averages to zero in every
 * leaf). Predictors are chosen greedily, at most {@link #MAX_PREDICTORS}, while each adds at least
 * {@link #MIN_GAIN} of explained variance, and a column is coupled only if they explain
 * {@link #MIN_R2}. Sampling draws {@code z = mu + s * e} with {@code s^2 = 1 - Var(mu)}, so
 * {@code z} stays standard normal, and takes the leaf's quantile {@code Phi(z)}: its cell and
 * the position inside the cell. This is the idea of a conditional copula on the residuals of a
 * regression model (Patton, "Modelling asymmetric exchange rate dependence", International
 * Economic Review 47, 2006), with the trees as the marginal model.
 *
 * <p>Only sums over leaves (means of normal scores) and regression coefficients are kept; no
 * single row's value is.
 */
final class Coupling {
  static final int MAX_PREDICTORS = 6;
  /**
   * Candidates kept for the selection when more earlier numeric columns could predict (only with
   * the trees' {@code predictors=0}: by default the candidates are the numeric ones among the 24
   * earlier columns the trees may split on, see {@link Relevance}); the rest are dropped by their
   * own correlation first.
   */
  static final int SCREEN = 24;
  static final double MIN_GAIN = 0.005;
  static final double MIN_R2 = 0.02;
  /** Floor of the residual variance, so a near-deterministic fit still draws some noise. */
  static final double MIN_RESIDUAL = 0.05;
  /** Leaf quantiles are clamped this far from 0 and 1 before the normal score. */
  private static final double U_CLAMP = 1e-4;
  /** Drawn rows a leaf needs for its own scale (fewer: the column's). */
  static final int MIN_LEAF_ROWS = 30;
  /** Segments of the map from drawn score to leaf quantile ({@link #knots}). */
  static final int KNOTS = 128;

  /** The earlier modelled columns whose normal scores this column's position follows. */
  final int[] predictors;
  final double[] beta;
  /** Standard deviation of the position's normal score around its predicted mean. */
  double sd;
  /** Share of the position's variance the predictors explain at fit time. */
  final double r2;
  /**
   * Per ensemble member, per node of its tree: each predictor's mean normal score over the real
   * rows that reach the node ({@code node * predictors.length + k}; zero for internal nodes).
   */
  final double[][] means;
  /**
   * Quantiles of the drawn score (predicted mean plus noise) at {@code i / KNOTS}: a drawn score's
   * place among them is its leaf quantile (see {@link #calibrate}).
   */
  double[] knots;
  /**
   * Per ensemble member, per node: the factor on the predicted mean and the noise's standard
   * deviation in that leaf ({@code 2 * node}, {@code 2 * node + 1}; see {@link #calibrate}).
   */
  final double[][] scale;

  /**
   * Per member, per node: the share of its real rows' score variance the fit explains there
   * (fit time only, for {@link #calibrate}; null in a loaded model).
   */
  private double[][] leafShare;

  Coupling(int[] predictors, double[] beta, double sd, double r2, double[][] means,
      double[] knots, double[][] scale) {
    this.predictors = predictors;
    this.beta = beta;
    this.sd = sd;
    this.r2 = r2;
    this.means = means;
    this.knots = knots;
    this.scale = scale;
  }

  /**
   * Fits couplings column by column (driven by {@link Raking#simulate}, which calibrates each on
   * simulated rows before the next is fitted).
   */
  static final class Fitter {
    private final Frame frame;
    private final Scores scores;
    private final int[][] cells;
    private final double[][] w;
    private final double[][] g;
    private final int[][] rows;
    private final Booster[] boosters;
    private final int[][] pred;

    /**
     * @param cells real cells {@code [column][row]}
     * @param w real in-cell positions {@code [column][row]} ({@link Frame#positions})
     * @param pred per column, the earlier columns its trees may split on (its numeric ones are
     *     the candidates), or null for all earlier columns
     */
    Fitter(Frame frame, int[][] cells, double[][] w, Booster[] boosters, int[][] pred) {
      this.frame = frame;
      this.pred = pred;
      this.scores = new Scores(frame);
      this.cells = cells;
      this.w = w;
      this.boosters = boosters;
      int d = cells.length;
      int n = d == 0 ? 0 : cells[0].length;
      g = new double[d][];
      for (int j = 0; j < d; j++) {
        if (scores.numeric(j)) {
          g[j] = new double[n];
          for (int r = 0; r < n; r++) {
            g[j][r] = scores.score(j, cells[j][r], w[j][r]);
          }
        }
      }
      rows = new int[n][d];
      for (int r = 0; r < n; r++) {
        for (int j = 0; j < d; j++) {
          rows[r][j] = cells[j][r];
        }
      }
    }

    /** Column {@code j}'s coupling given its final trees, or null if it gains too little. */
    Coupling fit(int j, Tree[] members) {
      if (!scores.numeric(j) || boosters[j] != null || frame.codec(j).cells() < 3) {
        return null;
      }
      List<Integer> cand = new ArrayList<>();
      int[] earlier = pred == null ? java.util.stream.IntStream.range(0, j).toArray() : pred[j];
      for (int i : earlier) {
        if (scores.numeric(i)) {
          cand.add(i);
        }
      }
      if (cand.isEmpty()) {
        return null;
      }
      return fitColumn(frame, j, cand.stream().mapToInt(Integer::intValue).toArray(), rows,
          cells[j], w[j], g, members);
    }

    /**
     * Fills simulated rows' normal scores of column {@code j} (if numeric) from their cells and
     * in-cell positions {@code pos} (null: uniform draws).
     */
    void score(int j, int[][] sim, double[][] score, double[] pos, RandomSource rng) {
      if (!scores.numeric(j)) {
        return;
      }
      for (int r = 0; r < sim.length; r++) {
        score[r][j] = scores.score(j, sim[r][j], pos == null ? rng.nextDouble() : pos[r]);
      }
    }
  }

  private static Coupling fitColumn(Frame frame, int j, int[] cand, int[][] rows, int[] cj,
      double[] wj, double[][] g, Tree[] members) {
    int n = rows.length;
    int p = cand.length;
    int m = members.length;
    int missing = frame.codec(j).missingCell();
    // each predictor's mean score per leaf of each member
    int[][] leafOf = new int[m][n];
    double[][] means = new double[m][];
    for (int b = 0; b < m; b++) {
      Tree t = members[b];
      double[] sum = new double[t.nodes() * p];
      int[] count = new int[t.nodes()];
      for (int r = 0; r < n; r++) {
        int l = t.leaf(rows[r]);
        leafOf[b][r] = l;
        count[l]++;
        for (int k = 0; k < p; k++) {
          sum[l * p + k] += g[cand[k]][r];
        }
      }
      for (int l = 0; l < count.length; l++) {
        for (int k = 0; k < p; k++) {
          sum[l * p + k] = count[l] == 0 ? 0 : sum[l * p + k] / count[l];
        }
      }
      means[b] = sum;
    }
    // each (member, row) pair's position score in its leaf; NaN where it has none
    double[][] zs = new double[m][n];
    for (int b = 0; b < m; b++) {
      Tree t = members[b];
      for (int r = 0; r < n; r++) {
        zs[b][r] = Double.NaN;
        int c = cj[r];
        if (c == missing) {
          continue;
        }
        int l = leafOf[b][r];
        double pm = missing < 0 ? 0 : t.probability(l, missing);
        double pc = t.probability(l, c);
        if (pm >= 1 - 1e-9 || pc <= 0) {
          continue;
        }
        double before = c == 0 ? 0 : t.cum[t.offset[l] + c - 1];
        double u = (before + pc * wj[r]) / (1 - pm);
        zs[b][r] = Normal.quantile(Math.max(U_CLAMP, Math.min(1 - U_CLAMP, u)));
      }
    }
    if (p > SCREEN) {
      // wide tables: the Gram matrix below costs p^2 per pair, so only the SCREEN candidates
      // most correlated with the score on their own go on to the selection
      int[] keep = screen(p, m, n, zs, leafOf, means, g, cand);
      int[] c2 = new int[keep.length];
      for (int k = 0; k < keep.length; k++) {
        c2[k] = cand[keep[k]];
      }
      for (int b = 0; b < m; b++) {
        int nodes = members[b].nodes();
        double[] mb = new double[nodes * keep.length];
        for (int l = 0; l < nodes; l++) {
          for (int k = 0; k < keep.length; k++) {
            mb[l * keep.length + k] = means[b][l * p + keep[k]];
          }
        }
        means[b] = mb;
      }
      cand = c2;
      p = keep.length;
    }
    // the regression's sufficient statistics over (row, member) pairs
    double[][] xx = new double[p][p];
    double[] xz = new double[p];
    double zz = 0;
    long count = 0;
    double[] x = new double[p];
    for (int b = 0; b < m; b++) {
      for (int r = 0; r < n; r++) {
        double z = zs[b][r];
        if (Double.isNaN(z)) {
          continue;
        }
        int l = leafOf[b][r];
        for (int k = 0; k < p; k++) {
          x[k] = g[cand[k]][r] - means[b][l * p + k];
        }
        for (int a = 0; a < p; a++) {
          xz[a] += x[a] * z;
          for (int c2 = 0; c2 <= a; c2++) {
            xx[a][c2] += x[a] * x[c2];
          }
        }
        zz += z * z;
        count++;
      }
    }
    if (count < 2L * p + 10 || zz <= 0) {
      return null;
    }
    for (int a = 0; a < p; a++) {
      for (int c2 = a + 1; c2 < p; c2++) {
        xx[a][c2] = xx[c2][a];
      }
    }
    // greedy forward selection on explained variance
    List<Integer> chosen = new ArrayList<>();
    double r2 = 0;
    while (chosen.size() < Math.min(MAX_PREDICTORS, p)) {
      int best = -1;
      double bestR2 = r2;
      for (int k = 0; k < p; k++) {
        if (chosen.contains(k)) {
          continue;
        }
        List<Integer> s = new ArrayList<>(chosen);
        s.add(k);
        double r = explained(xx, xz, s) / zz;
        if (r > bestR2) {
          bestR2 = r;
          best = k;
        }
      }
      if (best < 0 || bestR2 - r2 < MIN_GAIN) {
        break;
      }
      chosen.add(best);
      r2 = bestR2;
    }
    if (chosen.isEmpty() || r2 < MIN_R2) {
      return null;
    }
    int q = chosen.size();
    double[] beta = leastSquares(xx, xz, chosen);
    double[][] leafShare = leafShares(members, zs, leafOf, g, cand, means, chosen, beta, r2);
    // the variance of the predicted mean (beta' xx beta = beta' xz at the solution), so the
    // drawn score keeps unit variance
    double varMu = 0;
    for (int u = 0; u < q; u++) {
      varMu += beta[u] * xz[chosen.get(u)];
    }
    varMu /= count;
    double sd = Math.sqrt(Math.max(MIN_RESIDUAL, 1 - varMu));
    int[] pred = new int[q];
    double[][] kept = new double[m][];
    for (int u = 0; u < q; u++) {
      pred[u] = cand[chosen.get(u)];
    }
    for (int b = 0; b < m; b++) {
      int nodes = members[b].nodes();
      kept[b] = new double[nodes * q];
      for (int l = 0; l < nodes; l++) {
        for (int u = 0; u < q; u++) {
          kept[b][l * q + u] = means[b][l * p + chosen.get(u)];
        }
      }
    }
    double[] knots = new double[KNOTS + 1];
    for (int i = 0; i <= KNOTS; i++) {
      knots[i] = Normal.quantile(Math.max(U_CLAMP, Math.min(1 - U_CLAMP, (double) i / KNOTS)));
    }
    double[][] scale = new double[m][];
    for (int b = 0; b < m; b++) {
      scale[b] = new double[2 * members[b].nodes()];
      for (int l = 0; l < members[b].nodes(); l++) {
        scale[b][2 * l] = 1;
        scale[b][2 * l + 1] = sd;
      }
    }
    Coupling c = new Coupling(pred, beta, sd, r2, kept, knots, scale);
    c.leafShare = leafShare;
    return c;
  }

  /**
   * Per member and node, the share of the real rows' score variance the fit explains in that
   * leaf, shrunk towards the table's share {@code r2} by {@link #MIN_LEAF_ROWS} rows: how much
   * of each leaf's spread {@link #calibrate} lets the predicted mean keep.
   */
  private static double[][] leafShares(Tree[] members, double[][] zs, int[][] leafOf,
      double[][] g, int[] cand, double[][] means, List<Integer> chosen, double[] beta,
      double r2) {
    int p = cand.length;
    int q = chosen.size();
    double[][] leafShare = new double[members.length][];
    for (int b = 0; b < members.length; b++) {
      int nodes = members[b].nodes();
      double[] sse = new double[nodes];
      double[] sst = new double[nodes];
      int[] cnt = new int[nodes];
      for (int r = 0; r < zs[b].length; r++) {
        double z = zs[b][r];
        if (Double.isNaN(z)) {
          continue;
        }
        int l = leafOf[b][r];
        double mu = 0;
        for (int u = 0; u < q; u++) {
          int k = chosen.get(u);
          mu += beta[u] * (g[cand[k]][r] - means[b][l * p + k]);
        }
        sse[l] += (z - mu) * (z - mu);
        sst[l] += z * z;
        cnt[l]++;
      }
      leafShare[b] = new double[nodes];
      for (int l = 0; l < nodes; l++) {
        double own = sst[l] > 0 ? Math.max(0, 1 - sse[l] / sst[l]) : 0;
        leafShare[b][l] = (cnt[l] * own + MIN_LEAF_ROWS * r2) / (cnt[l] + MIN_LEAF_ROWS);
      }
    }
    return leafShare;
  }

  /**
   * Recentres and rescales this coupling on rows drawn from the model itself (see
   * {@link Raking#simulate}): the real rows' leaf means become the drawn rows' (so the predicted
   * shift averages to zero in every leaf, as sampling meets it); if the predicted means spread
   * wider over drawn rows than the fit explained on real ones, the coefficients shrink to match,
   * and in each leaf as far as the fit explained on that leaf's real rows ({@link #leafShares});
   * and the drawn scores' own quantiles become the map from score to leaf quantile, so the
   * column's marginal is kept even where the predicted mean is not normal. Without this the
   * sampled marginals of a 455-row table drifted twice as far from the real ones
   * (Kolmogorov-Smirnov 0.020 against 0.011 on breast_cancer), their tails too wide.
   *
   * @param member per drawn row, the member it uses
   * @param leaf per drawn row, its leaf in that member
   * @param score per drawn row, the normal scores of its earlier columns
   */
  void calibrate(Tree[] e, int[] member, int[] leaf, double[][] score, RandomSource rng) {
    int rows = member.length;
    int q = predictors.length;
    double[][] sum = new double[e.length][];
    int[][] count = new int[e.length][];
    for (int b = 0; b < e.length; b++) {
      sum[b] = new double[e[b].nodes() * q];
      count[b] = new int[e[b].nodes()];
    }
    for (int r = 0; r < rows; r++) {
      int b = member[r];
      int l = leaf[r];
      count[b][l]++;
      for (int k = 0; k < q; k++) {
        sum[b][l * q + k] += score[r][predictors[k]];
      }
    }
    for (int b = 0; b < e.length; b++) {
      for (int l = 0; l < count[b].length; l++) {
        if (count[b][l] > 0) {
          for (int k = 0; k < q; k++) {
            means[b][l * q + k] = sum[b][l * q + k] / count[b][l];
          }
        }
      }
    }
    double[] mu = new double[rows];
    double sq = 0;
    for (int r = 0; r < rows; r++) {
      mu[r] = mean(member[r], leaf[r], score[r], 1, 0);
      sq += mu[r] * mu[r];
    }
    double var = rows == 0 ? 0 : sq / rows;
    double target = Math.min(r2, 1 - MIN_RESIDUAL);
    double f = 1;
    if (var > target && var > 0) {
      f = Math.sqrt(target / var);
      for (int k = 0; k < q; k++) {
        beta[k] *= f;
      }
      var = target;
    }
    sd = Math.sqrt(Math.max(MIN_RESIDUAL, 1 - var));
    if (rows == 0) {
      return;
    }
    // per leaf, the predicted mean's own spread there: where it is wider than the fit explains
    // on the leaf's real rows, it shrinks, and the noise fills up to unit variance, so every
    // leaf's quantiles stay even. Not capped at the table-wide share explained: where most
    // leaves hold one value of a predictor (a length of stay of 0, 1, 2 days), that share is
    // small, and the leaf that mixes the long stays lost the dependence its own rows show
    // (BENCHMARKS, "Spikes as predictors")
    double[][] sq2 = new double[e.length][];
    for (int b = 0; b < e.length; b++) {
      sq2[b] = new double[e[b].nodes()];
    }
    for (int r = 0; r < rows; r++) {
      mu[r] *= f;
      sq2[member[r]][leaf[r]] += mu[r] * mu[r];
    }
    for (int b = 0; b < e.length; b++) {
      for (int l = 0; l < count[b].length; l++) {
        double shrink = 1;
        double noise = sd;
        if (count[b][l] >= MIN_LEAF_ROWS) {
          double v = sq2[b][l] / count[b][l];
          double cap = Math.min(1 - MIN_RESIDUAL, leafShare == null ? target : leafShare[b][l]);
          if (v > cap) {
            shrink = Math.sqrt(cap / v);
            v = cap;
          }
          noise = Math.sqrt(Math.max(MIN_RESIDUAL, 1 - v));
        }
        scale[b][2 * l] = shrink;
        scale[b][2 * l + 1] = noise;
      }
    }
    double[] z = new double[rows];
    for (int r = 0; r < rows; r++) {
      int o = 2 * leaf[r];
      double[] sc = scale[member[r]];
      z[r] = sc[o] * mu[r] + sc[o + 1] * rng.nextGaussian();
    }
    java.util.Arrays.sort(z);
    for (int i = 0; i <= KNOTS; i++) {
      knots[i] = z[(int) ((long) i * (rows - 1) / KNOTS)];
    }
  }

  /**
   * The predicted mean of the position's score for a row in leaf {@code leaf} of member, whose
   * earlier columns' normal scores are {@code scores[column * stride + i]}.
   */
  private double mean(int member, int leaf, double[] scores, int stride, int i) {
    double mu = 0;
    int q = predictors.length;
    double[] mean = means[member];
    for (int k = 0; k < q; k++) {
      mu += beta[k] * (scores[predictors[k] * stride + i] - mean[leaf * q + k]);
    }
    return mu;
  }

  /** The share of drawn scores below {@code z}, from {@link #knots} (linear in between). */
  private double quantileOf(double z) {
    double[] kn = knots;
    if (z <= kn[0]) {
      return 0;
    }
    if (z >= kn[KNOTS]) {
      return 1 - 1e-9;
    }
    int lo = 0;
    int hi = KNOTS;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (kn[mid] <= z) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double span = kn[hi] - kn[lo];
    return (lo + (span > 0 ? (z - kn[lo]) / span : 0.5)) / KNOTS;
  }

  /**
   * The {@link #SCREEN} candidates (positions in {@code cand}, ascending) whose leaf-centred
   * scores are most correlated, in absolute value, with the position scores {@code zs}.
   */
  private static int[] screen(int p, int m, int n, double[][] zs, int[][] leafOf,
      double[][] means, double[][] g, int[] cand) {
    double[] sxz = new double[p];
    double[] sxx = new double[p];
    for (int b = 0; b < m; b++) {
      for (int r = 0; r < n; r++) {
        double z = zs[b][r];
        if (Double.isNaN(z)) {
          continue;
        }
        int l = leafOf[b][r];
        for (int k = 0; k < p; k++) {
          double x = g[cand[k]][r] - means[b][l * p + k];
          sxz[k] += x * z;
          sxx[k] += x * x;
        }
      }
    }
    Integer[] order = new Integer[p];
    double[] score = new double[p];
    for (int k = 0; k < p; k++) {
      order[k] = k;
      score[k] = sxx[k] > 0 ? sxz[k] * sxz[k] / sxx[k] : 0;
    }
    // ties keep the earlier column, so the choice does not depend on the sort's order
    java.util.Arrays.sort(order, (a, b) -> score[a] != score[b]
        ? Double.compare(score[b], score[a]) : Integer.compare(a, b));
    int[] keep = new int[SCREEN];
    for (int k = 0; k < SCREEN; k++) {
      keep[k] = order[k];
    }
    java.util.Arrays.sort(keep);
    return keep;
  }

  /** The least-squares coefficients on the predictors {@code s}: {@code (xx_S)^-1 xz_S}. */
  private static double[] leastSquares(double[][] xx, double[] xz, List<Integer> s) {
    int q = s.size();
    double[][] a = new double[q][q];
    double[] b = new double[q];
    for (int u = 0; u < q; u++) {
      b[u] = xz[s.get(u)];
      for (int v = 0; v < q; v++) {
        a[u][v] = xx[s.get(u)][s.get(v)];
      }
    }
    return Normal.solve(Normal.cholesky(a), b);
  }

  /** {@code xz_S' (xx_S)^-1 xz_S}: the sum of squares a least-squares fit on S explains. */
  private static double explained(double[][] xx, double[] xz, List<Integer> s) {
    double[] beta = leastSquares(xx, xz, s);
    double e = 0;
    for (int u = 0; u < s.size(); u++) {
      e += beta[u] * xz[s.get(u)];
    }
    return e;
  }

  /**
   * Draws the column's cell in leaf {@code leaf} of member {@code member} of tree {@code t},
   * given the normal scores of the row's earlier columns ({@code scores[column * stride + i]}: a
   * row's own array with stride 1 and i 0, or a column-major block), and writes the in-cell
   * position to {@code pos[0]}.
   */
  int draw(Tree t, int member, int leaf, double[] scores, int stride, int i, int missing,
      double[] pos, RandomSource rng) {
    double pm = missing < 0 ? 0 : t.probability(leaf, missing);
    if (pm > 0 && rng.nextDouble() < pm) {
      pos[0] = 0;
      return missing;
    }
    double[] sc = scale[member];
    double u = quantileOf(sc[2 * leaf] * mean(member, leaf, scores, stride, i)
        + sc[2 * leaf + 1] * rng.nextGaussian()) * (1 - pm);
    int o = t.offset[leaf];
    // the leaf's inverse distribution, kept off the missing cell (rounding could reach it)
    int lo = Math.min(t.sample(leaf, u), (missing < 0 ? t.classes : missing) - 1);
    while (lo > 0 && t.probability(leaf, lo) <= 0) {
      lo--;
    }
    double before = lo == 0 ? 0 : t.cum[o + lo - 1];
    double pc = t.probability(leaf, lo);
    pos[0] = pc > 0 ? Math.max(0, Math.min(1 - 1e-9, (u - before) / pc)) : 0.5;
    return lo;
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("predictors", predictors);
    m.put("beta", beta);
    m.put("sd", sd);
    m.put("r2", r2);
    List<Object> ms = new ArrayList<>();
    for (double[] mb : means) {
      ms.add(mb);
    }
    m.put("means", ms);
    m.put("knots", knots);
    List<Object> ss = new ArrayList<>();
    for (double[] sb : scale) {
      ss.add(sb);
    }
    m.put("scale", ss);
    return m;
  }

  /**
   * Reads a coupling back and checks it against column {@code column}'s trees and the frame.
   */
  static Coupling fromJson(JsonMap j, int column, Tree[] members, Frame frame) {
    int[] pred = j.ints("predictors");
    double[] beta = j.doubles("beta");
    double sd = j.num("sd");
    double r2 = j.num("r2");
    Scores scores = new Scores(frame);
    if (!scores.numeric(column) || pred.length == 0 || beta.length != pred.length
        || !(sd > 0) || !Double.isFinite(sd)) {
      throw new ModelFormatException("coupling of modelled column " + column + " is malformed");
    }
    for (int i : pred) {
      if (i < 0 || i >= column || !scores.numeric(i)) {
        throw new ModelFormatException("coupling of modelled column " + column
            + " names predictor " + i + ", which is not an earlier numeric column");
      }
    }
    List<Object> ms = j.list("means");
    if (ms.size() != members.length) {
      throw new ModelFormatException("coupling of modelled column " + column + " has "
          + ms.size() + " mean tables for " + members.length + " trees");
    }
    double[][] means = new double[members.length][];
    for (int b = 0; b < members.length; b++) {
      means[b] = numbers(ms.get(b), members[b].nodes() * pred.length, column, "mean");
    }
    double[] knots = j.doubles("knots");
    if (knots.length != KNOTS + 1) {
      throw new ModelFormatException("coupling of modelled column " + column + " has "
          + knots.length + " knots, not " + (KNOTS + 1));
    }
    for (int i = 0; i <= KNOTS; i++) {
      if (!Double.isFinite(knots[i]) || i > 0 && knots[i] < knots[i - 1]) {
        throw new ModelFormatException("coupling of modelled column " + column
            + " has knots that are not finite and increasing");
      }
    }
    List<Object> ss = j.list("scale");
    if (ss.size() != members.length) {
      throw new ModelFormatException("coupling of modelled column " + column + " has "
          + ss.size() + " scale tables for " + members.length + " trees");
    }
    double[][] scale = new double[members.length][];
    for (int b = 0; b < members.length; b++) {
      scale[b] = numbers(ss.get(b), 2 * members[b].nodes(), column, "scale");
    }
    return new Coupling(pred, beta, sd, r2, means, knots, scale);
  }

  /** A list of {@code size} finite numbers from a model file, or a format error. */
  private static double[] numbers(Object raw, int size, int column, String what) {
    if (!(raw instanceof List<?> l) || l.size() != size) {
      throw new ModelFormatException("coupling of modelled column " + column + " has a " + what
          + " table of the wrong size");
    }
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      if (!(l.get(i) instanceof Number num) || !Double.isFinite(num.doubleValue())) {
        throw new ModelFormatException("coupling of modelled column " + column + " has a "
            + what + " table with a value that is not a finite number");
      }
      out[i] = num.doubleValue();
    }
    return out;
  }

  /** Marginal normal scores of numeric columns' values: {@code Phi^-1(F(x))}. */
  static final class Scores {
    /** Per modelled column, its value cells' cumulative probabilities (null if not numeric). */
    private final double[][] before;
    private final double[][] prob;
    /** Per modelled column, which value cells have an extent (ranges; not spikes). */
    private final boolean[][] extent;

    Scores(Frame frame) {
      int d = frame.width();
      before = new double[d][];
      prob = new double[d][];
      extent = new boolean[d][];
      for (int j = 0; j < d; j++) {
        if (!(frame.codec(j) instanceof NumericCodec nc) || !nc.hasValues()) {
          continue;
        }
        extent[j] = nc.positional();
        double[] p = nc.probabilities();
        int values = nc.missingCell() < 0 ? p.length : p.length - 1;
        double total = 0;
        for (int c = 0; c < values; c++) {
          total += p[c];
        }
        if (values == 0 || total <= 0) {
          continue;
        }
        before[j] = new double[values];
        prob[j] = new double[values];
        double s = 0;
        for (int c = 0; c < values; c++) {
          before[j][c] = s / total;
          prob[j][c] = p[c] / total;
          s += p[c];
        }
      }
    }

    boolean numeric(int j) {
      return before[j] != null;
    }

    /**
     * The normal score of cell {@code cell} at in-cell position {@code w}; 0 for missing. A
     * cell without extent (a spike: one value) scores at its middle whatever {@code w}: its
     * rows share one value, so a score spread over the spike's share would be noise, and a
     * predictor's noise weakens the coupling wherever a leaf holds one value of it.
     */
    double score(int j, int cell, double w) {
      double[] b = before[j];
      if (cell >= b.length) {
        return 0;
      }
      double u = b[cell] + prob[j][cell] * (extent[j][cell] ? w : 0.5);
      return Normal.quantile(Math.max(U_CLAMP, Math.min(1 - U_CLAMP, u)));
    }
  }
}
