package dev.ersatz.privacy.mst;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.Condition;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.core.spi.SupportsConditionalSampling;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fitted {@code dp} model: a tree of noisy, made-consistent 2-way marginals over coarse
 * levels, with noisy 1-way distributions of fine levels within each coarse level. Sampling is
 * ancestral along the tree (a few alias-table look-ups per column), with numbers drawn
 * uniformly within their fine interval. The model holds only noisy releases, so it (and its
 * file) carries the differential privacy guarantee recorded in {@link #provenance()}.
 */
public final class DpModel implements FittedModel, SupportsConditionalSampling {
  static final int FORMAT = 1;

  private final Schema schema;
  private final ModelProvenance provenance;
  private final List<ColumnModel> nodes;
  private final List<Edge> edges;
  private final List<Extra> extras;
  private final int root;
  private final Plan plan;
  private final Map<Long, Plan> conditional = new ConcurrentHashMap<>();

  /**
   * A measured, made-consistent joint of two nodes over their coarse levels, row-major
   * {@code joint[ca * kb + cb]}, summing to 1.
   */
  record Edge(int a, int b, int ka, int kb, double[] joint) {}

  /**
   * A second parent {@code q} of {@code child} besides its tree parent {@code p}: the
   * conditional distribution of the child's coarse level given both,
   * {@code cpt[(cp * kq + cq) * kv + cv]}, each slice summing to 1. Used when sampling from the
   * tree's root; conditional sampling uses the tree alone.
   */
  record Extra(int child, int p, int q, int kv, int kp, int kq, double[] cpt) {}

  DpModel(Schema schema, ModelProvenance provenance, List<ColumnModel> nodes, List<Edge> edges,
      List<Extra> extras, int root) {
    this.schema = schema;
    this.provenance = provenance;
    this.nodes = List.copyOf(nodes);
    this.edges = List.copyOf(edges);
    this.extras = List.copyOf(extras);
    this.root = root;
    if (!nodes.isEmpty() && (root < 0 || root >= nodes.size())) {
      throw new ModelFormatException("dp model: root " + root + " out of range");
    }
    if (!nodes.isEmpty() && edges.size() != nodes.size() - 1) {
      throw new ModelFormatException("dp model: a tree over " + nodes.size()
          + " columns needs " + (nodes.size() - 1) + " edges but has " + edges.size());
    }
    this.plan = nodes.isEmpty() ? null : new Plan(root, -1);
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public String generator() {
    return DpSynthesizerProvider.NAME;
  }

  @Override
  public ModelProvenance provenance() {
    return provenance;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    List<Object> cols = new ArrayList<>();
    for (ColumnModel c : nodes) {
      cols.add(c.toJson());
    }
    m.put("columns", cols);
    List<Object> es = new ArrayList<>();
    for (Edge e : edges) {
      Map<String, Object> em = new LinkedHashMap<>();
      em.put("a", e.a());
      em.put("b", e.b());
      em.put("ka", e.ka());
      em.put("kb", e.kb());
      em.put("joint", ColumnModel.list(e.joint()));
      es.add(em);
    }
    m.put("edges", es);
    List<Object> xs = new ArrayList<>();
    for (Extra x : extras) {
      Map<String, Object> xm = new LinkedHashMap<>();
      xm.put("child", x.child());
      xm.put("p", x.p());
      xm.put("q", x.q());
      xm.put("cpt", ColumnModel.list(x.cpt()));
      xs.add(xm);
    }
    m.put("secondParents", xs);
    m.put("root", root);
    m.put("privacy", provenance.privacy());
    return m;
  }

  /** Rebuilds a model from {@link #parameters()}. */
  static DpModel fromJson(Schema schema, JsonMap p, ModelProvenance provenance) {
    int format = p.integer("format", -1);
    if (format != FORMAT) {
      throw new ModelFormatException("dp model format " + format + " is not supported (this "
          + "version reads format " + FORMAT + "); refit the model with this version");
    }
    List<ColumnModel> nodes = new ArrayList<>();
    for (JsonMap c : p.objects("columns")) {
      ColumnModel cm = ColumnModel.fromJson(c);
      if (cm.column < 0 || cm.column >= schema.size()) {
        throw new ModelFormatException("dp model: column index " + cm.column + " out of range");
      }
      nodes.add(cm);
    }
    List<Edge> edges = new ArrayList<>();
    for (JsonMap e : p.objects("edges")) {
      int a = e.integer("a");
      int b = e.integer("b");
      double[] joint = e.doubles("joint");
      if (a < 0 || b < 0 || a >= nodes.size() || b >= nodes.size()
          || e.integer("ka") != nodes.get(a).coarseCount
          || e.integer("kb") != nodes.get(b).coarseCount
          || joint.length != e.integer("ka") * e.integer("kb")) {
        throw new ModelFormatException("dp model: malformed edge " + a + "-" + b);
      }
      edges.add(new Edge(a, b, e.integer("ka"), e.integer("kb"), joint));
    }
    List<Extra> extras = new ArrayList<>();
    if (p.has("secondParents")) {
      for (JsonMap x : p.objects("secondParents")) {
        int v = x.integer("child");
        int a = x.integer("p");
        int q = x.integer("q");
        if (v < 0 || a < 0 || q < 0 || v >= nodes.size() || a >= nodes.size()
            || q >= nodes.size()) {
          throw new ModelFormatException("dp model: malformed second parent of " + v);
        }
        int kv = nodes.get(v).coarseCount;
        int kp = nodes.get(a).coarseCount;
        int kq = nodes.get(q).coarseCount;
        double[] cpt = x.doubles("cpt");
        if (cpt.length != kv * kp * kq) {
          throw new ModelFormatException("dp model: second parent table of " + v
              + " has " + cpt.length + " cells but needs " + (kv * kp * kq));
        }
        extras.add(new Extra(v, a, q, kv, kp, kq, cpt));
      }
    }
    return new DpModel(schema, provenance, nodes, edges, extras, p.integer("root", 0));
  }

  /**
   * The learned columns that emit missing values only: nothing of theirs rose above the noise
   * (no category released, or no credible numeric range). Read off the released model.
   */
  public List<String> emptyColumns() {
    List<String> out = new ArrayList<>();
    for (ColumnModel c : nodes) {
      boolean any = false;
      for (int f = 0; f < c.missingFine(); f++) {
        any |= c.fineProb[f] > 0;
      }
      if (!any) {
        out.add(schema.column(c.column).name());
      }
    }
    return out;
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "dp (MST) model over %d columns, %d learned; "
        + "epsilon=%s delta=%s (zCDP rho=%s)%n", schema.size(), nodes.size(),
        provenance.privacy().get("epsilon"), provenance.privacy().get("delta"),
        provenance.privacy().get("rho")));
    for (Extra x : extras) {
      sb.append("  second parent: ").append(schema.column(nodes.get(x.q()).column).name())
          .append(" -> ").append(schema.column(nodes.get(x.child()).column).name()).append('\n');
    }
    for (Edge e : edges) {
      sb.append("  tree edge: ").append(schema.column(nodes.get(e.a()).column).name())
          .append(" - ").append(schema.column(nodes.get(e.b()).column).name()).append('\n');
    }
    sb.append("columns (what the model emits):\n");
    int width = 0;
    int summaryWidth = 0;
    List<String> summaries = new ArrayList<>();
    for (ColumnModel c : nodes) {
      width = Math.max(width, schema.column(c.column).name().length());
      summaries.add(c.summary(schema.column(c.column).type() instanceof ColumnType.Datetime d
          && d.timeOnly()));
      summaryWidth = Math.max(summaryWidth, summaries.get(summaries.size() - 1).length());
    }
    Map<String, Object> given = provenance.parameters();
    int found = 0;
    for (int i = 0; i < nodes.size(); i++) {
      ColumnModel c = nodes.get(i);
      String name = schema.column(c.column).name();
      boolean byType = schema.column(c.column).type() instanceof ColumnType.Bool;
      boolean declared = given.containsKey(
          (c.kind == ColumnModel.Kind.CATEGORICAL ? "categories." : "bounds.") + name);
      found += declared || byType ? 0 : 1;
      sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %-11s  %-" + summaryWidth
          + "s  %s%n", name, c.kind.name().toLowerCase(Locale.ROOT), summaries.get(i),
          byType ? "its type's two values" : declared ? "declared" : "found under DP"));
    }
    if (found > 0) {
      sb.append("  found under DP: no public domain was declared, so values held by few rows"
          + " (rare categories, the extremes of numbers) are left out; declare public domains"
          + " in the metadata file (\"min\"/\"max\", \"values\") to keep them.\n");
    }
    return sb.toString();
  }

  @Override
  public Table sampleBatch(int rows, long firstRow, RandomSource rng) {
    return sample(plan, -1, rows, firstRow, rng);
  }

  @Override
  public void validate(Condition condition) {
    resolve(condition);
  }

  @Override
  public Table sampleBatch(Condition condition, int rows, long firstRow, RandomSource rng) {
    if (condition.isEmpty()) {
      return sampleBatch(rows, firstRow, rng);
    }
    int[] nf = resolve(condition);
    int node = nf[0];
    int fine = nf[1];
    int coarse = nodes.get(node).coarseOf[fine];
    Plan p = conditional.computeIfAbsent(((long) node << 32) | coarse,
        k -> new Plan(node, coarse));
    return sample(p, fine, rows, firstRow, rng);
  }

  /** The node and fine level a one-clause condition fixes. */
  private int[] resolve(Condition condition) {
    if (condition.clauses().size() != 1) {
      throw new UserInputException("the dp generator conditions on one column at a time but "
          + condition.clauses().size() + " were given; keep one --where");
    }
    Condition.Clause c = condition.clauses().get(0);
    int col = schema.require(c.column(), "--where");
    for (int k = 0; k < nodes.size(); k++) {
      ColumnModel m = nodes.get(k);
      if (m.column != col) {
        continue;
      }
      if (m.kind != ColumnModel.Kind.CATEGORICAL) {
        throw new UserInputException("--where " + c.column() + ": the dp generator conditions "
            + "only on categorical or boolean columns");
      }
      int f = m.categories.indexOf(c.value());
      if (f < 0 && m.categories.isEmpty()) {
        throw new UserInputException("--where " + c.column() + "=" + c.value()
            + ": the dp model released no category of " + c.column() + " (none rose above the "
            + "noise; the column comes out empty), so it cannot condition on it");
      }
      if (f < 0) {
        throw new UserInputException("--where " + c.column() + "=" + c.value()
            + ": that value is not among the categories the dp model released; choose one of "
            + m.categories);
      }
      return new int[] {k, f};
    }
    throw new UserInputException("--where " + c.column() + ": the column is not learned by the "
        + "model (identifier or text), so it cannot be conditioned on");
  }

  private Table sample(Plan p, int fixedFine, int rows, long firstRow, RandomSource rng) {
    int n = nodes.size();
    int[][] fine = new int[n][];
    int[][] coarse = new int[n][];
    int[] order = p == null ? new int[0] : p.order;
    // Column by column in tree order: each column is one alias look-up per row given its
    // parent's coarse level (tight loops over arrays, no per-row branching on structure).
    for (int k : order) {
      ColumnModel m = nodes.get(k);
      int[] f = new int[rows];
      int[] c = new int[rows];
      int par = p.parent[k];
      if (par < 0) {
        if (fixedFine >= 0) {
          java.util.Arrays.fill(f, fixedFine);
        } else {
          Alias a = p.rootAlias;
          for (int r = 0; r < rows; r++) {
            f[r] = a.sample(rng);
          }
        }
      } else if (p.cpt2[k] != null) {
        Alias[] t = p.cpt2[k];
        int[] pc = coarse[par];
        int[] qc = coarse[p.second[k]];
        int kq = nodes.get(p.second[k]).coarseCount;
        for (int r = 0; r < rows; r++) {
          f[r] = t[pc[r] * kq + qc[r]].sample(rng);
        }
      } else {
        Alias[] t = p.cpt[k];
        int[] pc = coarse[par];
        for (int r = 0; r < rows; r++) {
          f[r] = t[pc[r]].sample(rng);
        }
      }
      int[] co = m.coarseOf;
      for (int r = 0; r < rows; r++) {
        c[r] = co[f[r]];
      }
      fine[k] = f;
      coarse[k] = c;
    }
    List<ColumnData> data = new ArrayList<>(schema.size());
    ColumnData[] byColumn = new ColumnData[schema.size()];
    for (int k = 0; k < n; k++) {
      ColumnModel m = nodes.get(k);
      int[] f = fine[k];
      int miss = m.missingFine();
      if (m.kind == ColumnModel.Kind.CATEGORICAL) {
        int[] codes = new int[rows];
        for (int r = 0; r < rows; r++) {
          codes[r] = f[r] == miss ? -1 : f[r];
        }
        byColumn[m.column] = ColumnData.Codes.adopt(codes, m.categories);
      } else {
        double[] v = new double[rows];
        for (int r = 0; r < rows; r++) {
          v[r] = f[r] == miss ? Double.NaN : m.valueOf(f[r], rng);
        }
        byColumn[m.column] = ColumnData.Numbers.adopt(v);
      }
    }
    for (int i = 0; i < schema.size(); i++) {
      if (byColumn[i] == null) {
        byColumn[i] = unlearned(schema.column(i), rows, firstRow, rng);
      }
      data.add(byColumn[i]);
    }
    return Table.of(schema, data);
  }

  /** Identifiers are regenerated in their shape; text is written missing. */
  private static ColumnData unlearned(Column col, int rows, long firstRow, RandomSource rng) {
    String[] out = new String[rows];
    ColumnType t = col.type();
    if (t instanceof ColumnType.Identifier id) {
      for (int r = 0; r < rows; r++) {
        out[r] = identifier(id, firstRow + r, rng);
      }
    } else if (t instanceof ColumnType.Numeric || t instanceof ColumnType.Datetime) {
      double[] v = new double[rows];
      Arrays.fill(v, Double.NaN);
      return ColumnData.Numbers.adopt(v);
    } else if (t instanceof ColumnType.Categorical || t instanceof ColumnType.Bool) {
      int[] c = new int[rows];
      Arrays.fill(c, -1);
      return ColumnData.Codes.adopt(c, List.of());
    }
    return ColumnData.Strings.adopt(out);
  }

  private static String identifier(ColumnType.Identifier id, long row, RandomSource rng) {
    String shape = id.shape();
    if (shape.equals("sequence")) {
      return Long.toString(id.start() + row);
    }
    if (shape.equals("uuid")) {
      long hi = (rng.nextLong() & ~0xF000L) | 0x4000L;
      long lo = (rng.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      return new java.util.UUID(hi, lo).toString();
    }
    StringBuilder sb = new StringBuilder(shape.length());
    for (int i = 0; i < shape.length(); i++) {
      char ch = shape.charAt(i);
      if (ch == 'A') {
        sb.append((char) ('A' + rng.nextInt(26)));
      } else if (ch == 'a') {
        sb.append((char) ('a' + rng.nextInt(26)));
      } else if (ch == '9') {
        sb.append((char) ('0' + rng.nextInt(10)));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  /**
   * An alias table over the fine levels of {@code m} for coarse weights {@code coarseW}: fine
   * level f gets {@code coarseW[coarse(f)] * P(f | coarse(f))}, so one look-up draws both.
   */
  private static Alias fineAlias(ColumnModel m, double[] coarseW) {
    double[] within = m.withinProb();
    double[] w = new double[m.fineCount()];
    for (int f = 0; f < w.length; f++) {
      w[f] = coarseW[m.coarseOf[f]] * within[f];
    }
    return Alias.of(w);
  }

  /** Sampling order and conditional tables for the tree rooted at one node. */
  private final class Plan {
    final int root;
    final int fixedCoarse;
    final int[] order;
    final int[] parent;
    final Alias rootAlias;
    final Alias[][] cpt;
    final Alias[][] cpt2;
    final int[] second;

    Plan(int root, int fixedCoarse) {
      int n = nodes.size();
      this.root = root;
      this.fixedCoarse = fixedCoarse;
      List<List<Edge>> adj = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        adj.add(new ArrayList<>());
      }
      for (Edge e : edges) {
        adj.get(e.a()).add(e);
        adj.get(e.b()).add(e);
      }
      parent = new int[n];
      Arrays.fill(parent, -2);
      parent[root] = -1;
      order = new int[n];
      cpt = new Alias[n][];
      int at = 0;
      ArrayDeque<Integer> queue = new ArrayDeque<>();
      queue.add(root);
      while (!queue.isEmpty()) {
        int u = queue.poll();
        order[at++] = u;
        for (Edge e : adj.get(u)) {
          int v = e.a() == u ? e.b() : e.a();
          if (parent[v] != -2) {
            continue;
          }
          parent[v] = u;
          cpt[v] = conditionals(e, u, v);
          queue.add(v);
        }
      }
      if (at != n) {
        throw new ModelFormatException("dp model: the edges do not connect all columns");
      }
      cpt2 = new Alias[n][];
      second = new int[n];
      Arrays.fill(second, -1);
      if (root == DpModel.this.root && fixedCoarse < 0) {
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) {
          pos[order[i]] = i;
        }
        for (Extra x : extras) {
          int v = x.child();
          if (parent[v] != x.p() || pos[x.q()] >= pos[v]) {
            throw new ModelFormatException("dp model: second parent of column " + v
                + " does not precede it in the tree order");
          }
          Alias[] t = new Alias[x.kp() * x.kq()];
          for (int s = 0; s < t.length; s++) {
            double[] w = Arrays.copyOfRange(x.cpt(), s * x.kv(), (s + 1) * x.kv());
            t[s] = fineAlias(nodes.get(v), w);
          }
          cpt2[v] = t;
          second[v] = x.q();
        }
      }
      rootAlias = fixedCoarse >= 0 ? null : fineAlias(nodes.get(root), nodes.get(root).coarseProb);
    }

    private Alias[] conditionals(Edge e, int par, int child) {
      int kp = nodes.get(par).coarseCount;
      int kc = nodes.get(child).coarseCount;
      Alias[] out = new Alias[kp];
      for (int pc = 0; pc < kp; pc++) {
        double[] w = new double[kc];
        double sum = 0;
        for (int cc = 0; cc < kc; cc++) {
          w[cc] = e.a() == par ? e.joint()[pc * e.kb() + cc] : e.joint()[cc * e.kb() + pc];
          sum += w[cc];
        }
        out[pc] = fineAlias(nodes.get(child), sum > 0 ? w : nodes.get(child).coarseProb);
      }
      return out;
    }
  }

  /** Rebalancing is not offered for DP models yet (it would need multi-column conditioning). */
  @Override
  public java.util.List<String> categories(String column) {
    throw new dev.ersatz.core.UserInputException("--rebalance is not supported by the dp "
        + "generator yet; use --where " + column + "=VALUE for one category at a time");
  }
}
