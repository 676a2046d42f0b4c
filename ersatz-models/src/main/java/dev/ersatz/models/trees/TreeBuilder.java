package dev.ersatz.models.trees;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Grows one classification tree (CART: Breiman, Friedman, Olshen, Stone, "Classification and
 * Regression Trees", 1984) predicting a target column's cells from earlier columns' cells, with
 * the Gini criterion, a minimum leaf size, and leaf distributions smoothed towards their
 * parent's (an m-estimate: Cestnik, "Estimating probabilities", ECAI 1990).
 *
 * <p>Ordered predictors (numeric cells) split on thresholds; unordered ones (categories) split
 * on the best prefix of their levels sorted by the share of the node's majority class (exact
 * for two classes, Breiman et al. 1984 sec. 4.2.2), or one level against the rest.
 */
final class TreeBuilder {
  private static final int MAX_DEPTH = 28;

  private final int[][] cells;
  private final int[] card;
  private final boolean[] ordered;
  private final int target;
  private final int[] predictors;
  private final int minLeaf;
  private final double alpha;
  private final int k;
  private final dev.ersatz.core.random.RandomSource rng;
  private final double featureFraction;
  private int[] candidates = new int[0];

  // growing tree
  private final List<int[]> nodes = new ArrayList<>(); // {feature, left, right, size}
  private final List<byte[]> masks = new ArrayList<>();
  private final List<double[]> dists = new ArrayList<>();

  TreeBuilder(int[][] cells, int[] card, boolean[] ordered, int target, int[] predictors,
      int minLeaf, double alpha, dev.ersatz.core.random.RandomSource rng,
      double featureFraction) {
    this.rng = rng;
    this.featureFraction = featureFraction;
    this.cells = cells;
    this.card = card;
    this.ordered = ordered;
    this.target = target;
    this.predictors = predictors;
    this.minLeaf = Math.max(1, minLeaf);
    this.alpha = alpha;
    this.k = card[target];
  }

  Tree build(int[] rows) {
    int[] idx = rows.clone();
    grow(idx, 0, idx.length, 0, null);
    int n = nodes.size();
    int[] feature = new int[n];
    int[] left = new int[n];
    int[] right = new int[n];
    int[] offset = new int[n];
    int[] size = new int[n];
    int maskLen = 0;
    int leafCount = 0;
    for (int i = 0; i < n; i++) {
      if (nodes.get(i)[0] >= 0) {
        maskLen += masks.get(i).length;
      } else {
        leafCount++;
      }
    }
    byte[] goLeft = new byte[maskLen];
    double[] cum = new double[leafCount * k];
    int mo = 0;
    int co = 0;
    for (int i = 0; i < n; i++) {
      int[] nd = nodes.get(i);
      feature[i] = nd[0];
      left[i] = nd[1];
      right[i] = nd[2];
      size[i] = nd[3];
      if (nd[0] >= 0) {
        byte[] m = masks.get(i);
        System.arraycopy(m, 0, goLeft, mo, m.length);
        offset[i] = mo;
        mo += m.length;
      } else {
        double[] p = dists.get(i);
        double s = 0;
        for (int c = 0; c < k; c++) {
          s += p[c];
          cum[co + c] = s;
        }
        for (int c = 0; c < k; c++) {
          cum[co + c] /= s;
        }
        cum[co + k - 1] = 1.0;
        offset[i] = co;
        co += k;
      }
    }
    return new Tree(feature, left, right, offset, goLeft, cum, k, size);
  }

