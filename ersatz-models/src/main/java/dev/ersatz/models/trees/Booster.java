package dev.ersatz.models.trees;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.json.JsonMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gradient-boosted conditional for a two-cell column (a yes/no label, say): {@code P(cell 1 |
 * earlier columns' cells) = 1 / (1 + exp(-F))}, with {@code F} a sum of regression trees, each
 * fitted to the gradients of the logistic loss (Friedman, "Greedy function approximation: a
 * gradient boosting machine", Annals of Statistics 29, 2001) with second-order leaf values and
 * an L2 penalty (Chen and Guestrin, "XGBoost", KDD 2016), grown leaf-wise from histograms over
 * the predictors' cells (Ke et al., "LightGBM", NeurIPS 2017). Unordered predictors split on a
 * prefix of their levels sorted by gradient over hessian, as LightGBM does.
 *
 * <p>Why: a bagged mixture of classification trees is what the other columns use, and it
 * reproduces a label's dependence on many columns poorly when the table is small (its leaves
 * must hold enough rows to be private, so a few hundred rows give few leaves). A boosted sum of
 * many small trees, each leaf an average over at least {@link #MIN_LEAF} rows, is smoother and
 * no less private per leaf. Measured on a 1,000-row census sample (scikit-learn stand-ins,
 * relabelled covariates): train-synthetic-test-real ROC AUC 0.840 with the bagged trees, 0.879
 * boosted, 0.883 trained on the real rows. It costs about {@link #ROUNDS} tree walks per row
 * when sampling, which is why {@link TreesProvider} uses it only below a table size; above it,
 * the {@link #PAIRS} shape, whose trees are compiled into tables over pairs of predictors
 * ({@link Pairs}) and cost one lookup per table and row.
 *
 * <p>The fit is deterministic (no subsampling): the model depends on the data alone.
 */
final class Booster {
  static final int ROUNDS = 100;
  static final double LEARNING_RATE = 0.1;
  static final int MAX_LEAVES = 31;
  static final int MIN_LEAF = 20;

  /**
   * How the trees of a booster are grown.
   *
   * @param rounds number of trees
   * @param maxLeaves most leaves per tree (grown best-first)
   * @param maxDepth deepest a leaf may lie
   * @param learningRate shrinkage of each tree's leaf values
   * @param folds 0 to grow all {@code rounds} trees; else the number of trees, at most {@code
   *     rounds}, is the one with the least log loss on held-out rows in a {@code folds}-fold
   *     cross-validation
   */
  record Shape(int rounds, int maxLeaves, int maxDepth, double learningRate, int folds) {
    Shape(int rounds, int maxLeaves, int maxDepth, double learningRate) {
      this(rounds, maxLeaves, maxDepth, learningRate, 0);
    }

    Shape withRounds(int r) {
      return new Shape(r, maxLeaves, maxDepth, learningRate, 0);
    }
  }

  /** Small tables: scikit-learn's HistGradientBoosting defaults (100 trees of 31 leaves). */
  static final Shape FULL = new Shape(ROUNDS, MAX_LEAVES, Integer.MAX_VALUE,
      LEARNING_RATE);

  /**
   * {@link #FULL} with at most {@link #ROUNDS} trees, as many as a {@code folds}-fold
   * cross-validation finds best (the {@code boost_folds} option). A hundred trees fitted to a
   * table of a few thousand rows learn its rows: on R tables the held-out log loss of
   * scikit-learn's equivalent was least at 3 to 46 trees and at a hundred up to half as large
   * again (hmda's deny 0.372 against 0.288 at fifteen). Rows a booster has learned pass their labels to synthetic rows drawn near them,
   * which the DCR share measures; fewer trees lower it by 0.005 to 0.025. They also give labels
   * that are truer but noisier, and a model trained on such synthetic rows scores 0.003 to 0.044
   * lower on real ones, hence not the default (BENCHMARKS, "Boosters' rounds by
   * cross-validation").
   */
  static Shape fullCrossValidated(int folds) {
    return new Shape(ROUNDS, MAX_LEAVES, Integer.MAX_VALUE, LEARNING_RATE, folds);
  }

  /**
   * A fold stops adding trees once its held-out loss has not improved for this many; the rest
   * of its loss curve is taken as flat (the loss rises when trees overfit, so this only ever
   * favours fewer trees by a hair).
   */
  static final int PATIENCE = 20;

  /**
   * Large tables: trees of depth two, whose sum is a sum of functions of two predictors each
   * (a root split on {@code a} with children splitting on {@code b} and {@code c} is {@code
   * [a in S] g(b) + [a not in S] h(c)}), which sampling evaluates as one table lookup per pair
   * of predictors instead of a walk per tree: the GA2M form of Lou, Caruana, Gehrke, Hooker,
   * "Accurate intelligible models with pairwise interactions", KDD 2013.
   */
  static final Shape PAIRS = new Shape(200, 4, 2, 0.35);
  static final double L2 = 1.0;
  private static final double MIN_HESSIAN = 1e-3;
  /**
   * Added to a level's hessian sum when unordered levels are sorted for a split: levels with few
   * rows are pulled to the middle instead of deciding the order (LightGBM's cat_smooth, whose
   * default this is).
   */
  static final double CAT_SMOOTH = 10;

  /**
   * Column this booster predicts; its predictors are columns {@code 0..target-1}, or, for a
   * booster fitted by {@link #fitGivenAll}, every other column.
   */
  final int target;
  final double base;
  final int[] roots;
  final int[] feature;
  final int[] left;
  final int[] right;
  final int[] offset;
  final byte[] goLeft;
  final double[] value;

  /**
   * The nodes interleaved for sampling, four ints each: split column, mask offset, left and
   * right child; a child that is a leaf is {@code ~leaf} (negative), an internal one its
   * position in this array.
   */
  private final int[] packed;
  /** Per tree, its root as a child pointer of {@link #packed} (negative: a single leaf). */
  private final int[] rootPtr;
  /** The same sum as tables over pairs of predictors when no tree is deeper than two, or null. */
  private final Pairs pairs;

  private Booster(int target, double base, int[] roots, int[] feature, int[] left, int[] right,
      int[] offset, byte[] goLeft, double[] value, int[] card) {
    this.target = target;
    this.base = base;
    this.roots = roots;
    this.feature = feature;
    this.left = left;
    this.right = right;
    this.offset = offset;
    this.goLeft = goLeft;
    this.value = value;
    packed = new int[4 * feature.length];
    for (int i = 0; i < feature.length; i++) {
      if (feature[i] >= 0) {
        packed[4 * i] = feature[i];
        packed[4 * i + 1] = offset[i];
        packed[4 * i + 2] = pointer(left[i]);
        packed[4 * i + 3] = pointer(right[i]);
      }
    }
    rootPtr = new int[roots.length];
    for (int t = 0; t < roots.length; t++) {
      rootPtr[t] = pointer(roots[t]);
    }
    pairs = Pairs.compile(this, card);
  }

  /**
   * A sum of trees none deeper than two, rewritten as {@code constant + sum_a T_a[x_a] +
   * sum_(a,b) T_ab[x_a, x_b]}: a tree's root split on {@code a} sends each of {@code a}'s cells
   * to one child, so the tree is the sum over its two children of "the row is on this child's
   * side of {@code a}" times the child's own split (or leaf). Exact up to the order of the
   * additions.
   */
  static final class Pairs {
    final double constant;
    final int[] single;
    final double[][] singleTable;
    final int[] first;
    final int[] second;
    final int[] secondCells;
    final double[][] pairTable;

    private Pairs(double constant, Map<Integer, double[]> singles, Map<Long, double[]> pairs,
        int[] card) {
      this.constant = constant;
      single = singles.keySet().stream().mapToInt(Integer::intValue).toArray();
      singleTable = singles.values().toArray(new double[0][]);
      first = new int[pairs.size()];
      second = new int[pairs.size()];
      secondCells = new int[pairs.size()];
      pairTable = new double[pairs.size()][];
      int t = 0;
      for (Map.Entry<Long, double[]> e : pairs.entrySet()) {
        first[t] = (int) (e.getKey() >>> 32);
        second[t] = (int) (long) e.getKey();
        secondCells[t] = card[second[t]];
        pairTable[t] = e.getValue();
        t++;
      }
    }

    /** Most table entries a booster may be compiled into (8 MB of doubles); beyond, walk it. */
    static final long MAX_ENTRIES = 1L << 20;

    static Pairs compile(Booster b, int[] card) {
      // first the shape: every tree at most two deep, and the tables small enough
      java.util.Set<Long> used = new java.util.HashSet<>();
      long entries = 0;
      for (int root : b.roots) {
        if (b.feature[root] < 0) {
          continue;
        }
        int a = b.feature[root];
        for (int child : new int[] {b.left[root], b.right[root]}) {
          int c = b.feature[child];
          if (c < 0) {
            continue;
          }
          if (b.feature[b.left[child]] >= 0 || b.feature[b.right[child]] >= 0) {
            return null;
          }
          long key = ((long) Math.min(a, c) << 32) | Math.max(a, c);
          if (c != a && used.add(key)) {
            entries += (long) card[a] * card[c];
          }
        }
      }
      if (entries > MAX_ENTRIES) {
        return null;
      }
      double constant = 0;
      Map<Integer, double[]> singles = new java.util.TreeMap<>();
      Map<Long, double[]> pairs = new java.util.TreeMap<>();
      for (int root : b.roots) {
        if (b.feature[root] < 0) {
          constant += b.value[root];
          continue;
        }
        int a = b.feature[root];
        for (int side = 0; side < 2; side++) {
          int child = side == 0 ? b.left[root] : b.right[root];
          int onSide = side == 0 ? 1 : 0;
          if (b.feature[child] < 0) {
            double[] t = singles.computeIfAbsent(a, k -> new double[card[k]]);
            for (int ca = 0; ca < card[a]; ca++) {
              if (side(b, root, ca) == onSide) {
                t[ca] += b.value[child];
              }
            }
            continue;
          }
          int l = b.left[child];
          int r = b.right[child];
          int c = b.feature[child];
          if (c == a) {
            double[] t = singles.computeIfAbsent(a, k -> new double[card[k]]);
            for (int ca = 0; ca < card[a]; ca++) {
              if (side(b, root, ca) == onSide) {
                t[ca] += b.goLeft[b.offset[child] + ca] != 0 ? b.value[l] : b.value[r];
              }
            }
            continue;
          }
          int lo = Math.min(a, c);
          int hi = Math.max(a, c);
          double[] t = pairs.computeIfAbsent(((long) lo << 32) | hi,
              k -> new double[card[lo] * card[hi]]);
          for (int ca = 0; ca < card[a]; ca++) {
            if (side(b, root, ca) != onSide) {
              continue;
            }
            for (int cc = 0; cc < card[c]; cc++) {
              double v = b.goLeft[b.offset[child] + cc] != 0 ? b.value[l] : b.value[r];
              t[a == lo ? ca * card[hi] + cc : cc * card[hi] + ca] += v;
            }
          }
        }
      }
      // a one-predictor table folds into any pair table over that predictor: one pass less
      for (java.util.Iterator<Map.Entry<Integer, double[]>> it = singles.entrySet().iterator();
          it.hasNext(); ) {
        Map.Entry<Integer, double[]> e = it.next();
        int a = e.getKey();
        for (Map.Entry<Long, double[]> p : pairs.entrySet()) {
          int lo = (int) (p.getKey() >>> 32);
          int hi = (int) (long) p.getKey();
          if (lo != a && hi != a) {
            continue;
          }
          double[] t = p.getValue();
          for (int cl = 0; cl < card[lo]; cl++) {
            for (int ch = 0; ch < card[hi]; ch++) {
              t[cl * card[hi] + ch] += e.getValue()[lo == a ? cl : ch];
            }
          }
          it.remove();
          break;
        }
      }
      return new Pairs(constant, singles, pairs, card);
    }

    /** 1 if cell {@code c} of node {@code node}'s split column goes left, else 0. */
    private static int side(Booster b, int node, int c) {
      return b.goLeft[b.offset[node] + c] != 0 ? 1 : 0;
    }

    /** Adds each row's sum to {@code acc[0..m-1]}, for a block laid out as in sample. */
    void add(int[] block, int shift, int m, double[] acc) {
      for (int i = 0; i < m; i++) {
        acc[i] += constant;
      }
      for (int t = 0; t < single.length; t++) {
        double[] tab = singleTable[t];
        int oa = single[t] << shift;
        for (int i = 0; i < m; i++) {
          acc[i] += tab[block[oa + i]];
        }
      }
      for (int t = 0; t < first.length; t++) {
        double[] tab = pairTable[t];
        int oa = first[t] << shift;
        int ob = second[t] << shift;
        int cb = secondCells[t];
        for (int i = 0; i < m; i++) {
          acc[i] += tab[block[oa + i] * cb + block[ob + i]];
        }
      }
    }

    /** The sum for row {@code i} of a block laid out {@code block[column * b + i]}. */
    double one(int[] block, int b, int i) {
      double s = constant;
      for (int t = 0; t < single.length; t++) {
        s += singleTable[t][block[single[t] * b + i]];
      }
      for (int t = 0; t < first.length; t++) {
        s += pairTable[t][block[first[t] * b + i] * secondCells[t] + block[second[t] * b + i]];
      }
      return s;
    }

    int tables() {
      return single.length + first.length;
    }
  }

  /** Tables over one or two predictors the trees were compiled into, or 0 if they were not. */
  int tables() {
    return pairs == null ? 0 : pairs.tables();
  }

  private int pointer(int node) {
    return feature[node] < 0 ? ~node : 4 * node;
  }

  /**
   * Draws the cells of rows {@code 0..m-1} of a block laid out {@code block[column * b + i]}
   * (b a power of two, {@code 1 << shift}) into {@code block[target * b + i]}. Tree by tree over
   * the whole block, and within a tree level by level: every row still at a split moves one
   * level down per pass (the live rows compacted without branches), as {@link Forest} does, so
   * the walks of different rows overlap instead of waiting on each other.
   */
  void sample(int[] block, int shift, int m, double[] acc, int[] rowOf, int[] nodeOf,
      int[] leafOf, dev.ersatz.core.random.RandomSource rng) {
    logits(block, shift, m, acc, rowOf, nodeOf, leafOf);
    int out = target << shift;
    for (int i = 0; i < m; i++) {
      block[out + i] = rng.nextDouble() * (1 + Math.exp(-acc[i])) < 1 ? 1 : 0;
    }
  }

  /**
   * The log-odds of cell 1 for rows {@code 0..m-1} of a block, into {@code acc}: from the
   * pair tables when the trees were compiled into them, else by walking every tree.
   */
  void logits(int[] block, int shift, int m, double[] acc, int[] rowOf, int[] nodeOf,
      int[] leafOf) {
    java.util.Arrays.fill(acc, 0, m, base);
    if (pairs != null) {
      pairs.add(block, shift, m, acc);
      return;
    }
    final int[] p = packed;
    final byte[] mk = goLeft;
    for (int root : rootPtr) {
      if (root < 0) {
        double v = value[~root];
        for (int i = 0; i < m; i++) {
          acc[i] += v;
        }
        continue;
      }
      for (int i = 0; i < m; i++) {
        rowOf[i] = i;
        nodeOf[i] = root;
      }
      int live = m;
      while (live > 0) {
        int kept = 0;
        for (int a = 0; a < live; a++) {
          int i = rowOf[a];
          int at = nodeOf[a];
          int next = p[at + 3 - mk[p[at + 1] + block[(p[at] << shift) + i]]];
          leafOf[i] = next;
          rowOf[kept] = i;
          nodeOf[kept] = next;
          kept += (~next) >>> 31;
        }
        live = kept;
      }
      for (int i = 0; i < m; i++) {
        acc[i] += value[~leafOf[i]];
      }
    }
  }

  /** The log-odds of cell 1 for row {@code i} of a block laid out {@code block[column * b + i]}. */
  double logit(int[] block, int b, int i) {
    return pairs != null ? base + pairs.one(block, b, i) : walkLogit(block, b, i);
  }

  /** {@link #logit} by walking every tree, whatever their depth. */
  double walkLogit(int[] block, int b, int i) {
    double s = base;
    for (int root : roots) {
      int nd = root;
      while (feature[nd] >= 0) {
        nd = goLeft[offset[nd] + block[feature[nd] * b + i]] != 0 ? left[nd] : right[nd];
      }
      s += value[nd];
    }
    return s;
  }

  /** Probability of {@code cell} (0 or 1) given a row's earlier cells. */
  double probability(int[] row, int cell) {
    double p = 1 / (1 + Math.exp(-logit(row, 1, 0)));
    return cell == 1 ? p : 1 - p;
  }

  int trees() {
    return roots.length;
  }

  int leaves() {
    return Tree.leafCount(feature);
  }

  /** How many nodes split on each predictor. */
  int[] splitCounts() {
    int most = target;
    for (int f : feature) {
      most = Math.max(most, f + 1);
    }
    int[] c = new int[most];
    for (int f : feature) {
      if (f >= 0) {
        c[f]++;
      }
    }
    return c;
  }

  /**
   * Fits the booster for column {@code target} on {@code rows}.
   *
   * @param cells column-major cells of the whole table
   * @param card cells per column
   * @param ordered whether a column's cells are ordered (split on thresholds)
   * @param minLeaf fewest rows a leaf may hold
   */
  static Booster fit(int[][] cells, int[] card, boolean[] ordered, int target, int[] rows,
      int minLeaf) {
    return fit(cells, card, ordered, target, rows, minLeaf, FULL);
  }

  /** Fits the booster for column {@code target} with trees of the given shape. */
  static Booster fit(int[][] cells, int[] card, boolean[] ordered, int target, int[] rows,
      int minLeaf, Shape shape) {
    return fit(cells, card, ordered, target, rows, minLeaf, shape, () -> false);
  }

  /**
   * As above; {@code stop} is asked before each round, and a true answer ends the fit with a
   * {@link java.util.concurrent.CancellationException} (the rest of the model's fit failed).
   */
  static Booster fit(int[][] cells, int[] card, boolean[] ordered, int target, int[] rows,
      int minLeaf, Shape shape, java.util.function.BooleanSupplier stop) {
    int n = rows.length;
    int np = target;
    int[] x = new int[n * np];
    double[] y = new double[n];
    double pos = 0;
    for (int i = 0; i < n; i++) {
      int r = rows[i];
      for (int q = 0; q < np; q++) {
        x[i * np + q] = cells[q][r];
      }
      y[i] = cells[target][r] == 1 ? 1 : 0;
      pos += y[i];
    }
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    int leaf = Math.max(1, minLeaf);
    Shape grown = shape;
    if (shape.folds() > 1 && n >= shape.folds()) {
      grown = shape.withRounds(crossValidatedRounds(x, np, y, card, ordered, leaf, shape, stop));
    }
    double base = Math.log((pos + 0.5) / (n - pos + 0.5));
    Builder out = new Builder();
    List<Integer> roots = grow(x, np, y, card, ordered, leaf, grown, all, null, base, out,
        null, stop);
    return new Booster(target, base, roots.stream().mapToInt(Integer::intValue).toArray(),
        out.feature.stream().mapToInt(Integer::intValue).toArray(),
        out.left.stream().mapToInt(Integer::intValue).toArray(),
        out.right.stream().mapToInt(Integer::intValue).toArray(),
        out.offset.stream().mapToInt(Integer::intValue).toArray(), out.masks(),
        out.value.stream().mapToDouble(Double::doubleValue).toArray(), card);
  }

  /**
   * Grows {@code shape.rounds()} trees on rows {@code train} of {@code x} (row-major cells of
   * the predictors), from the log-odds {@code base}, into {@code out}; returns their roots. With
   * {@code held} rows, each round's summed log loss over them is added to {@code loss}, and the
   * growth stops once that loss has not improved for {@link #PATIENCE} rounds (the remaining
   * entries get the last loss).
   */
  private static List<Integer> grow(int[] x, int np, double[] y, int[] card, boolean[] ordered,
      int minLeaf, Shape shape, int[] train, int[] held, double base, Builder out,
      double[] loss, java.util.function.BooleanSupplier stop) {
    int n = y.length;
    double[] f = new double[n];
    java.util.Arrays.fill(f, base);
    double[] g = new double[n];
    double[] h = new double[n];
    List<Integer> roots = new ArrayList<>();
    Grower grower = new Grower(x, np, card, ordered, g, h, minLeaf, shape);
    double best = Double.POSITIVE_INFINITY;
    int bestRound = -1;
    for (int round = 0; round < shape.rounds(); round++) {
      if (stop.getAsBoolean()) {
        throw new java.util.concurrent.CancellationException("booster fit stopped");
      }
      for (int i : train) {
        double p = 1 / (1 + Math.exp(-f[i]));
        g[i] = p - y[i];
        h[i] = Math.max(p * (1 - p), 1e-12);
      }
      roots.add(grower.grow(train, held, out, f));
      if (held != null) {
        double l = 0;
        for (int i : held) {
          // log(1 + e^-m) for the margin m of the true class, stable for either sign
          double m = y[i] == 1 ? f[i] : -f[i];
          l += m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
        }
        loss[round] += l;
        if (l < best) {
          best = l;
          bestRound = round;
        } else if (round - bestRound >= PATIENCE) {
          for (int r = round + 1; r < loss.length; r++) {
            loss[r] += l;
          }
          break;
        }
      }
    }
    return roots;
  }

  /**
   * The number of trees, 1 to {@code shape.rounds()}, with the least log loss summed over the
   * held-out rows of a {@code shape.folds()}-fold cross-validation. The folds are a fixed
   * shuffle of the rows, so the fit still depends on the data alone.
   */
  private static int crossValidatedRounds(int[] x, int np, double[] y, int[] card,
      boolean[] ordered, int minLeaf, Shape shape, java.util.function.BooleanSupplier stop) {
    int n = y.length;
    int k = shape.folds();
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    dev.ersatz.core.random.RandomSource.of(FOLD_SEED).shuffle(perm);
    double[] loss = new double[shape.rounds()];
    for (int fold = 0; fold < k; fold++) {
      int from = (int) ((long) n * fold / k);
      int to = (int) ((long) n * (fold + 1) / k);
      int[] held = java.util.Arrays.copyOfRange(perm, from, to);
      int[] train = new int[n - held.length];
      System.arraycopy(perm, 0, train, 0, from);
      System.arraycopy(perm, to, train, from, n - to);
      double pos = 0;
      for (int i : train) {
        pos += y[i];
      }
      double base = Math.log((pos + 0.5) / (train.length - pos + 0.5));
      grow(x, np, y, card, ordered, minLeaf, shape, train, held, base, new Builder(), loss,
          stop);
    }
    int best = 0;
    for (int r = 1; r < loss.length; r++) {
      if (loss[r] < loss[best]) {
        best = r;
      }
    }
    return best + 1;
  }

  /** Seed of the shuffle that deals rows into cross-validation folds. */
  private static final long FOLD_SEED = 0x5eedf01dL;

  /**
   * Fits a booster for column {@code target} given every other column: the full conditional
   * of a Gibbs step (Geman and Geman, IEEE PAMI 1984) that redraws a two-cell column once a
   * row is complete. The fit sees the columns reordered with the target last; the split
   * columns are mapped back, so the booster reads a block in the table's own column order.
   */
  static Booster fitGivenAll(int[][] cells, int[] card, boolean[] ordered, int target,
      int[] rows, int minLeaf, Shape shape, java.util.function.BooleanSupplier stop) {
    int[] others = java.util.stream.IntStream.range(0, card.length).filter(q -> q != target)
        .toArray();
    return fitOver(cells, card, ordered, target, others, rows, minLeaf, shape, stop);
  }

  /**
   * Fits a booster for column {@code target} that splits only on the columns {@code over} (the
   * table's own indices): the fit sees those columns with the target last, and the split
   * columns are mapped back, so the booster reads a block in the table's own column order.
   */
  static Booster fitOver(int[][] cells, int[] card, boolean[] ordered, int target, int[] over,
      int[] rows, int minLeaf, Shape shape, java.util.function.BooleanSupplier stop) {
    int d = over.length + 1;
    int[] perm = java.util.Arrays.copyOf(over, d);
    perm[d - 1] = target;
    int[][] pc = new int[d][];
    int[] pk = new int[d];
    boolean[] po = new boolean[d];
    for (int q = 0; q < d; q++) {
      pc[q] = cells[perm[q]];
      pk[q] = card[perm[q]];
      po[q] = ordered[perm[q]];
    }
    Booster b = fit(pc, pk, po, d - 1, rows, minLeaf, shape, stop);
    int[] f = b.feature.clone();
    for (int i = 0; i < f.length; i++) {
      if (f[i] >= 0) {
        f[i] = perm[f[i]];
      }
    }
    return new Booster(target, b.base, b.roots, f, b.left, b.right, b.offset, b.goLeft, b.value,
        card);
  }

  /** Flat node lists of all trees. */
  private static final class Builder {
    final List<Integer> feature = new ArrayList<>();
    final List<Integer> left = new ArrayList<>();
    final List<Integer> right = new ArrayList<>();
    final List<Integer> offset = new ArrayList<>();
    final List<Double> value = new ArrayList<>();
    final java.io.ByteArrayOutputStream goLeft = new java.io.ByteArrayOutputStream();

    int leaf(double v) {
      feature.add(-1);
      left.add(-1);
      right.add(-1);
      offset.add(-1);
      value.add(v);
      return feature.size() - 1;
    }

    void split(int node, int feat, byte[] mask, int l, int r) {
      feature.set(node, feat);
      left.set(node, l);
      right.set(node, r);
      offset.set(node, goLeft.size());
      goLeft.write(mask, 0, mask.length);
      value.set(node, 0.0);
    }

    byte[] masks() {
      return goLeft.toByteArray();
    }
  }

  private record Split(double gain, int feature, byte[] mask) {}

  /**
   * A leaf being grown: its rows, the held-out rows that fall in it (null when none are
   * followed), their gradient sums, its node, depth, best split, and its
   * histogram when it may be split (a child's is its parent's minus its sibling's).
   */
  private record Leaf(int[] idx, int[] held, double gs, double hs, int node, int depth,
      Split best, Hist hist) {}

  /** Gradient, hessian and row sums per cell of every predictor, laid end to end. */
  private record Hist(double[] g, double[] h, int[] c) {
    Hist(int size) {
      this(new double[size], new double[size], new int[size]);
    }

    Hist minus(Hist o) {
      Hist d = new Hist(g.length);
      for (int i = 0; i < g.length; i++) {
        d.g[i] = g[i] - o.g[i];
        d.h[i] = h[i] - o.h[i];
        d.c[i] = c[i] - o.c[i];
      }
      return d;
    }
  }

  /**
   * Grows one regression tree leaf-wise on the current gradients. Histograms are built in one
   * pass over each row's cells (the predictors of a row lie side by side), and of two children
   * only the smaller one's is counted: the other is the parent's minus it (LightGBM's histogram
   * subtraction).
   */
  private static final class Grower {
    private final int[] x;
    private final int np;
    private final int[] card;
    private final boolean[] ordered;
    private final double[] g;
    private final double[] h;
    private final int minLeaf;
    private final Shape shape;
    /** Where each predictor's cells start in a histogram. */
    private final int[] start;
    private final int cells;
    private final int[] order;
    /** Per level of the predictor being cut, the key that orders unordered levels. */
    private final double[] key;

    Grower(int[] x, int np, int[] card, boolean[] ordered, double[] g, double[] h, int minLeaf,
        Shape shape) {
      this.x = x;
      this.shape = shape;
      this.np = np;
      this.card = card;
      this.ordered = ordered;
      this.g = g;
      this.h = h;
      this.minLeaf = minLeaf;
      start = new int[np];
      int at = 0;
      int max = 2;
      for (int q = 0; q < np; q++) {
        start[q] = at;
        at += card[q];
        max = Math.max(max, card[q]);
      }
      cells = at;
      order = new int[max];
      key = new double[max];
    }

    /**
     * Grows a tree on rows {@code all} and adds its leaf values to {@code f} for them and for
     * the {@code held} rows (null: none), which follow the splits without shaping them.
     */
    int grow(int[] all, int[] held, Builder out, double[] f) {
      List<Leaf> open = new ArrayList<>();
      Leaf top = leaf(all, held, out, 0, null);
      open.add(top);
      int leaves = 1;
      while (leaves < shape.maxLeaves()) {
        int pick = -1;
        for (int i = 0; i < open.size(); i++) {
          Split s = open.get(i).best();
          if (s != null && (pick < 0 || s.gain() > open.get(pick).best().gain())) {
            pick = i;
          }
        }
        if (pick < 0) {
          break;
        }
        Leaf lf = open.remove(pick);
        Split s = lf.best();
        int[][] sides = divide(lf.idx(), s);
        int[] li = sides[0];
        int[] ri = sides[1];
        int[] lh = null;
        int[] rh = null;
        if (lf.held() != null) {
          int[][] heldSides = divide(lf.held(), s);
          lh = heldSides[0];
          rh = heldSides[1];
        }
        int depth = lf.depth() + 1;
        Hist hl = null;
        Hist hr = null;
        if (splittable(li.length, depth) || splittable(ri.length, depth)) {
          if (li.length <= ri.length) {
            hl = histogram(li);
            hr = lf.hist().minus(hl);
          } else {
            hr = histogram(ri);
            hl = lf.hist().minus(hr);
          }
        }
        Leaf l = leaf(li, lh, out, depth, hl);
        Leaf r = leaf(ri, rh, out, depth, hr);
        out.split(lf.node(), s.feature(), s.mask(), l.node(), r.node());
        open.add(l);
        open.add(r);
        leaves++;
      }
      for (Leaf lf : open) {
        double v = -shape.learningRate() * lf.gs() / (lf.hs() + L2);
        out.value.set(lf.node(), v);
        add(f, lf.idx(), v);
        if (lf.held() != null) {
          add(f, lf.held(), v);
        }
      }
      return top.node();
    }

    /**
     * The rows of {@code idx} that split {@code s} sends left, then those it sends right, each in
     * their order. The passes over rows live in small methods such as this one, apart from
     * {@link #grow}'s loop over leaves: a cold fit then compiles each once, where one large
     * method was compiled again for every loop it was entered at.
     */
    private int[][] divide(int[] idx, Split s) {
      byte[] mask = s.mask();
      int f = s.feature();
      int nl = 0;
      for (int i : idx) {
        nl += mask[x[i * np + f]] != 0 ? 1 : 0;
      }
      int[] li = new int[nl];
      int[] ri = new int[idx.length - nl];
      int a = 0;
      int b = 0;
      for (int i : idx) {
        if (mask[x[i * np + f]] != 0) {
          li[a++] = i;
        } else {
          ri[b++] = i;
        }
      }
      return new int[][] {li, ri};
    }

    private static void add(double[] f, int[] rows, double v) {
      for (int i : rows) {
        f[i] += v;
      }
    }

    private boolean splittable(int rows, int depth) {
      return rows >= 2 * minLeaf && depth < shape.maxDepth() && np > 0;
    }

    private Hist histogram(int[] idx) {
      Hist t = new Hist(cells);
      double[] tg = t.g();
      double[] th = t.h();
      int[] tc = t.c();
      for (int i : idx) {
        double gi = g[i];
        double hi = h[i];
        int o = i * np;
        for (int q = 0; q < np; q++) {
          int c = start[q] + x[o + q];
          tg[c] += gi;
          th[c] += hi;
          tc[c]++;
        }
      }
      return t;
    }

    /** A new leaf over {@code idx}; {@code hist} is its histogram, or null to count it. */
    private Leaf leaf(int[] idx, int[] held, Builder out, int depth, Hist hist) {
      double gs = 0;
      double hs = 0;
      for (int i : idx) {
        gs += g[i];
        hs += h[i];
      }
      int node = out.leaf(0);
      Split best = null;
      if (splittable(idx.length, depth)) {
        if (hist == null) {
          hist = histogram(idx);
        }
        best = best(hist, idx.length, gs, hs);
      }
      return new Leaf(idx, held, gs, hs, node, depth, best, best == null ? null : hist);
    }

    private Split best(Hist hist, int n, double gs, double hs) {
      double parent = gs * gs / (hs + L2);
      Split best = null;
      for (int q = 0; q < np; q++) {
        Split s = bestOn(q, hist, n, gs, hs, parent, best == null ? 1e-9 : best.gain());
        if (s != null) {
          best = s;
        }
      }
      return best;
    }

    /**
     * The best cut of predictor {@code q} whose gain exceeds {@code floor}, or null. Apart from
     * {@link #best}'s loop over predictors, so that a cold fit compiles each once.
     */
    private Split bestOn(int q, Hist hist, int n, double gs, double hs, double parent,
        double floor) {
      int levels = card[q];
      if (levels < 2) {
        return null;
      }
      double[] hg = hist.g();
      double[] hh = hist.h();
      int[] hc = hist.c();
      int s0 = start[q];
      int k = 0;
      for (int l = 0; l < levels; l++) {
        if (hc[s0 + l] > 0) {
          order[k++] = l;
        }
      }
      if (k < 2) {
        return null;
      }
      if (!ordered[q]) {
        for (int l = 0; l < levels; l++) {
          key[l] = hg[s0 + l] / (hh[s0 + l] + CAT_SMOOTH);
        }
        TreeBuilder.sortByKey(order, k, key);
      }
      double gl = 0;
      double hl = 0;
      int cl = 0;
      int cut = -1;
      double cutGain = floor;
      for (int t = 0; t < k - 1; t++) {
        int l = s0 + order[t];
        gl += hg[l];
        hl += hh[l];
        cl += hc[l];
        int cr = n - cl;
        if (cl < minLeaf || cr < minLeaf) {
          continue;
        }
        double hr = hs - hl;
        if (hl < MIN_HESSIAN || hr < MIN_HESSIAN) {
          continue;
        }
        double gr = gs - gl;
        double gain = gl * gl / (hl + L2) + gr * gr / (hr + L2) - parent;
        if (gain > cutGain) {
          cutGain = gain;
          cut = t;
        }
      }
      if (cut < 0) {
        return null;
      }
      byte[] mask = new byte[levels];
      if (ordered[q]) {
        // everything up to the cut level, unseen levels with their neighbours
        for (int l = 0; l <= order[cut]; l++) {
          mask[l] = 1;
        }
      } else {
        for (int t = 0; t <= cut; t++) {
          mask[order[t]] = 1;
        }
      }
      return new Split(cutGain, q, mask);
    }
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("base", base);
    m.put("roots", roots);
    m.put("feature", feature);
    m.put("left", left);
    m.put("right", right);
    m.put("offset", offset);
    m.put("goLeft", Tree.widen(goLeft));
    m.put("value", value);
    return m;
  }

  /**
   * Reads and checks a booster for column {@code target} of a table with these cell counts. With
   * {@code givenAll}, the booster may split on any column but its target (as {@link
   * #fitGivenAll} fits them), else only on earlier ones.
   */
  static Booster fromJson(JsonMap j, int target, int[] card, boolean givenAll) {
    int[] roots = j.ints("roots");
    int[] f = j.ints("feature");
    int[] l = j.ints("left");
    int[] r = j.ints("right");
    int[] o = j.ints("offset");
    int[] glInts = j.ints("goLeft");
    double[] v = j.doubles("value");
    int n = f.length;
    if (l.length != n || r.length != n || o.length != n || v.length != n || n == 0) {
      throw new ModelFormatException("booster at " + j.path() + " has inconsistent arrays");
    }
    byte[] gl = Tree.narrow(glInts);
    for (int i = 0; i < n; i++) {
      boolean badColumn = givenAll ? f[i] == target || f[i] >= card.length : f[i] >= target;
      if (f[i] >= 0 && (badColumn || l[i] <= i || l[i] >= n || r[i] <= i || r[i] >= n
          || o[i] < 0 || o[i] + card[f[i]] > gl.length)) {
        throw new ModelFormatException("booster at " + j.path() + " has a bad node " + i);
      }
    }
    for (int root : roots) {
      if (root < 0 || root >= n) {
        throw new ModelFormatException("booster at " + j.path() + " has a bad root " + root);
      }
    }
    return new Booster(target, j.num("base"), roots, f, l, r, o, gl, v, card);
  }
}
