package dev.ersatz.models.copula;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.models.CellModel;
import dev.ersatz.models.Normal;
import dev.ersatz.models.codec.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitted Gaussian copula. Conditional sampling is exact at cell resolution: the conditioned
 * columns' normal scores are drawn one after another from their truncated conditional normals,
 * each accepted with the probability that the next conditions can still be met (a rejection
 * sampler whose proposal already respects every condition), and the other columns are drawn
 * from the Gaussian conditional given those scores.
 */
final class CopulaModel extends CellModel {
  private final double[][] corr;
  private final double[][] chol;
  /** Per column: normal-score thresholds between cells (length cells - 1). */
  private final double[][] zCuts;
  private final double[][] before;
  private final double[][] probs;
  /** Per column and cell: whether the decoder uses the in-cell position (numeric ranges). */
  private final boolean[][] positional;
  /** The Cholesky factor's lower triangle, column by column (column k holds rows k..d-1). */
  private final double[] lower;
  /**
   * Per column: for each of {@value #GUIDE_BUCKETS} equal slices of [-GUIDE_LIMIT, GUIDE_LIMIT]
   * in normal-score space, the number of cuts at or below the slice's left edge: where the
   * search for a score's cell starts (Chen and Asau's guide table, 1974), so finding a cell
   * takes a step or two instead of a binary search.
   */
  private final int[][] guide;
  /** Per column: the cuts followed by +infinity, so a search can always read one cut ahead. */
  private final double[][] cutsEnd;

  private static final int GUIDE_BUCKETS = 4096;
  private static final double GUIDE_LIMIT = 8;
  private static final double GUIDE_SCALE = GUIDE_BUCKETS / (2 * GUIDE_LIMIT);

  CopulaModel(Frame frame, double[][] corr, ModelProvenance provenance) {
    super(frame, provenance);
    this.corr = corr;
    this.chol = Normal.cholesky(corr);
    int d = frame.width();
    zCuts = new double[d][];
    before = new double[d][];
    probs = new double[d][];
    positional = new boolean[d][];
    for (int j = 0; j < d; j++) {
      positional[j] = frame.codec(j).positional();
      double[] p = frame.codec(j).probabilities();
      probs[j] = p;
      before[j] = new double[p.length];
      zCuts[j] = new double[Math.max(0, p.length - 1)];
      double s = 0;
      for (int c = 0; c < p.length; c++) {
        before[j][c] = s;
        s += p[c];
        if (c < p.length - 1) {
          zCuts[j][c] = Normal.quantile(Math.min(1, s));
        }
      }
    }
    lower = new double[d * (d + 1) / 2];
    for (int k = 0, o = 0; k < d; k++) {
      for (int j = k; j < d; j++) {
        lower[o++] = chol[j][k];
      }
    }
    guide = new int[d][GUIDE_BUCKETS];
    cutsEnd = new double[d][];
    for (int j = 0; j < d; j++) {
      double[] cuts = zCuts[j];
      cutsEnd[j] = Arrays.copyOf(cuts, cuts.length + 1);
      cutsEnd[j][cuts.length] = Double.POSITIVE_INFINITY;
      int c = 0;
      // bucket 0 also takes every score below -GUIDE_LIMIT: its search starts at the first cut
      for (int b = 1; b < GUIDE_BUCKETS; b++) {
        double left = -GUIDE_LIMIT + b / GUIDE_SCALE;
        while (c < cuts.length && cuts[c] <= left) {
          c++;
        }
        guide[j][b] = c;
      }
    }
  }

  @Override
  public String generator() {
    return CopulaProvider.NAME;
  }

  @Override
  protected boolean hasPositions() {
    return true;
  }

  @Override
  protected void sampleCells(int rows, int[] required, int[][] cells, double[][] w,
      RandomSource rng) {
    int d = corr.length;
    boolean any = false;
    for (int r : required) {
      any |= r >= 0;
    }
    if (!any) {
      // row by row: z = L e with e drawn one at a time and added column by column of L (the d
      // sums then advance side by side instead of as one long dependent chain), then each score
      // to its cell; everything a row touches stays in the first-level cache
      double[] z = new double[d];
      for (int r = 0; r < rows; r++) {
        java.util.Arrays.fill(z, 0);
        for (int k = 0, o = 0; k < d; k++) {
          double e = rng.nextGaussian();
          for (int j = k; j < d; j++) {
            z[j] += lower[o++] * e;
          }
        }
        for (int j = 0; j < d; j++) {
          emit(j, r, z[j], cells, w);
        }
      }
      return;
    }
    new Conditional(required).sample(rows, cells, w, rng);
  }

  private void emit(int j, int r, double z, int[][] cells, double[][] w) {
    double[] cuts = cutsEnd[j];
    int bucket = Math.max(0, Math.min(GUIDE_BUCKETS - 1, (int) ((z + GUIDE_LIMIT) * GUIDE_SCALE)));
    int lo = guide[j][bucket];
    // two steps without branches (+1 exactly when cuts[lo] <= z: the sign of z - cut), which
    // is all but a few buckets need, then a loop for crowded buckets and the open ends
    lo += 1 + (int) (Double.doubleToRawLongBits(z - cuts[lo]) >> 63);
    lo += 1 + (int) (Double.doubleToRawLongBits(z - cuts[lo]) >> 63);
    while (cuts[lo] <= z) {
      lo++;
    }
    cells[j][r] = lo;
    if (!positional[j][lo]) {
      // categories, spikes and missing decode without a position: skip the CDF
      return;
    }
    double p = probs[j][lo];
    double pos = p > 0 ? (Normal.cdfFast(z) - before[j][lo]) / p : 0.5;
    w[j][r] = Math.min(1 - 1e-12, Math.max(0, pos));
  }