  /** Grows the subtree over {@code idx[from, to)}; returns its node index. */
  private int grow(int[] idx, int from, int to, int depth, double[] parentDist) {
    int n = to - from;
    int[] tc = target == -1 ? null : cells[target];
    long[] counts = new long[k];
    for (int i = from; i < to; i++) {
      counts[tc[idx[i]]]++;
    }
    double[] dist = new double[k];
    for (int c = 0; c < k; c++) {
      dist[c] = parentDist == null ? counts[c] / (double) Math.max(1, n)
          : (counts[c] + alpha * parentDist[c]) / (n + alpha);
    }
    int me = nodes.size();
    nodes.add(new int[] {-1, -1, -1, n});
    masks.add(null);
    dists.add(dist);
    if (n < 2 * minLeaf || depth >= MAX_DEPTH || predictors.length == 0 || pure(counts)) {
      return me;
    }
    Split best = bestSplit(idx, from, to, counts);
    if (best == null) {
      return me;
    }
    // partition idx[from, to) so that left rows come first
    int[] fc = cells[best.feature];
    int i = from;
    int j = to - 1;
    while (i <= j) {
      if (best.mask[fc[idx[i]]] != 0) {
        i++;
      } else {
        int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        j--;
      }
    }
    int mid = i;
    if (mid == from || mid == to) {
      return me;
    }
    dists.set(me, null);
    masks.set(me, best.mask);
    int l = grow(idx, from, mid, depth + 1, dist);
    int r = grow(idx, mid, to, depth + 1, dist);
    nodes.set(me, new int[] {best.feature, l, r, n});
    return me;
  }

  private static boolean pure(long[] counts) {
    int nonZero = 0;
    for (long c : counts) {
      if (c > 0) {
        nonZero++;
      }
    }
    return nonZero <= 1;
  }

  private record Split(int feature, byte[] mask, double impurity) {}

  // scratch buffers, reused across nodes (one builder grows one tree on one thread)
  private int[] bucketStart = new int[0];
  private int[] bucketFill = new int[0];
  private int[] sorted = new int[0];
  private long[] levelMajor = new long[0];
  private final long[] leftCounts = new long[64];
  private long[] scratchCounts = new long[0];

  private void ensure(int levels, int n) {
    if (bucketStart.length < levels + 1) {
      bucketStart = new int[levels + 1];
      bucketFill = new int[levels + 1];
      levelMajor = new long[levels + 1];
    }
    if (sorted.length < n) {
      sorted = new int[n];
    }
    if (scratchCounts.length < k) {
      scratchCounts = new long[k];
    }
  }

