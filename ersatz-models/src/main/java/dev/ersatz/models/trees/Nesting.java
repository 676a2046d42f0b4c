package dev.ersatz.models.trees;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.models.codec.CategoricalCodec;
import dev.ersatz.models.codec.Frame;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A categorical column nested in an earlier one, as counties lie in states: the pairs of cells
 * that real rows hold, and the child drawn among them given the parent's cell (option
 * {@code nest=1} of the trees generator).
 *
 * <p>A column's tree draws its cell from a leaf of a few hundred rows, and a leaf mixes parent
 * values (small states together), so it puts mass on children that never occur with the row's
 * parent: 71% of the synthetic (state, county) pairs of a zip code table did not exist. With a
 * nesting, the child's trees do not split on the parent; the child is drawn from its leaf's
 * distribution times P(parent | child), over the pairs held by at least k real rows (k the
 * rare-value threshold). That is Bayes' rule for P(child | leaf, parent) when the parent
 * depends on the rest of the row through the child only, which a hierarchy makes true; with
 * child names unique to one parent it is the leaf restricted to the parent's children. When the
 * leaf has no mass there, the child is drawn from the real pair counts given the parent.
 *
 * <p>Found at fit time ({@link #find}): for each categorical column of at least 3 cells, among
 * the earlier categorical columns with fewer cells (or with at least {@link #MANY_PARENTS}),
 * the one whose allowed pairs cover at least {@link #MIN_COVERAGE} of the real rows while
 * independence would put at most {@link #MAX_INDEPENDENT} of its mass on them (the smallest
 * such share wins). The second condition tells a hierarchy from a skewed pair: occupation and
 * country of birth pass the first (most rows are one country) but not the second (0.98);
 * states and counties pass both (0.12). A pair held by fewer than k rows is never emitted
 * where a nesting holds, which costs the real rows in such pairs (2.4% of the zip codes' rows)
 * their pair.
 */
final class Nesting {
  /** Share of the real rows the allowed pairs must hold. */
  static final double MIN_COVERAGE = 0.95;
  /** Largest share of the independence mass that may fall on the allowed pairs. */
  static final double MAX_INDEPENDENT = 0.5;
  /**
   * Parent cells from which a child of no more cells is nested too: below it the trees resolve
   * a child that the parent determines (grades given 70 pollsters) and a nesting only moved the
   * fit-time check; above it leaves mix parents (genres given 3,466 film titles).
   */
  static final int MANY_PARENTS = 200;
  /** Largest parent cells x child cells grid that is considered. */
  static final long MAX_GRID = 1L << 26;

  final int child;
  final int parent;
  /** Per parent cell a, the allowed children are {@code kids[start[a] .. start[a + 1])}. */
  private final int[] start;
  private final int[] kids;
  private final long[] counts;
  /**
   * Per allowed pair (a, b), the share of the child's rows (in allowed pairs) that lie in
   * parent a: P(a | b), 1 where the child's name occurs under one parent only.
   */
  private final double[] weight;
  /** Diagnostics: the real rows the allowed pairs hold, and the independence mass on them. */
  final double coverage;
  final double independent;

  private Nesting(int child, int parent, int parentCells, int childCells, int[] pairs,
      long[] counts, double coverage, double independent) {
    this.child = child;
    this.parent = parent;
    this.counts = counts;
    this.coverage = coverage;
    this.independent = independent;
    this.start = new int[parentCells + 1];
    this.kids = new int[counts.length];
    for (int i = 0; i < counts.length; i++) {
      int a = pairs[2 * i];
      int b = pairs[2 * i + 1];
      start[a + 1]++;
      kids[i] = b;
    }
    for (int a = 0; a < parentCells; a++) {
      start[a + 1] += start[a];
    }
    long[] childRows = new long[childCells];
    for (int i = 0; i < counts.length; i++) {
      childRows[kids[i]] += counts[i];
    }
    this.weight = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      weight[i] = counts[i] / (double) childRows[kids[i]];
    }
  }

  /** How many pairs are allowed. */
  int pairs() {
    return kids.length;
  }

  /**
   * P(a | b) among the allowed pairs: 0 for a pair real rows do not hold, 1 for a child that
   * occurs under parent a only (and for a parent cell without allowed pairs).
   */
  double weight(int a, int b) {
    int from = start[a];
    int to = start[a + 1];
    if (from == to) {
      return 1;
    }
    int i = java.util.Arrays.binarySearch(kids, from, to, b);
    return i < 0 ? 0 : weight[i];
  }

  /**
   * The child cell of a row whose leaf drew {@code drawn} given parent cell {@code a}: a draw
   * from the leaf's distribution times P(a | child) over the allowed children. That is Bayes'
   * rule for P(child | leaf, a) when the parent depends on the rest of the row through the
   * child only; with names unique to a parent it is the leaf restricted to the allowed
   * children. The leaf's draw is kept with probability P(a | drawn) (rejection), else the
   * cell is drawn from the weighted distribution directly, so the result is exact.
   *
   * @param u1 uniform in [0, 1), for keeping the leaf's draw
   * @param u2 uniform in [0, 1), for the direct draw
   */
  int draw(Tree t, int leaf, int a, int drawn, double u1, double u2) {
    double w = weight(a, drawn);
    if (w >= 1 || u1 < w) {
      return drawn;
    }
    return redraw(t, leaf, a, u2);
  }

  /** The probability that {@link #draw} returns child cell {@code b} in this leaf, given a. */
  double probability(Tree t, int leaf, int a, int b) {
    int from = start[a];
    int to = start[a + 1];
    if (from == to) {
      return t.probability(leaf, b);
    }
    double w = weight(a, b);
    if (w == 0) {
      return 0;
    }
    double total = 0;
    long sum = 0;
    for (int i = from; i < to; i++) {
      total += t.probability(leaf, kids[i]) * weight[i];
      sum += counts[i];
    }
    if (total > 0) {
      return t.probability(leaf, b) * w / total;
    }
    return counts[java.util.Arrays.binarySearch(kids, from, to, b)] / (double) sum;
  }

  /** The weighted draw of {@link #draw}, or from the real pair counts given {@code a} when the
   * leaf has no mass on the allowed children (parent cell {@code a} has allowed children). */
  private int redraw(Tree t, int leaf, int a, double u) {
    int from = start[a];
    int to = start[a + 1];
    double total = 0;
    for (int i = from; i < to; i++) {
      total += t.probability(leaf, kids[i]) * weight[i];
    }
    if (total > 0) {
      double x = u * total;
      for (int i = from; i < to; i++) {
        x -= t.probability(leaf, kids[i]) * weight[i];
        if (x < 0) {
          return kids[i];
        }
      }
      return kids[to - 1];
    }
    long sum = 0;
    for (int i = from; i < to; i++) {
      sum += counts[i];
    }
    double x = u * sum;
    for (int i = from; i < to; i++) {
      x -= counts[i];
      if (x < 0) {
        return kids[i];
      }
    }
    return kids[to - 1];
  }

  /** Key of the model's tuning record naming nestings found but not used ({@code nest=0}). */
  static final String FOUND_KEY = "nestedCategoriesFound";

  /** Most parent-child cell counts, in rows times candidate pairs, searched when not asked. */
  static final long CHEAP_WORK = 200_000_000L;

  /** Whether looking for nestings that were not asked for costs little (rows x pairs). */
  static boolean cheap(Frame frame, int rows) {
    long cat = 0;
    for (int j = 0; j < frame.width(); j++) {
      cat += frame.codec(j) instanceof CategoricalCodec ? 1 : 0;
    }
    return cat * (cat - 1) / 2 * (long) rows <= CHEAP_WORK;
  }

  /** "county in state (2528 pairs), ..." for the nestings found, or "". */
  static String describe(Frame frame, Nesting[] found) {
    StringBuilder sb = new StringBuilder();
    for (Nesting n : found) {
      if (n != null) {
        sb.append(sb.length() == 0 ? "" : ", ").append(frame.column(n.child).name())
            .append(" in ").append(frame.column(n.parent).name()).append(" (")
            .append(n.pairs()).append(" pairs)");
      }
    }
    return sb.toString();
  }

  /**
   * The nesting of each column (null where none), from the encoded real rows.
   *
   * @param k the rare-value threshold: pairs held by fewer rows are not allowed
   */
  static Nesting[] find(Frame frame, int[][] cells, int k) {
    int d = frame.width();
    Nesting[] out = new Nesting[d];
    int n = d == 0 ? 0 : cells[0].length;
    if (n == 0) {
      return out;
    }
    for (int j = 1; j < d; j++) {
      if (!(frame.codec(j) instanceof CategoricalCodec) || frame.codec(j).cells() < 3) {
        continue;
      }
      for (int p = 0; p < j; p++) {
        int pc = frame.codec(p).cells();
        int cc = frame.codec(j).cells();
        if (!(frame.codec(p) instanceof CategoricalCodec) || pc < 2
            || pc * (long) cc > MAX_GRID || (cc <= pc && pc < MANY_PARENTS)) {
          continue;
        }
        Nesting cand = measure(j, p, pc, cc, cells[p], cells[j], k);
        if (cand != null && cand.coverage >= MIN_COVERAGE
            && cand.independent <= MAX_INDEPENDENT
            && (out[j] == null || cand.independent < out[j].independent)) {
          out[j] = cand;
        }
      }
    }
    return out;
  }

  /** Largest grid counted in a dense array; larger ones are counted in a hash map. */
  static final long DENSE_GRID = 1L << 22;

  private static Nesting measure(int j, int p, int pc, int cc, int[] parentCells,
      int[] childCells, int k) {
    int n = parentCells.length;
    long[] pm = new long[pc];
    long[] cm = new long[cc];
    // the pairs' keys (a * cc + b) in order, and their row counts
    long[] keys;
    long[] held;
    if (pc * (long) cc <= DENSE_GRID) {
      int[] grid = new int[pc * cc];
      for (int r = 0; r < n; r++) {
        pm[parentCells[r]]++;
        cm[childCells[r]]++;
        grid[parentCells[r] * cc + childCells[r]]++;
      }
      int m = 0;
      for (int c : grid) {
        m += c >= k ? 1 : 0;
      }
      keys = new long[m];
      held = new long[m];
      m = 0;
      for (int key = 0; key < grid.length; key++) {
        if (grid[key] >= k) {
          keys[m] = key;
          held[m++] = grid[key];
        }
      }
    } else {
      Map<Long, long[]> pairs = new java.util.HashMap<>();
      for (int r = 0; r < n; r++) {
        pm[parentCells[r]]++;
        cm[childCells[r]]++;
        pairs.computeIfAbsent(parentCells[r] * (long) cc + childCells[r], x -> new long[1])[0]++;
      }
      keys = pairs.entrySet().stream().filter(e -> e.getValue()[0] >= k)
          .mapToLong(Map.Entry::getKey).sorted().toArray();
      held = new long[keys.length];
      for (int i = 0; i < keys.length; i++) {
        held[i] = pairs.get(keys[i])[0];
      }
    }
    if (keys.length == 0) {
      return null;
    }
    int[] ab = new int[2 * keys.length];
    long rows = 0;
    double indep = 0;
    for (int i = 0; i < keys.length; i++) {
      int a = (int) (keys[i] / cc);
      int b = (int) (keys[i] % cc);
      ab[2 * i] = a;
      ab[2 * i + 1] = b;
      rows += held[i];
      indep += (pm[a] / (double) n) * (cm[b] / (double) n);
    }
    return new Nesting(j, p, pc, cc, ab, held, rows / (double) n, indep);
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("parent", parent);
    int[] pairs = new int[2 * kids.length];
    for (int a = 0; a + 1 < start.length; a++) {
      for (int i = start[a]; i < start[a + 1]; i++) {
        pairs[2 * i] = a;
        pairs[2 * i + 1] = kids[i];
      }
    }
    m.put("pairs", pairs);
    m.put("counts", counts);
    m.put("coverage", coverage);
    m.put("independent", independent);
    return m;
  }

  static Nesting fromJson(JsonMap j, int child, Frame frame) {
    int parent = j.integer("parent");
    if (parent < 0 || parent >= child) {
      throw new ModelFormatException("nesting of column " + child + " at " + j.path()
          + " names parent " + parent + ", not an earlier column");
    }
    int pc = frame.codec(parent).cells();
    int cc = frame.codec(child).cells();
    int[] pairs = j.ints("pairs");
    double[] raw = j.doubles("counts");
    long[] counts = new long[raw.length];
    for (int i = 0; i < raw.length; i++) {
      counts[i] = (long) raw[i];
    }
    if (pairs.length != 2 * counts.length || counts.length == 0) {
      throw new ModelFormatException("nesting at " + j.path() + " has inconsistent arrays");
    }
    for (int i = 0; i < counts.length; i++) {
      int a = pairs[2 * i];
      int b = pairs[2 * i + 1];
      boolean ordered = i == 0 || a > pairs[2 * i - 2]
          || (a == pairs[2 * i - 2] && b > pairs[2 * i - 1]);
      if (a < 0 || a >= pc || b < 0 || b >= cc || counts[i] <= 0 || !ordered) {
        throw new ModelFormatException("nesting at " + j.path() + " has a bad pair " + i);
      }
    }
    return new Nesting(child, parent, pc, cc, pairs, counts, j.num("coverage"),
        j.num("independent"));
  }
}
