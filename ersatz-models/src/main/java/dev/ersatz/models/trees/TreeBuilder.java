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
 * <p>An ordered target (a numeric or date column's cells) is judged by two impurities at once:
 * the Gini over its cells (which keeps missing values and spikes apart) and the within-node sum
 * of squares of each cell's mid-rank score, as in a regression tree, weighted to count equally
 * at each node. Gini alone treats 40 and 41 hours a week as unrelated classes and misses
 * numeric trends (on the demo's clinic data it reproduced a blood pressure ~ BMI correlation of
 * 0.24 as -0.02; with the score, 0.22).
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
  private final double splitPenalty;
  private final int[] rowMajor;
  private final int width;
  /**
   * For an ordered target: each cell's score (its mid-rank in the column's marginal, in [0, 1];
   * NaN for the missing cell), so that splits are also judged by how much they reduce the
   * variance of the score, as a regression tree would. Null for unordered targets.
   */
  private final double[] score;
  /**
   * The score with 0 for the missing cell, and 1 per cell that has a score: the sums below add
   * a zero for the missing cell instead of branching on it (the same sums, bit for bit: adding
   * 0.0 to a sum that starts at +0.0 changes nothing).
   */
  private final double[] scoreOrZero;
  private final long[] scored;

  // growing tree
  private final List<int[]> nodes = new ArrayList<>(); // {feature, left, right, size}
  private final List<byte[]> masks = new ArrayList<>();
  private final List<double[]> dists = new ArrayList<>();

  TreeBuilder(int[][] cells, int[] rowMajor, int[] card, boolean[] ordered, int target,
      int[] predictors, int minLeaf, double alpha, dev.ersatz.core.random.RandomSource rng,
      double featureFraction, double splitPenalty, double[] score) {
    this.score = score;
    if (score != null) {
      scoreOrZero = new double[score.length];
      scored = new long[score.length];
      for (int c = 0; c < score.length; c++) {
        boolean has = !Double.isNaN(score[c]);
        scoreOrZero[c] = has ? score[c] : 0;
        scored[c] = has ? 1 : 0;
      }
    } else {
      scoreOrZero = null;
      scored = null;
    }
    this.splitPenalty = splitPenalty;
    this.rowMajor = rowMajor;
    this.width = cells.length;
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
    gather(idx);
    grow(idx, 0, idx.length, 0, null);
    return flatten();
  }

  /**
   * Per-predictor cell arrays aligned with {@code idx}, partitioned together with it at each
   * split, so a node's rows are always contiguous and no node gathers from the full table.
   */
  private void gather(int[] idx) {
    int n0 = idx.length;
    int np = predictors.length;
    cols = new int[np * n0];
    tgt = new int[n0];
    for (int i = 0; i < n0; i++) {
      int base = idx[i] * width;
      tgt[i] = rowMajor[base + target];
      for (int q = 0; q < np; q++) {
        cols[q * n0 + i] = rowMajor[base + predictors[q]];
      }
    }
    stride = n0;
    tmp = new int[n0];
  }

  /** The grown nodes as a {@link Tree}'s arrays. */
  private Tree flatten() {
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
        byte[] mk = masks.get(i);
        System.arraycopy(mk, 0, goLeft, mo, mk.length);
        offset[i] = mo;
        mo += mk.length;
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
    long[] counts = classCounts(from, to);
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
    // stable partition of idx, the target and every predictor's cells: left rows first
    int q0 = best.column;
    byte[] mask = best.mask;
    int off = q0 * stride;
    int[] goes = goesLeft.length >= n ? goesLeft : (goesLeft = new int[stride]);
    int nLeft = route(mask, off, from, to, goes);
    if (nLeft == 0 || nLeft == n) {
      return me;
    }
    partition(idx, from, to, goes);
    partition(tgt, from, to, goes);
    for (int q = 0; q < predictors.length; q++) {
      partitionAt(cols, q * stride, from, to, goes);
    }
    int i = from + nLeft;
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

  /**
   * The node's rows per target class. This and the other passes over a node's rows are small
   * methods apart from {@link #grow}, so that a cold fit compiles each once: a loop inside
   * {@code grow} had the whole method (with the split search inlined, 22 kB of machine code)
   * compiled again for every loop it was entered at.
   */
  private long[] classCounts(int from, int to) {
    final int[] y = tgt;
    long[] counts = new long[k];
    for (int i = from; i < to; i++) {
      counts[y[i]]++;
    }
    return counts;
  }

  /** Marks the node's rows that go left ({@code goes[i - from]} 1, else 0); returns how many. */
  private int route(byte[] mask, int off, int from, int to, int[] goes) {
    final int[] c = cols;
    int nLeft = 0;
    for (int i = from; i < to; i++) {
      int l = mask[c[off + i]];
      goes[i - from] = l;
      nLeft += l;
    }
    return nLeft;
  }

  private int[] cols;
  private int[] tgt;
  private int stride;
  private int[] tmp;
  private int[] goesLeft = new int[0];

  private void partition(int[] a, int from, int to, int[] goes) {
    partitionAt(a, 0, from, to, goes);
  }

  /**
   * Stable partition of {@code a[base + from, base + to)}: the rows marked in {@code goes} first.
   * Without a branch: each value is written to both sides and only the side it belongs to
   * advances (left rows are written back in place, never ahead of the row being read), as a
   * branch on a split's random-looking sides mispredicts about every other row.
   */
  private void partitionAt(int[] a, int base, int from, int to, int[] goes) {
    final int[] t = tmp;
    int l = base + from;
    int r = 0;
    for (int i = from; i < to; i++) {
      int v = a[base + i];
      int g = goes[i - from];
      a[l] = v;
      t[r] = v;
      l += g;
      r += 1 - g;
    }
    System.arraycopy(t, 0, a, l, r);
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

  /** A split on predictor {@code feature} (its position {@code column} among the predictors). */
  private record Split(int feature, int column, byte[] mask, double impurity) {}

  // scratch buffers, reused across nodes (one builder grows one tree on one thread)
  private int[] bucketStart = new int[0];
  private int[] bucketFill = new int[0];
  private int[] sortedClass = new int[0];
  private long[] hist = new long[0];
  private long[] levelTotal = new long[0];
  private double[] levelKey = new double[0];
  private long[] scratchCounts = new long[0];
  private long[] leftCounts = new long[0];
  private double[] levelS1 = new double[0];
  private double[] levelS2 = new double[0];
  private long[] levelNv = new long[0];

  private void ensure(int maxLevels, int n) {
    if (bucketStart.length < maxLevels + 1) {
      bucketStart = new int[maxLevels + 1];
      bucketFill = new int[maxLevels + 1];
      levelTotal = new long[maxLevels + 1];
      levelKey = new double[maxLevels + 1];
      levelS1 = new double[maxLevels + 1];
      levelS2 = new double[maxLevels + 1];
      levelNv = new long[maxLevels + 1];
    }
    if (hist.length < maxLevels * k) {
      hist = new long[maxLevels * k];
    }
    if (sortedClass.length < n) {
      sortedClass = new int[n];
    }
    if (scratchCounts.length < k) {
      scratchCounts = new long[k];
      leftCounts = new long[k];
    }
  }

  /**
   * Finds the split with the lowest weighted Gini impurity.
   *
   * <p>The node's rows are contiguous in every predictor's array (they are partitioned at each
   * split). A large node is summarised by a level x class histogram in one sequential pass; a
   * small one is bucketed by level (counting sort) and walked row by row, so a node costs
   * O(rows + levels x classes) per predictor either way.
   *
   * <p>Each pass over a predictor is its own small method ({@link #histogram}, {@link #buckets},
   * {@link #oneVsRest}, {@link #prefixes}). As one method of 46 kB of machine code, this search
   * was compiled by C2 seven times in a cold census fit (once per loop it was entered at, 0.14 to
   * 0.67 s each on a core the fit needed), which made a fit in a fresh JVM twice as long as a
   * warm one.
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
    double giniImp = n - sq / n;
    // ordered target: the score's sums over the node, and the weight that puts its variance on
    // the Gini's scale at this node (both parts count equally)
    double t1 = 0;
    double t2 = 0;
    long tv = 0;
    double wv = 0;
    if (score != null) {
      for (int c = 0; c < k; c++) {
        if (counts[c] > 0 && !Double.isNaN(score[c])) {
          t1 += counts[c] * score[c];
          t2 += counts[c] * score[c] * score[c];
          tv += counts[c];
        }
      }
      double varImp = tv > 0 ? t2 - t1 * t1 / tv : 0;
      wv = varImp > 1e-12 && giniImp > 1e-12 ? giniImp / varImp : 0;
    }
    double parentImp = wv > 0 ? 2 * giniImp : giniImp;
    Node node = new Node(n, counts, sq, major, wv, t1, t2, tv);
    // a split must beat what the best of many random splits would give: its impurity decrease
    // n * (Gini before - after) must exceed penalty * Gini (a chi-square-like test; for two
    // classes n * delta-Gini is Gini * chi^2 of the 2x2 table)
    best.reset(parentImp - splitPenalty * parentImp / n - 1e-9);

    int[] cand = candidates();
    int maxLevels = 2;
    for (int q : cand) {
      maxLevels = Math.max(maxLevels, card[predictors[q]]);
    }
    ensure(maxLevels, n);
    for (int q : cand) {
      int p = predictors[q];
      int levels = card[p];
      if (levels < 2) {
        continue;
      }
      int off = q * stride + from;
      // per-level totals and either a histogram or buckets of target classes
      boolean useHist = n >= 2L * levels * k;
      if (useHist) {
        histogram(off, from, n, levels, wv > 0);
      } else {
        buckets(off, from, n, levels, wv > 0);
      }
      int nonEmpty = 0;
      for (int l = 0; l < levels; l++) {
        if (levelTotal[l] > 0) {
          nonEmpty++;
        }
      }
      if (nonEmpty < 2) {
        continue;
      }
      int[] order = ordered[p] ? null : oneVsRest(node, p, q, levels, nonEmpty, useHist);
      prefixes(node, p, q, levels, order, useHist);
    }
    if (best.feature < 0) {
      return null;
    }
    byte[] mask = new byte[card[best.feature]];
    if (best.kind == Best.ONE_LEVEL) {
      mask[best.order[0]] = 1;
    } else if (best.order == null) {
      // ordered: everything up to the cut level (unseen levels follow their neighbours)
      for (int l = 0; l <= best.cut; l++) {
        mask[l] = 1;
      }
    } else {
      for (int t = 0; t <= best.cut; t++) {
        mask[best.order[t]] = 1;
      }
    }
    return new Split(best.feature, best.column, mask, best.impurity);
  }

  /**
   * What a node's search needs of the node: its rows, class counts and their sum of squares,
   * majority class, and for an ordered target the score's weight and sums ({@code wv} 0 when
   * the score is not used).
   */
  private record Node(int n, long[] counts, double sq, int major, double wv, double t1,
      double t2, long tv) {}

  /** The best split found so far at the node being searched. */
  private static final class Best {
    static final int PREFIX = 1;
    static final int ONE_LEVEL = 2;
    double impurity;
    int feature;
    int column;
    int kind;
    int[] order;
    int cut;

    void reset(double threshold) {
      impurity = threshold;
      feature = -1;
      column = -1;
      kind = 0;
      order = null;
      cut = -1;
    }

    void take(double imp, int p, int q, int kind, int[] order, int cut) {
      this.impurity = imp;
      this.feature = p;
      this.column = q;
      this.kind = kind;
      this.order = order;
      this.cut = cut;
    }
  }

  private final Best best = new Best();

  /**
   * Per level of the predictor at {@code off}: rows ({@link #levelTotal}), the level x class
   * histogram ({@link #hist}) and, with {@code withScore}, the score's sums.
   */
  private void histogram(int off, int from, int n, int levels, boolean withScore) {
    final int[] local = cols;
    final int[] y = tgt;
    final long[] h = hist;
    final int kk = k;
    Arrays.fill(levelTotal, 0, levels, 0);
    Arrays.fill(h, 0, levels * kk, 0);
    for (int i = 0; i < n; i++) {
      h[local[off + i] * kk + y[from + i]]++;
    }
    for (int l = 0; l < levels; l++) {
      long t = 0;
      for (int c = 0; c < kk; c++) {
        t += h[l * kk + c];
      }
      levelTotal[l] = t;
    }
    if (withScore) {
      final double[] sz = scoreOrZero;
      final long[] sc = scored;
      for (int l = 0; l < levels; l++) {
        double a1 = 0;
        double a2 = 0;
        long av = 0;
        final int base = l * kk;
        for (int c = 0; c < kk; c++) {
          long v = h[base + c];
          double t = v * sz[c];
          a1 += t;
          a2 += t * sz[c];
          av += v * sc[c];
        }
        levelS1[l] = a1;
        levelS2[l] = a2;
        levelNv[l] = av;
      }
    }
  }

  /**
   * Per level of the predictor at {@code off}: rows ({@link #levelTotal}), and the node's target
   * classes sorted by level ({@link #sortedClass}, level {@code l} from {@code bucketStart[l]});
   * with {@code withScore}, the score's sums.
   */
  private void buckets(int off, int from, int n, int levels, boolean withScore) {
    final int[] local = cols;
    final int[] y = tgt;
    Arrays.fill(levelTotal, 0, levels, 0);
    for (int i = 0; i < n; i++) {
      levelTotal[local[off + i]]++;
    }
    bucketStart[0] = 0;
    for (int l = 0; l < levels; l++) {
      bucketStart[l + 1] = bucketStart[l] + (int) levelTotal[l];
    }
    System.arraycopy(bucketStart, 0, bucketFill, 0, levels);
    for (int i = 0; i < n; i++) {
      sortedClass[bucketFill[local[off + i]]++] = y[from + i];
    }
    if (withScore) {
      for (int l = 0; l < levels; l++) {
        double a1 = 0;
        double a2 = 0;
        long av = 0;
        for (int u = bucketStart[l]; u < bucketStart[l + 1]; u++) {
          int c = sortedClass[u];
          double v = scoreOrZero[c];
          a1 += v;
          a2 += v * v;
          av += scored[c];
        }
        levelS1[l] = a1;
        levelS2[l] = a2;
        levelNv[l] = av;
      }
    }
  }

  /**
   * For an unordered predictor: tries each level against the rest, and returns the levels
   * present sorted by the key that orders them for {@link #prefixes} (the mean score for the
   * variance part, optimal for regression trees, Breiman et al. 1984 sec. 8.8; without one, the
   * share of the node's majority class).
   */
  private int[] oneVsRest(Node node, int p, int q, int levels, int nonEmpty, boolean useHist) {
    final long[] counts = node.counts();
    final int n = node.n();
    final double sq = node.sq();
    final double wv = node.wv();
    final int kk = k;
    long[] a = scratchCounts;
    int[] order = new int[nonEmpty];
    int o = 0;
    for (int l = 0; l < levels; l++) {
      long nl = levelTotal[l];
      if (nl == 0) {
        continue;
      }
      order[o++] = l;
      double sa = 0;
      double sab = 0;
      long maj;
      if (useHist) {
        for (int c = 0; c < kk; c++) {
          long h = hist[l * kk + c];
          sa += (double) h * h;
          sab += (double) h * counts[c];
        }
        maj = hist[l * kk + node.major()];
      } else {
        maj = 0;
        int b0 = bucketStart[l];
        int b1 = bucketStart[l + 1];
        for (int t = b0; t < b1; t++) {
          int c = sortedClass[t];
          sa += 2 * a[c] + 1;
          sab += counts[c];
          a[c]++;
          if (c == node.major()) {
            maj++;
          }
        }
        for (int t = b0; t < b1; t++) {
          a[sortedClass[t]] = 0;
        }
      }
      levelKey[l] = wv > 0 ? (levelNv[l] > 0 ? levelS1[l] / levelNv[l] : -1)
          : maj / (double) nl;
      long nr = n - nl;
      if (nl >= minLeaf && nr >= minLeaf) {
        double sr = sq - 2 * sab + sa;
        double imp = (nl - sa / nl) + (nr - sr / nr) + (wv > 0
            ? wv * varPart(levelS1[l], levelS2[l], levelNv[l], node.t1(), node.t2(), node.tv())
            : 0);
        if (imp < best.impurity) {
          best.take(imp, p, q, Best.ONE_LEVEL, new int[] {l}, 0);
        }
      }
    }
    sortByKey(order, order.length, levelKey);
    return order;
  }

  /**
   * Walks the levels in order ({@code order}, or the levels' own for an ordered predictor),
   * moving rows (or histogram rows) from the right side to the left, and keeps the best cut.
   */
  private void prefixes(Node node, int p, int q, int levels, int[] order, boolean useHist) {
    final long[] counts = node.counts();
    final int n = node.n();
    final double wv = node.wv();
    final int kk = k;
    long[] left = leftCounts;
    Arrays.fill(left, 0, kk, 0);
    double sl = 0;
    double sr = node.sq();
    long nl = 0;
    double l1 = 0;
    double l2 = 0;
    long lv = 0;
    int steps = order == null ? levels : order.length;
    int cutHere = -1;
    double bestHere = best.impurity;
    for (int t = 0; t < steps - 1; t++) {
      int l = order == null ? t : order[t];
      if (levelTotal[l] == 0) {
        continue;
      }
      if (useHist) {
        for (int c = 0; c < kk; c++) {
          long h = hist[l * kk + c];
          if (h != 0) {
            long av = left[c];
            long bv = counts[c] - av;
            sl += (double) (av + h) * (av + h) - (double) av * av;
            sr += (double) (bv - h) * (bv - h) - (double) bv * bv;
            left[c] = av + h;
          }
        }
      } else {
        int b0 = bucketStart[l];
        int b1 = bucketStart[l + 1];
        for (int u = b0; u < b1; u++) {
          int c = sortedClass[u];
          long av = left[c];
          long bv = counts[c] - av;
          sl += 2 * av + 1;
          sr -= 2 * bv - 1;
          left[c] = av + 1;
        }
      }
      nl += levelTotal[l];
      if (wv > 0) {
        l1 += levelS1[l];
        l2 += levelS2[l];
        lv += levelNv[l];
      }
      long nr = n - nl;
      if (nl < minLeaf || nr < minLeaf) {
        continue;
      }
      double imp = (nl - sl / nl) + (nr - sr / nr)
          + (wv > 0 ? wv * varPart(l1, l2, lv, node.t1(), node.t2(), node.tv()) : 0);
      if (imp < bestHere) {
        bestHere = imp;
        cutHere = t;
      }
    }
    if (cutHere >= 0) {
      best.take(bestHere, p, q, Best.PREFIX, order, cutHere);
    }
  }

  /** Within-side sums of squares of the score for a left side (sums l) of a node (sums t). */
  private static double varPart(double l1, double l2, long lv, double t1, double t2, long tv) {
    double left = lv > 0 ? l2 - l1 * l1 / lv : 0;
    long rv = tv - lv;
    double r1 = t1 - l1;
    double right = rv > 0 ? (t2 - l2) - r1 * r1 / rv : 0;
    return left + right;
  }

  /**
   * Insertion sort of {@code order[0, k)} by {@code key} (few levels; stable, so ties keep level
   * order; {@link Double#compare}'s order, which the booster's former boxed sort used). Shared
   * with {@link Booster}.
   */
  static void sortByKey(int[] order, int k, double[] key) {
    for (int i = 1; i < k; i++) {
      int v = order[i];
      double kv = key[v];
      int j = i - 1;
      while (j >= 0 && Double.compare(key[order[j]], kv) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
  }

  private int[] all = new int[0];
  private int[] subset = new int[0];

  /** Positions of the predictors a node may split on: all, or a random share (RF style). */
  private int[] candidates() {
    int p = predictors.length;
    if (all.length != p) {
      all = new int[p];
      for (int i = 0; i < p; i++) {
        all[i] = i;
      }
      subset = all.clone();
    }
    if (featureFraction >= 1 || p <= 1) {
      return all;
    }
    int tried = Math.max(1, (int) Math.ceil(featureFraction * p));
    for (int i = 0; i < tried; i++) {
      int j = i + rng.nextInt(p - i);
      int t = subset[i];
      subset[i] = subset[j];
      subset[j] = t;
    }
    return java.util.Arrays.copyOf(subset, tried);
  }
}