  /**
   * Finds the split with the lowest weighted Gini impurity. Per predictor the node's rows are
   * bucketed by level (counting sort) and walked once, moving one row at a time from the right
   * side to the left and updating the sums of squared class counts, so a node costs
   * O(rows + levels) per predictor rather than O(levels x classes).
   */
  private Split bestSplit(int[] idx, int from, int to, long[] counts) {
    int n = to - from;
    double sq = 0;
    int major = 0;
    for (int c = 0; c < k; c++) {
      sq += (double) counts[c] * counts[c];
      if (counts[c] > counts[major]) {
        major = c;
      }
    }
    double parentImp = n - sq / n;
    double bestImp = parentImp - 1e-7 * n - 1e-9;
    int bestFeature = -1;
    int bestKind = 0; // 1 = prefix of order, 2 = one level
    int[] bestOrder = null;
    int bestCut = -1;
    int[] tc = cells[target];
    long[] left = k <= leftCounts.length ? leftCounts : new long[k];
    int tried = predictors.length;
    if (featureFraction < 1 && predictors.length > 1) {
      // random-forest style: each node looks at a random subset of the predictors
      if (candidates.length != predictors.length) {
        candidates = predictors.clone();
      }
      tried = Math.max(1, (int) Math.ceil(featureFraction * predictors.length));
      for (int i = 0; i < tried; i++) {
        int j = i + rng.nextInt(candidates.length - i);
        int t = candidates[i];
        candidates[i] = candidates[j];
        candidates[j] = t;
      }
    } else {
      candidates = predictors;
    }
    for (int pi = 0; pi < tried; pi++) {
      int p = candidates[pi];
      int levels = card[p];
      if (levels < 2) {
        continue;
      }
      ensure(levels, n);
      int[] pc = cells[p];
      java.util.Arrays.fill(bucketStart, 0, levels + 1, 0);
      for (int i = from; i < to; i++) {
        bucketStart[pc[idx[i]] + 1]++;
      }
      int nonEmpty = 0;
      for (int l = 0; l < levels; l++) {
        if (bucketStart[l + 1] > 0) {
          nonEmpty++;
        }
        bucketStart[l + 1] += bucketStart[l];
      }
      if (nonEmpty < 2) {
        continue;
      }
      System.arraycopy(bucketStart, 0, bucketFill, 0, levels);
      for (int i = from; i < to; i++) {
        int r = idx[i];
        sorted[bucketFill[pc[r]]++] = r;
      }
      int[] order;
      if (ordered[p]) {
        order = null;
      } else {
        // per level: share of the node's majority class, and the one-vs-rest candidates
        long[] a = scratchCounts;
        final int maj = major;
        Integer[] o = new Integer[nonEmpty];
        int m = 0;
        for (int l = 0; l < levels; l++) {
          int b0 = bucketStart[l];
          int b1 = bucketStart[l + 1];
          if (b1 == b0) {
            continue;
          }
          o[m++] = l;
          double sa = 0;
          double sab = 0;
          long majCount = 0;
          for (int t = b0; t < b1; t++) {
            int c = tc[sorted[t]];
            sa += 2 * a[c] + 1;
            sab += counts[c];
            a[c]++;
            if (c == maj) {
              majCount++;
            }
          }
          for (int t = b0; t < b1; t++) {
            a[tc[sorted[t]]] = 0;
          }
          levelMajor[l] = majCount;
          long nl = b1 - b0;
          long nr = n - nl;
          if (nl >= minLeaf && nr >= minLeaf) {
            double sr = sq - 2 * sab + sa;
            double imp = (nl - sa / nl) + (nr - sr / nr);
            if (imp < bestImp) {
              bestImp = imp;
              bestFeature = p;
              bestKind = 2;
              bestOrder = new int[] {l};
              bestCut = 0;
            }
          }
        }
        final int[] bs = bucketStart;
        final long[] lm = levelMajor;
        java.util.Arrays.sort(o, 0, m, (x, y) -> Double.compare(
            lm[x] / (double) (bs[x + 1] - bs[x]), lm[y] / (double) (bs[y + 1] - bs[y])));
        order = new int[m];
        for (int t = 0; t < m; t++) {
          order[t] = o[t];
        }
      }
      // walk levels in order, moving rows from right to left
      java.util.Arrays.fill(left, 0, k, 0);
      double sl = 0;
      double sr = sq;
      long nl = 0;
      int steps = order == null ? levels : order.length;
      int cutHere = -1;
      double bestHere = bestImp;
      for (int t = 0; t < steps - 1; t++) {
        int l = order == null ? t : order[t];
        int b0 = bucketStart[l];
        int b1 = bucketStart[l + 1];
        if (b1 == b0) {
          continue;
        }
        for (int u = b0; u < b1; u++) {
          int c = tc[sorted[u]];
          long av = left[c];
          long bv = counts[c] - av;
          sl += 2 * av + 1;
          sr -= 2 * bv - 1;
          left[c] = av + 1;
        }
        nl += b1 - b0;
        long nr = n - nl;
        if (nl < minLeaf || nr < minLeaf) {
          continue;
        }
        double imp = (nl - sl / nl) + (nr - sr / nr);
        if (imp < bestHere) {
          bestHere = imp;
          cutHere = t;
        }
      }
      if (cutHere >= 0) {
        bestImp = bestHere;
        bestFeature = p;
        bestKind = 1;
        bestCut = cutHere;
        bestOrder = order;
      }
    }
    if (bestFeature < 0) {
      return null;
    }
    byte[] mask = new byte[card[bestFeature]];
    if (bestKind == 2) {
      mask[bestOrder[0]] = 1;
    } else if (bestOrder == null) {
      // ordered: everything up to the cut level (unseen levels follow their neighbours)
      for (int l = 0; l <= bestCut; l++) {
        mask[l] = 1;
      }
    } else {
      for (int t = 0; t <= bestCut; t++) {
        mask[bestOrder[t]] = 1;
      }
    }
    return new Split(bestFeature, mask, bestImp);
  }
}
