package dev.ersatz.models.trees;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.models.CellModel;
import dev.ersatz.models.codec.Frame;
import dev.ersatz.models.codec.NumericCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fitted sequence of conditional trees: column {@code j}'s cell is drawn from the leaf its
 * tree reaches given the cells already drawn for columns {@code 0..j-1}.
 *
 * <p>Conditional sampling is exact at cell resolution: when a conditioned column comes up, the
 * row so far is kept with probability {@code P(required cell | leaf) / max over leaves}, and
 * restarted otherwise (rejection on the model's own conditional probabilities, so only
 * prefixes are thrown away, never whole generated rows checked after the fact).
 */
final class TreesModel extends CellModel {
  /** Per modelled column, the members of its ensemble (sampled as an equal mixture). */
  private final Tree[][] trees;
  /** Per modelled column, the sampling view of its ensemble (derived from {@link #trees}). */
  private final Forest[] forests;
  /**
   * Per modelled column, a boosted conditional that replaces its trees when sampling, or null
   * (two-cell columns of small tables; see {@link Booster}). The column's trees stay in the
   * model: they are what the fit-time leaf-size check measured.
   */
  private final Booster[] boosters;
  /**
   * Per modelled column, how its in-leaf position follows earlier numeric columns, or null;
   * null altogether when no column is coupled (see {@link Coupling}).
   */
  private final Coupling[] couplings;
  /**
   * Per modelled column, a booster given every other column that redraws the column's cell once
   * the rest of the row is drawn (one Gibbs step), or null; null altogether when no column is
   * refined. See {@link Booster#fitGivenAll}.
   */
  private final Booster[] refiners;
  /** Marginal normal scores of the coupling predictors (null without couplings). */
  private final Coupling.Scores scores;
  /** Per modelled column, whether some coupling reads its normal score. */
  private final boolean[] predictor;
  /**
   * Per modelled column, the earlier column it is nested in and the pairs real rows hold, or
   * null; null altogether when no column is nested (see {@link Nesting}).
   */
  private final Nesting[] nestings;
  private final Map<String, Object> tuning;

  TreesModel(Frame frame, Tree[][] trees, Map<String, Object> tuning,
      ModelProvenance provenance) {
    this(frame, trees, new Booster[trees.length], tuning, provenance);
  }

  TreesModel(Frame frame, Tree[][] trees, Booster[] boosters, Map<String, Object> tuning,
      ModelProvenance provenance) {
    this(frame, trees, boosters, null, tuning, provenance);
  }

  TreesModel(Frame frame, Tree[][] trees, Booster[] boosters, Coupling[] couplings,
      Map<String, Object> tuning, ModelProvenance provenance) {
    this(frame, trees, boosters, couplings, null, tuning, provenance);
  }

  TreesModel(Frame frame, Tree[][] trees, Booster[] boosters, Coupling[] couplings,
      Booster[] refiners, Map<String, Object> tuning, ModelProvenance provenance) {
    this(frame, trees, boosters, couplings, refiners, null, tuning, provenance);
  }

  TreesModel(Frame frame, Tree[][] trees, Booster[] boosters, Coupling[] couplings,
      Booster[] refiners, Nesting[] nestings, Map<String, Object> tuning,
      ModelProvenance provenance) {
    super(frame, provenance);
    this.nestings = nestings == null || java.util.Arrays.stream(nestings)
        .allMatch(java.util.Objects::isNull) ? null : nestings;
    this.trees = trees;
    this.boosters = boosters;
    this.couplings = couplings;
    this.refiners = refiners;
    this.scores = couplings == null ? null : new Coupling.Scores(frame);
    this.predictor = new boolean[trees.length];
    if (couplings != null) {
      for (Coupling c : couplings) {
        if (c != null) {
          for (int p : c.predictors) {
            predictor[p] = true;
          }
        }
      }
    }
    this.tuning = tuning;
    int d = trees.length;
    int[] card = TreesProvider.cellCounts(frame);
    forests = new Forest[d];
    for (int j = 0; j < d; j++) {
      forests[j] = Forest.of(trees[j], j, card);
    }
  }