  /** Precomputed Gaussian conditionals for one set of required cells. */
  private final class Conditional {
    final int[] cond;
    final double[][] seqCoef;
    final double[] seqSd;
    final int[] rest;
    final double[][] restCoef;
    final double[][] restChol;
    final double[] lo;
    final double[] hi;

    Conditional(int[] required) {
      List<Integer> c = new ArrayList<>();
      List<Integer> o = new ArrayList<>();
      for (int j = 0; j < required.length; j++) {
        (required[j] >= 0 ? c : o).add(j);
      }
      cond = c.stream().mapToInt(Integer::intValue).toArray();
      rest = o.stream().mapToInt(Integer::intValue).toArray();
      int m = cond.length;
      lo = new double[m];
      hi = new double[m];
      for (int k = 0; k < m; k++) {
        int j = cond[k];
        int cell = required[j];
        lo[k] = before[j][cell];
        hi[k] = before[j][cell] + probs[j][cell];
      }
      seqCoef = new double[m][];
      seqSd = new double[m];
      for (int k = 0; k < m; k++) {
        int[] prev = Arrays.copyOf(cond, k);
        double[] coef = regress(prev, cond[k]);
        seqCoef[k] = coef;
        double v = 1;
        for (int a = 0; a < k; a++) {
          v -= coef[a] * corr[prev[a]][cond[k]];
        }
        seqSd[k] = Math.sqrt(Math.max(v, 1e-12));
      }
      // rest | cond ~ N(B z_c, S)
      restCoef = new double[rest.length][];
      for (int i = 0; i < rest.length; i++) {
        restCoef[i] = regress(cond, rest[i]);
      }
      double[][] s = new double[rest.length][rest.length];
      for (int a = 0; a < rest.length; a++) {
        for (int b = 0; b < rest.length; b++) {
          double v = corr[rest[a]][rest[b]];
          for (int k = 0; k < m; k++) {
            v -= restCoef[a][k] * corr[cond[k]][rest[b]];
          }
          s[a][b] = v;
        }
      }
      for (int a = 0; a < rest.length; a++) {
        for (int b = 0; b < a; b++) {
          double v = 0.5 * (s[a][b] + s[b][a]);
          s[a][b] = v;
          s[b][a] = v;
        }
      }
      restChol = rest.length == 0 ? new double[0][0] : Normal.cholesky(s);
    }

    /** Coefficients of the regression of z_target on z_given. */
    private double[] regress(int[] given, int target) {
      int g = given.length;
      if (g == 0) {
        return new double[0];
      }
      double[][] a = new double[g][g];
      double[] b = new double[g];
      for (int x = 0; x < g; x++) {
        for (int y = 0; y < g; y++) {
          a[x][y] = corr[given[x]][given[y]];
        }
        b[x] = corr[given[x]][target];
      }
      return Normal.solve(Normal.cholesky(a), b);
    }

    void sample(int rows, int[][] cells, double[][] w, RandomSource rng) {
      int m = cond.length;
      double[] zc = new double[m];
      double[] e = new double[rest.length];
      for (int r = 0; r < rows; r++) {
        int tries = 0;
        while (true) {
          if (++tries > 1_000_000) {
            throw new UserInputException("the conditions given with --where are too unlikely "
                + "together under this model to be sampled");
          }
          boolean accepted = true;
          for (int k = 0; k < m && accepted; k++) {
            double mu = 0;
            for (int a = 0; a < k; a++) {
              mu += seqCoef[k][a] * zc[a];
            }
            double sd = seqSd[k];
            double pLo = Normal.cdf((Normal.quantile(lo[k]) - mu) / sd);
            double pHi = Normal.cdf((Normal.quantile(hi[k]) - mu) / sd);
            double mass = pHi - pLo;
            if (k > 0 && rng.nextDouble() >= mass) {
              accepted = false;
              break;
            }
            if (mass <= 0) {
              accepted = false;
              break;
            }
            double u = pLo + rng.nextOpenDouble() * mass;
            zc[k] = mu + sd * Normal.quantile(Math.min(1 - 1e-16, Math.max(1e-300, u)));
          }
          if (accepted) {
            break;
          }
        }
        for (int k = 0; k < m; k++) {
          emit(cond[k], r, zc[k], cells, w);
        }
        for (int i = 0; i < rest.length; i++) {
          e[i] = rng.nextGaussian();
        }
        for (int i = 0; i < rest.length; i++) {
          double z = 0;
          for (int k = 0; k < m; k++) {
            z += restCoef[i][k] * zc[k];
          }
          for (int t = 0; t <= i; t++) {
            z += restChol[i][t] * e[t];
          }
          emit(rest[i], r, z, cells, w);
        }
      }
    }
  }

  @Override
  protected Map<String, Object> modelJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> rows = new ArrayList<>();
    for (double[] row : corr) {
      rows.add(row);
    }
    m.put("correlation", rows);
    return m;
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("Gaussian copula over " + frame.width()
        + " columns\n  strongest dependencies (normal-score correlation):\n");
    List<double[]> pairs = new ArrayList<>();
    for (int a = 0; a < corr.length; a++) {
      for (int b = 0; b < a; b++) {
        pairs.add(new double[] {Math.abs(corr[a][b]), a, b, corr[a][b]});
      }
    }
    pairs.sort((x, y) -> Double.compare(y[0], x[0]));
    for (int i = 0; i < Math.min(10, pairs.size()); i++) {
      double[] p = pairs.get(i);
      sb.append(String.format(java.util.Locale.ROOT, "    %s ~ %s: %+.3f%n",
          frame.column((int) p[1]).name(), frame.column((int) p[2]).name(), p[3]));
    }
    return sb.toString();
  }
}