  /** What the fit-time leaf-size search measured and chose (as stored in the model file). */
  Map<String, Object> tuning() {
    return tuning;
  }

  @Override
  public String generator() {
    return TreesProvider.NAME;
  }

  /** The nesting of each column (null where none), or null when no column is nested. */
  Nesting[] nestings() {
    return nestings;
  }

  Tree[] ensemble(int j) {
    return trees[j];
  }

  @Override
  protected boolean hasPositions() {
    return couplings != null;
  }

  @Override
  protected void sampleCells(int rows, int[] required, int[][] cells, double[][] w,
      RandomSource rng) {
    int d = trees.length;
    boolean any = false;
    for (int j = 0; j < d; j++) {
      any |= required[j] >= 0;
    }
    if (!any) {
      if (couplings == null) {
        sampleFree(rows, cells, rng);
      } else {
        sampleCoupled(rows, cells, w, rng);
      }
      return;
    }
    int[] row = new int[d];
    double[] pos = new double[d];
    double[] score = new double[d];
    double[] at = new double[1];
    double[] maxP = new double[d];
    for (int j = 0; j < d; j++) {
      if (required[j] >= 0) {
        if (boosters[j] != null) {
          maxP[j] = 1;
          continue;
        }
        for (Tree t : trees[j]) {
          maxP[j] = Math.max(maxP[j], maxProbability(t, required[j]));
        }
      }
    }
    for (int r = 0; r < rows; r++) {
      long tries = 0;
      outer:
      while (true) {
        if (++tries > 2_000_000) {
          throw new UserInputException("the conditions given with --where are too unlikely "
              + "together under this model to be sampled");
        }
        for (int j = 0; j < d; j++) {
          Tree[] e = trees[j];
          Booster bj = boosters[j];
          if (bj != null) {
            if (required[j] >= 0) {
              if (rng.nextDouble() >= bj.probability(row, required[j])) {
                continue outer;
              }
              row[j] = required[j];
            } else {
              row[j] = rng.nextDouble() < bj.probability(row, 1) ? 1 : 0;
            }
          } else if (required[j] >= 0) {
            Nesting nj = nestings == null ? null : nestings[j];
            double p = 0;
            for (Tree t : e) {
              p += nj == null ? t.probability(t.leaf(row), required[j])
                  : nj.probability(t, t.leaf(row), row[nj.parent], required[j]);
            }
            p /= e.length;
            // a nested column's probability is bounded by 1, not by the leaves' maximum
            if (rng.nextDouble() * (nj == null ? maxP[j] : 1) >= p) {
              continue outer;
            }
            row[j] = required[j];
          } else if (couplings != null && couplings[j] != null) {
            int b = e.length == 1 ? 0 : rng.nextInt(e.length);
            Tree t = e[b];
            row[j] = couplings[j].draw(t, b, t.leaf(row), score, 1, 0,
                frame.codec(j).missingCell(), at, rng);
            pos[j] = at[0];
          } else {
            Tree t = e.length == 1 ? e[0] : e[rng.nextInt(e.length)];
            int leaf = t.leaf(row);
            row[j] = t.sample(leaf, rng.nextDouble());
            Nesting nj = nestings == null ? null : nestings[j];
            if (nj != null) {
              row[j] = nj.draw(t, leaf, row[nj.parent], row[j], rng.nextDouble(),
                  rng.nextDouble());
            }
          }
          if (couplings != null) {
            if (couplings[j] == null || required[j] >= 0) {
              pos[j] = rng.nextDouble();
            }
            if (predictor[j]) {
              score[j] = scores.score(j, row[j], pos[j]);
            }
          }
        }
        break;
      }
      if (refiners != null) {
        for (int j = 0; j < d; j++) {
          if (refiners[j] != null && required[j] < 0) {
            row[j] = rng.nextDouble() < refiners[j].probability(row, 1) ? 1 : 0;
          }
        }
      }
      for (int j = 0; j < d; j++) {
        cells[j][r] = row[j];
      }
      if (w != null) {
        for (int j = 0; j < d; j++) {
          w[j][r] = pos[j];
        }
      }
    }
  }

  /**
   * Unconditional draws, block by block and, within a block, column by column: every row of the
   * block goes through column {@code j}'s trees before any goes through column {@code j + 1}'s.
   */
  private void sampleFree(int rows, int[][] cells, RandomSource rng) {
    int d = forests.length;
    int b = Forest.BLOCK;
    int[] block = new int[d * b];
    int[] node = new int[b];
    int[] rowOf = new int[b];
    int[] nodeOf = new int[b];
    double[] acc = new double[b];
    for (int start = 0; start < rows; start += b) {
      int m = Math.min(b, rows - start);
      for (int j = 0; j < d; j++) {
        Booster bj = boosters[j];
        if (bj != null) {
          bj.sample(block, Forest.BLOCK_SHIFT, m, acc, rowOf, nodeOf, node, rng);
        } else {
          forests[j].sample(m, block, j * b, node, rowOf, nodeOf, rng);
          nest(j, m, block, node, rng);
        }
        System.arraycopy(block, j * b, cells[j], start, m);
      }
      refine(block, m, cells, start, acc, rowOf, nodeOf, node, rng);
    }
  }

  /**
   * Applies column {@code j}'s nesting to the cells a block just drew ({@link Nesting#draw}; a
   * row's leaf is found from {@code node} as {@link Forest#sample} left it, and only for the
   * rows whose draw is not kept).
   */
  private void nest(int j, int m, int[] block, int[] node, RandomSource rng) {
    Nesting nj = nestings == null ? null : nestings[j];
    if (nj == null) {
      return;
    }
    int o = j * Forest.BLOCK;
    int po = nj.parent * Forest.BLOCK;
    Forest f = forests[j];
    for (int i = 0; i < m; i++) {
      int a = block[po + i];
      int drawn = block[o + i];
      double w = nj.weight(a, drawn);
      if (w < 1 && rng.nextDouble() >= w) {
        block[o + i] = nj.draw(trees[j][f.memberAt(node[i])], f.leafAt(node[i]), a, drawn,
            1, rng.nextDouble());
      }
    }
  }

  /** Redraws the refined columns of a complete block, in column order (a Gibbs sweep). */
  private void refine(int[] block, int m, int[][] cells, int start, double[] acc, int[] rowOf,
      int[] nodeOf, int[] node, RandomSource rng) {
    if (refiners == null) {
      return;
    }
    int b = Forest.BLOCK;
    for (int j = 0; j < refiners.length; j++) {
      if (refiners[j] != null) {
        refiners[j].sample(block, Forest.BLOCK_SHIFT, m, acc, rowOf, nodeOf, node, rng);
        System.arraycopy(block, j * b, cells[j], start, m);
      }
    }
  }

  /**
   * {@link #sampleFree} for a model with couplings: the same blocks, with each row's in-cell
   * positions drawn here and the normal scores of the couplings' predictors kept per block.
   */
  private void sampleCoupled(int rows, int[][] cells, double[][] w, RandomSource rng) {
    int d = forests.length;
    int b = Forest.BLOCK;
    int[] block = new int[d * b];
    double[] score = new double[d * b];
    int[] node = new int[b];
    int[] rowOf = new int[b];
    int[] nodeOf = new int[b];
    int[] member = new int[b];
    int[] leaf = new int[b];
    double[] acc = new double[b];
    double[] at = new double[1];
    for (int start = 0; start < rows; start += b) {
      int m = Math.min(b, rows - start);
      for (int j = 0; j < d; j++) {
        Booster bj = boosters[j];
        Coupling c = couplings[j];
        double[] wj = w[j];
        int o = j * b;
        if (bj != null) {
          bj.sample(block, Forest.BLOCK_SHIFT, m, acc, rowOf, nodeOf, node, rng);
        } else if (c != null) {
          forests[j].route(m, block, node, rowOf, nodeOf, member, leaf, rng);
          Tree[] e = trees[j];
          int missing = frame.codec(j).missingCell();
          for (int i = 0; i < m; i++) {
            block[o + i] = c.draw(e[member[i]], member[i], leaf[i], score, b, i, missing, at,
                rng);
            wj[start + i] = at[0];
          }
        } else {
          forests[j].sample(m, block, o, node, rowOf, nodeOf, rng);
          nest(j, m, block, node, rng);
        }
        if (c == null) {
          for (int i = 0; i < m; i++) {
            wj[start + i] = rng.nextDouble();
          }
        }
        if (predictor[j]) {
          for (int i = 0; i < m; i++) {
            score[o + i] = scores.score(j, block[o + i], wj[start + i]);
          }
        }
        System.arraycopy(block, o, cells[j], start, m);
      }
      refine(block, m, cells, start, acc, rowOf, nodeOf, node, rng);
    }
  }

  private static double maxProbability(Tree t, int cls) {
    double m = 0;
    for (int i = 0; i < t.nodes(); i++) {
      if (t.feature[i] < 0) {
        m = Math.max(m, t.probability(i, cls));
      }
    }
    return m;
  }

  @Override
  protected Map<String, Object> modelJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> ts = new ArrayList<>();
    for (Tree[] e : trees) {
      List<Object> members = new ArrayList<>();
      for (Tree t : e) {
        members.add(t.toJson());
      }
      ts.add(members);
    }
    m.put("trees", ts);
    List<Object> bs = new ArrayList<>();
    for (Booster bo : boosters) {
      bs.add(bo == null ? null : bo.toJson());
    }
    m.put("boosters", bs);
    if (couplings != null) {
      List<Object> cs = new ArrayList<>();
      for (Coupling c : couplings) {
        cs.add(c == null ? null : c.toJson());
      }
      m.put("couplings", cs);
    }
    if (refiners != null) {
      List<Object> rs = new ArrayList<>();
      for (Booster r : refiners) {
        rs.add(r == null ? null : r.toJson());
      }
      m.put("refiners", rs);
    }
    if (nestings != null) {
      List<Object> ns = new ArrayList<>();
      for (Nesting n : nestings) {
        ns.add(n == null ? null : n.toJson());
      }
      m.put("nestings", ns);
    }
    m.put("tuning", tuning);
    return m;
  }

  /** Where a declared target is drawn (ADR 19), for {@link #describe}. */
  private String targetPlace(String target) {
    Frame f = frame();
    if (f.column(f.width() - 1).name().equals(target)) {
      return "last";
    }
    if (f.column(0).name().equals(target) && refiners != null && refiners[0] != null) {
      return "first and redrawn given the rest";
    }
    return "in its place (tables of boost_rows rows or more keep their order)";
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("sequential conditional trees over ").append(trees.length)
        .append(" modelled columns (each column drawn given the columns before it")
        .append(provenance().parameters().get("target") instanceof String tgt
            ? "; the target, " + tgt + ", " + targetPlace(tgt) : "").append("), ")
        .append(trees.length == 0 ? 0 : trees[0].length).append(" trees per column\n");
    sb.append("\nstructure (split columns by how many nodes split on them):\n");
    for (int j = 0; j < trees.length; j++) {
      Tree t = trees[j][0];
      Booster bo = boosters[j];
      if (bo != null) {
        Map<Integer, Integer> uses = splitUses(bo);
        String form = bo.tables() > 0
            ? String.format(Locale.ROOT, "%d trees of depth 2 as %d tables", bo.trees(),
                bo.tables())
            : String.format(Locale.ROOT, "%d trees, %d leaves in all", bo.trees(), bo.leaves());
        sb.append(String.format(Locale.ROOT, "  %-24s boosted: %s, %3d cells  <- %s%n",
            frame.column(j).name(), form, t.classes, topSplits(uses)));
        continue;
      }
      Map<Integer, Integer> uses = new TreeMap<>();
      int leaves = 0;
      for (Tree member : trees[j]) {
        leaves += member.leaves();
        for (int f : member.feature) {
          if (f >= 0) {
            uses.merge(f, 1, Integer::sum);
          }
        }
      }
      sb.append(String.format(Locale.ROOT, "  %-24s %4d leaves/tree, depth %2d, %3d cells  <- %s%n",
          frame.column(j).name(), leaves / trees[j].length, deepest(trees[j]), t.classes,
          topSplits(uses)));
      if (frame.codec(j) instanceof NumericCodec nc
          && nc.calendarDescription() != null) {
        sb.append(String.format(Locale.ROOT, "  %-24s dates %s, as every real one%n", "",
            nc.calendarDescription()));
      }
      Nesting nj = nestings == null ? null : nestings[j];
      if (nj != null) {
        sb.append(String.format(Locale.ROOT,
            "  %-24s nested in %s: drawn among the %d pairs real rows hold (%.1f%% of rows;"
                + " %.1f%% if independent)%n", "", frame.column(nj.parent).name(),
            nj.pairs(), 100 * nj.coverage, 100 * nj.independent));
      }
      Coupling c = couplings == null ? null : couplings[j];
      if (c != null) {
        StringBuilder names = new StringBuilder();
        for (int i : c.predictors) {
          names.append(names.length() == 0 ? "" : ", ").append(frame.column(i).name());
        }
        sb.append(String.format(Locale.ROOT,
            "  %-24s in-leaf position follows %s (explains %.2f)%n", "", names, c.r2));
      }
    }
    if (refiners != null) {
      sb.append("\nredrawn once the rest of the row is drawn"
          + " (boosted, given every other column):\n");
      for (int j = 0; j < refiners.length; j++) {
        Booster r = refiners[j];
        if (r != null) {
          sb.append(String.format(Locale.ROOT, "  %-24s %d trees, %d leaves in all  <- %s%n",
              frame.column(j).name(), r.trees(), r.leaves(), topSplits(splitUses(r))));
        }
      }
    }
    Object found = tuning.get(Nesting.FOUND_KEY);
    if (found != null) {
      sb.append("\nnested categories found, not used: ").append(found)
          .append("\n  fit with -O nest=1 to draw each among the pairs real rows hold"
              + " (docs/generators.md)\n");
    }
    sb.append("\nfit-time overfitting check (DCR share on held-back rows, 0.5 = like fresh data):\n");
    for (Map.Entry<String, Object> en : tuning.entrySet()) {
      if (!en.getKey().equals(Nesting.FOUND_KEY)) {
        sb.append("  ").append(en.getKey()).append(": ").append(en.getValue()).append('\n');
      }
    }
    return sb.toString();
  }

  /** How many of a booster's nodes split on each column, for the columns it splits on. */
  private static Map<Integer, Integer> splitUses(Booster b) {
    int[] counts = b.splitCounts();
    Map<Integer, Integer> uses = new TreeMap<>();
    for (int f = 0; f < counts.length; f++) {
      if (counts[f] > 0) {
        uses.put(f, counts[f]);
      }
    }
    return uses;
  }

  /** The five columns split on most, with their node counts, or "(marginal)". */
  private String topSplits(Map<Integer, Integer> uses) {
    if (uses.isEmpty()) {
      return "(marginal)";
    }
    List<Map.Entry<Integer, Integer>> e = new ArrayList<>(uses.entrySet());
    e.sort((a, b) -> b.getValue() - a.getValue());
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(5, e.size()); i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(frame.column(e.get(i).getKey()).name()).append(" (")
          .append(e.get(i).getValue()).append(')');
    }
    return out.toString();
  }

  /**
   * The depth of a column's deepest member: leaves are shown averaged over the members, and the
   * first member alone can be a single leaf where the others split.
   */
  static int deepest(Tree[] members) {
    int d = 0;
    for (Tree t : members) {
      d = Math.max(d, depth(t, 0));
    }
    return d;
  }

  private static int depth(Tree t, int node) {
    if (t.feature[node] < 0) {
      return 0;
    }
    return 1 + Math.max(depth(t, t.left[node]), depth(t, t.right[node]));
  }
}
