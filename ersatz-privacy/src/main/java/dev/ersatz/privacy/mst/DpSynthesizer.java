package dev.ersatz.privacy.mst;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.core.spi.Synthesizer;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.privacy.ExponentialMechanism;
import dev.ersatz.privacy.GaussianMechanism;
import dev.ersatz.privacy.PrivacyAccountant;
import dev.ersatz.privacy.Zcdp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code dp} generator: MST (McKenna, Miklau, Sheldon, "Winning the NIST Contest: A
 * scalable and general approach to differentially private synthetic data", JPC 2021) adapted
 * to mixed-type tables, with second parents as in PrivBayes (Zhang et al., TODS 2017), and
 * every data access through a zCDP mechanism of a {@link PrivacyAccountant}.
 *
 * <p>Steps (shares of the zCDP budget rho in brackets, normalised to their sum; neighbours
 * differ by adding or removing one row, so every histogram below has L2 sensitivity 1):
 * <ol>
 *   <li>[2] Gaussian noisy row count (only scales selection scores and cell caps).
 *   <li>[30, numeric columns weighted 3x] a Gaussian noisy 1-way histogram per column:
 *       numbers over a data-independent {@link Grid}, cut into bins of adaptive width by a
 *       dyadic decomposition of the noisy counts (post-processing); categories over the values
 *       present, releasing only those whose noisy count exceeds a threshold chosen so that a
 *       value held by one row is released with probability at most
 *       delta_sel / (categorical columns) (the stability-based histogram of Korolova et al.
 *       2009 / Wilson et al. 2020, which makes the whole fit delta_sel-approximate
 *       rho-zCDP; numbers without declared bounds may discover values too, see below).
 *       Missing values are a level of their own. Unreleased values are never
 *       emitted. Declared bounds and category lists skip the discovery. A numeric column
 *       without declared bounds is measured in two halves of its share: when the first shows
 *       mass (some dyadic block passes {@link #KEEP_SIGMAS}), the second is a fresh measurement
 *       of the same histogram, averaged with the first by inverse variance (distributed as one
 *       measurement with the whole share), or, when the first shows the whole body in at
 *       most {@link #REFINE_MAX_BUCKETS} buckets, a measurement of those buckets split finer
 *       ({@link #narrowBody}, {@link Grid#refine}), or, when the first shows a few values apart
 *       ({@link #fewValued}), the values many rows share, thresholded as categories are
 *       ({@link #spikes}); when it shows none (few rows spread thinly
 *       over the grid), the second half pays for an exponential-mechanism median over the grid
 *       (rank utility of sensitivity 1; Smith, "Privacy-preserving statistical estimation with
 *       optimal convergence rates", STOC 2011), and the range is built around it.
 *   <li>Post-processing: fine levels are grouped into at most 16 coarse levels (quantile
 *       groups of numbers; frequent categories alone, rare and unreleased together).
 *   <li>[6] tree selection as MST: Kruskal's algorithm where each of the d-1 edges is picked
 *       by the exponential mechanism (sensitivity 1) among pairs joining two components,
 *       scored by the L1 distance between the pair's true coarse 2-way counts and the
 *       independent estimate from step 2.
 *   <li>[40, split over the d-1 edges] Gaussian noisy 2-way coarse marginals of the edges.
 *   <li>Post-processing: each column's coarse 1-way is the inverse-variance average of its
 *       direct counts and its edge tables' margins; each edge table is clipped at 0 and fitted
 *       to both margins by iterative proportional fitting.
 *   <li>[6 and 27, split over the eligible columns] second parents: for each column after the
 *       first two in tree order, a candidate among the earlier columns is picked by the
 *       exponential mechanism (L1 distance between true 3-way counts and the tree's
 *       prediction), and that 3-way marginal is measured with Gaussian noise; the conditional
 *       is shrunk towards the tree's and fitted back to the tree's margins.
 * </ol>
 * The zCDP total converts to (epsilon, delta - delta_sel) by {@link Zcdp#rho} (Canonne, Kamath,
 * Steinke 2020); delta_sel is delta / 10 when some categorical column has no declared
 * categories, plus delta / 10 when some number has no declared bounds (it may release values,
 * see {@link #spikes}), each tenth split evenly over those columns.
 * The noise is seeded from {@link java.security.SecureRandom} unless {@link
 * DpConfig#reproducibleNoise()} is set (which marks the model as not DP).
 */
public final class DpSynthesizer implements Synthesizer {
  static final double SHARE_COUNT = 0.02;
  static final double SHARE_ONE_WAY = 0.30;
  static final double SHARE_SELECT = 0.06;
  static final double SHARE_TWO_WAY = 0.40;
  static final double SHARE_SELECT_SECOND = 0.06;
  static final double SHARE_THREE_WAY = 0.27;
  static final double KEEP_SIGMAS = 5.0;
  static final double CHILD_SIGMAS = 4.0;
  static final int TOP = 1024;
  /**
   * A numeric column whose undeclared body lies in at most this many grid buckets has the second
   * part of its histogram measured on those buckets split in {@link #REFINE_PARTS}
   * ({@link #narrowBody}).
   */
  static final int REFINE_MAX_BUCKETS = 4;
  /** Share of a column's values its narrow body must hold to be measured on a finer grid. */
  static final double REFINE_BODY_SHARE = 0.9;
  /** Parts each body bucket is split in (integers: at most one per whole number). */
  static final int REFINE_PARTS = 64;
  /** {@link #massEnd} cuts only when the posterior of "no cut" is below this. */
  static final double MASS_END_KEEP = 0.3;
  static final double SIDE_SIGMAS = 2.0;
  /** A window beyond the outermost bins becomes a bin when its noisy sum exceeds this. */
  static final double TAIL_SIGMAS = 3.5;
  /**
   * Without public bounds, a tail found beyond the body (the bins kept before the outward walk)
   * may reach at most this many times the body's value span past it, and an outermost bin at
   * most this many times the span of the other bins past its inner edge.
   */
  static final double REACH_SPANS = 4.0;
  /** ... but always at least this many grid buckets (two octaves on the log grids). */
  static final int REACH_MIN_BUCKETS = 32;
  /**
   * An outermost bin wholly beyond that reach stays only when its noisy sum exceeds this many
   * deviations: the root search tests about 4,000 blocks per column at KEEP_SIGMAS, so pure
   * noise makes a root about once per 1,000 columns; at 8 deviations, never in practice.
   */
  static final double ISOLATED_SIGMAS = 8.0;
  /**
   * ... or, for a bin of at most {@link #SPIKE_BUCKETS} grid buckets, this many: pure noise
   * passes 6 deviations with probability 1e-9 per block, about once in 250,000 columns over
   * the root search's blocks, and a bin that narrow cannot stretch the range beyond where the
   * rows behind it are. A sentinel or cap value held by a few hundred rows (census's capital
   * gain of 99,999, 193 rows against a noise deviation of 26 at epsilon 1) passes here where
   * it would fail 8 deviations one time in two.
   */
  static final double SPIKE_SIGMAS = 6.0;
  /** The widest bin, in grid buckets, that {@link #SPIKE_SIGMAS} applies to. */
  static final int SPIKE_BUCKETS = 2;
  /**
   * A histogram bin that holds released spikes keeps mass beyond them only when its noisy count
   * exceeds theirs by this many deviations of the difference.
   */
  static final double REST_SIGMAS = 2.0;
  /** Share of the wide bins' mass that must lie in bins apart for {@link #fewValued}. */
  static final double SPIKE_SHARE = 0.5;
  /**
   * Share of an undeclared numeric column's 1-way budget held back from the first histogram
   * measurement: a second measurement when the first shows mass, else the median fallback.
   */
  static final double MEDIAN_SHARE = 0.5;
  /**
   * Largest value of the bound {@code m exp(-epsilon target / 2)} on the median's chance of
   * landing outside the data for it to be run ({@link #medianFeasible}). The bound leaves out
   * the weight of the buckets around the median, which is large where the median is needed
   * (rows spread thinly): on berka loan's dates it reads 0.27 where the mechanism gives 0.011.
   * At 0.05 it emptied that column in one fit of six; 1 still refuses the median on
   * breast_cancer's 30 columns at 569 rows (bound 27) and on diabetes' (8.3).
   */
  static final double MEDIAN_ALPHA = 1;
  /** The median marker of a column whose range comes from its histogram's roots. */
  static final int NO_MEDIAN = -1;
  /** The median marker of a column that emits no values. */
  static final int NO_RANGE = -2;
  /**
   * Widest half-window, in buckets, searched for the middle half around a released median
   * (except on a grid that is its type's whole domain, searched whole).
   */
  static final int MEDIAN_MAX_HALF = 64;
  /** Half-window used when no window up to {@link #MEDIAN_MAX_HALF} holds half the rows. */
  static final int MEDIAN_DEFAULT_HALF = 16;
  /** Bins of a range built around a released median. */
  static final int MEDIAN_BINS = 8;
  /** Missing values are emitted only when their noisy count exceeds this many sigma. */
  static final double MISSING_SIGMAS = 4.0;
  /** Weight of a numeric column's 1-way histogram relative to a categorical one's. */
  static final double NUMERIC_WEIGHT = 3;
  static final int MAX_COARSE = 16;
  /** A 3-way table may have at most nHat / (CELL_SIGMAS sigma) cells. */
  static final double CELL_SIGMAS = 1;

  private static final java.security.SecureRandom SECURE = new java.security.SecureRandom();

  private final DpConfig config;

  private DpSynthesizer(DpConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** A configured generator. */
  public static DpSynthesizer of(DpConfig config) {
    return new DpSynthesizer(config);
  }

  public DpConfig config() {
    return config;
  }

  @Override
  public String name() {
    return DpSynthesizerProvider.NAME;
  }

  @Override
  public FittedModel fit(Table real, FitContext ctx) {
    Schema schema = real.schema();
    int n = real.rowCount();
    if (n == 0) {
      throw new UserInputException("dp: the training table has no rows; give a table with data");
    }
    for (String c : config.bounds().keySet()) {
      int i = schema.require(c, "dp option bounds." + c);
      if (!schema.column(i).isContinuous()) {
        throw new UserInputException("dp: bounds." + c + " is for numeric or datetime columns but '"
            + c + "' is " + schema.column(i).type().kind());
      }
    }
    for (String c : config.categories().keySet()) {
      int i = schema.require(c, "dp option categories." + c);
      if (!(schema.column(i).type() instanceof ColumnType.Categorical)) {
        throw new UserInputException("dp: categories." + c + " is for categorical columns but '"
            + c + "' is " + schema.column(i).type().kind());
      }
    }
    for (String c : config.calendars().keySet()) {
      int i = schema.require(c, "dp option calendar." + c);
      if (!(schema.column(i).type() instanceof ColumnType.Datetime dt && dt.dateOnly())) {
        throw new UserInputException("dp: calendar." + c + " is for date columns (days, no time"
            + " of day) but '" + c + "' is " + schema.column(i).type().kind());
      }
    }
    List<Integer> learned = new ArrayList<>();
    int discovered = 0;
    int spiky = 0;
    for (int i = 0; i < schema.size(); i++) {
      ColumnType t = schema.column(i).type();
      if (t.modelled()) {
        learned.add(i);
        if (t instanceof ColumnType.Categorical
            && !config.categories().containsKey(schema.column(i).name())) {
          discovered++;
        } else if (t instanceof ColumnType.Numeric
            && !config.bounds().containsKey(schema.column(i).name())) {
          // may release the values many of its rows share (spikes), thresholded likewise
          spiky++;
        }
      }
    }
    // a tenth of delta for the categories' thresholds, another for the numbers' values
    double deltaCategories = discovered > 0 ? config.delta() / 10 : 0;
    double deltaValues = spiky > 0 ? config.delta() / 10 : 0;
    double deltaSel = deltaCategories + deltaValues;
    double deltaConv = config.delta() - deltaSel;
    double rho = Zcdp.rho(config.epsilon(), deltaConv);
    PrivacyAccountant acct = PrivacyAccountant.ofRho(rho);
    // The noise must stay secret: by default it comes from fresh operating-system entropy, not
    // from the fit seed (which the model file records). Sampling stays reproducible.
    long noiseSeed = config.reproducibleNoise() ? ctx.seed() : SECURE.nextLong();
    RandomSource rng = RandomSource.of(noiseSeed).split("dp-fit");
    int d = learned.size();

    double shareOne = SHARE_ONE_WAY;
    double shareSel = d >= 3 ? SHARE_SELECT : 0;
    double shareTwo = d >= 2 ? SHARE_TWO_WAY : 0;
    double shareSel2 = d >= 3 ? SHARE_SELECT_SECOND : 0;
    double shareThree = d >= 3 ? SHARE_THREE_WAY : 0;
    double scale = 1.0 / (SHARE_COUNT + shareOne + shareSel + shareTwo + shareSel2 + shareThree);
    // Shares of the second-parent steps are split over the d-2 non-root columns that can have
    // one (every column but the root and its first child in the tree order).
    double rhoSel2 = d >= 3 ? rho * shareSel2 * scale / (d - 2) : 0;
    double rhoThree = d >= 3 ? rho * shareThree * scale / (d - 2) : 0;
    double rhoCount = rho * SHARE_COUNT * scale;
    double weights = 0;
    for (int col : learned) {
      weights += schema.column(col).isContinuous() ? NUMERIC_WEIGHT : 1;
    }
    double rhoOneUnit = d == 0 ? 0 : rho * shareOne * scale / weights;
    double rhoSel = d >= 3 ? rho * shareSel * scale / (d - 1) : 0;
    double rhoTwo = d >= 2 ? rho * shareTwo * scale / (d - 1) : 0;
    double sigmaTwo = d >= 2 ? 1 / Math.sqrt(2 * rhoTwo) : Double.NaN;

    ctx.progress().update("dp: 1-way", 0, d);
    double nHat = Math.max(1, acct.gaussian(rhoCount, 1, "row count").release(n, rng));

    List<ColumnModel> prelim = new ArrayList<>();
    List<int[]> coarseData = new ArrayList<>();
    List<Prep> preps = new ArrayList<>();
    for (int k = 0; k < d; k++) {
      int col = learned.get(k);
      Column c = schema.column(col);
      double rhoOne = rhoOneUnit * (c.isContinuous() ? NUMERIC_WEIGHT : 1);
      // each column's noise from a stream of its own: how one column is measured does not move
      // the noise of the others
      RandomSource colRng = rng.split(col);
      Prep p;
      if (c.isContinuous()) {
        p = numeric(col, c, (ColumnData.Numbers) real.column(col), acct, rhoOne,
            deltaValues / Math.max(1, spiky), nHat, sigmaTwo, colRng);
      } else {
        GaussianMechanism g = acct.gaussian(rhoOne, 1, "1-way histogram of " + c.name());
        p = categorical(col, c, (ColumnData.Codes) real.column(col), g,
            deltaCategories / discovered, nHat, sigmaTwo, colRng);
      }
      prelim.add(p.model);
      coarseData.add(p.coarse);
      preps.add(p);
      ctx.progress().update("dp: 1-way", k + 1, d);
    }

    // All pairwise coarse contingency tables (used only inside mechanisms below).
    List<int[]> pairs = new ArrayList<>();
    Map<Long, long[]> tables = new HashMap<>();
    for (int a = 0; a < d; a++) {
      for (int b = a + 1; b < d; b++) {
        pairs.add(new int[] {a, b});
      }
    }
    List<int[]> tree = new ArrayList<>();
    if (d == 2) {
      tree.add(new int[] {0, 1});
    } else if (d >= 3) {
      for (int[] pr : pairs) {
        tables.put(key(pr[0], pr[1]), counts(coarseData.get(pr[0]), coarseData.get(pr[1]),
            prelim.get(pr[1]).coarseCount, prelim.get(pr[0]).coarseCount
                * prelim.get(pr[1]).coarseCount));
      }
      tree = selectTree(prelim, pairs, tables, nHat, rhoSel, acct, rng);
    }

    ctx.progress().update("dp: 2-way", 0, tree.size());
    List<double[]> noisy = new ArrayList<>();
    for (int[] e : tree) {
      int a = e[0];
      int b = e[1];
      long[] t = tables.get(key(a, b));
      if (t == null) {
        t = counts(coarseData.get(a), coarseData.get(b), prelim.get(b).coarseCount,
            prelim.get(a).coarseCount * prelim.get(b).coarseCount);
      }
      GaussianMechanism g = acct.gaussian(rhoTwo, 1, "2-way marginal "
          + schema.column(learned.get(a)).name() + " x " + schema.column(learned.get(b)).name());
      double[] x = new double[t.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = t[i];
      }
      noisy.add(g.release(x, rng));
    }
    ctx.progress().update("dp: 2-way", tree.size(), tree.size());

    // Post-processing: consistent coarse 1-ways, then edge tables fitted to them.
    List<ColumnModel> nodes = new ArrayList<>();
    List<DpModel.Edge> edges = new ArrayList<>();
    for (int k = 0; k < d; k++) {
      ColumnModel m = prelim.get(k);
      // Inverse-variance average, level by level, of the estimates of this column's coarse
      // counts: each incident edge table's margin (variance: partner levels x sigma2^2) and,
      // where unbiased, the direct 1-way sum (variance: fine levels in the group x sigma1^2).
      double[] num = new double[m.coarseCount];
      double[] den = new double[m.coarseCount];
      Prep pk = preps.get(k);
      for (int i = 0; i < num.length; i++) {
        if (!Double.isNaN(pk.direct[i])) {
          double w = 1.0 / pk.directVar[i];
          num[i] += w * pk.direct[i];
          den[i] += w;
        }
      }
      for (int j = 0; j < tree.size(); j++) {
        int[] e = tree.get(j);
        if (e[0] != k && e[1] != k) {
          continue;
        }
        int other = e[0] == k ? e[1] : e[0];
        int ko = prelim.get(other).coarseCount;
        double w = 1.0 / (ko * sigmaTwo * sigmaTwo);
        double[] mg = margin(noisy.get(j), prelim.get(e[0]).coarseCount,
            prelim.get(e[1]).coarseCount, e[0] == k);
        for (int i = 0; i < num.length; i++) {
          num[i] += w * mg[i];
          den[i] += w;
        }
      }
      double[] prob = new double[m.coarseCount];
      double[] fineMass = new double[m.coarseCount];
      for (int f = 0; f < m.fineCount(); f++) {
        fineMass[m.coarseOf[f]] += m.fineProb[f];
      }
      for (int i = 0; i < num.length; i++) {
        // A coarse level with no released fine mass (e.g. missing in a column the 1-way
        // showed no missing values for) is never drawn.
        prob[i] = fineMass[i] <= 0 ? 0 : den[i] > 0 ? Math.max(0, num[i] / den[i])
            : m.coarseProb[i];
      }
      normalize(prob);
      ColumnModel node = m.withCoarseProb(prob);
      String declared = config.calendars().get(schema.column(m.column).name());
      if (declared != null) {
        int[] cal = DpConfig.calendarOf(schema.column(m.column).name(), declared);
        node = node.withCalendar(cal[0], cal[1]);
      }
      nodes.add(node);
    }
    for (int j = 0; j < tree.size(); j++) {
      int a = tree.get(j)[0];
      int b = tree.get(j)[1];
      double[] joint = ipf(noisy.get(j), nodes.get(a).coarseProb, nodes.get(b).coarseProb);
      edges.add(new DpModel.Edge(a, b, nodes.get(a).coarseCount, nodes.get(b).coarseCount,
          joint));
    }
    int root = 0;
    int[] degree = new int[d];
    for (int[] e : tree) {
      degree[e[0]]++;
      degree[e[1]]++;
    }
    for (int k = 1; k < d; k++) {
      if (degree[k] > degree[root]) {
        root = k;
      }
    }

    List<DpModel.Extra> extras = d >= 3 && rhoThree > 0
        ? secondParents(nodes, edges, root, coarseData, nHat, rhoSel2, rhoThree, acct, rng,
            schema)
        : List.of();

    Map<String, Object> privacy = new LinkedHashMap<>();
    privacy.put("dp", !config.reproducibleNoise());
    privacy.put("noise", config.reproducibleNoise()
        ? "derived from the recorded fit seed: NOT differentially private"
        : "fresh operating-system entropy (java.security.SecureRandom seed)");
    privacy.put("epsilon", config.epsilon());
    privacy.put("delta", config.delta());
    privacy.put("rho", rho);
    privacy.put("rhoSpent", acct.spentRho());
    privacy.put("deltaConversion", deltaConv);
    privacy.put("deltaCategoryDiscovery", deltaCategories);
    privacy.put("deltaValueDiscovery", deltaValues);
    privacy.put("accounting", "zCDP");
    privacy.put("conversion", "Canonne-Kamath-Steinke 2020, Prop. 12");
    privacy.put("mechanism", "gaussian (counts and marginals), exponential (tree selection)");
    privacy.put("neighbouring", "add or remove one row");
    privacy.put("measurements", acct.spends().size());
    privacy.put("algorithm", "MST (McKenna, Miklau, Sheldon 2021)");
    ModelProvenance prov = ModelProvenance.now(name(), config.toJson(), ctx.source(),
        ctx.seed(), privacy);
    return new DpModel(schema, prov, nodes, edges, extras, root);
  }

  /**
   * Gives each column after the first two in the tree's order a second parent among the
   * columns before it, as in PrivBayes (Zhang et al., "PrivBayes: Private Data Release via
   * Bayesian Networks", TODS 2017) but on top of MST's tree: the candidate is picked by the
   * exponential mechanism (sensitivity 1) scored by the L1 distance between the true 3-way
   * counts (child, tree parent, candidate) and what the tree alone predicts for them; then
   * that 3-way table is measured with Gaussian noise. The child's conditional is the noisy
   * table shrunk towards the tree's conditional (post-processing). Candidates whose table
   * would exceed {@code nHat / (2 sigma)} cells are skipped; a column left with no candidate
   * spends nothing.
   */
  private static List<DpModel.Extra> secondParents(List<ColumnModel> nodes,
      List<DpModel.Edge> edges, int root, List<int[]> coarseData, double nHat, double rhoSel,
      double rhoThree, PrivacyAccountant acct, RandomSource rng, Schema schema) {
    int d = nodes.size();
    int[] k = new int[d];
    for (int i = 0; i < d; i++) {
      k[i] = nodes.get(i).coarseCount;
    }
    // Tree order and parents exactly as DpModel's plan computes them.
    List<List<DpModel.Edge>> adj = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      adj.add(new ArrayList<>());
    }
    for (DpModel.Edge e : edges) {
      adj.get(e.a()).add(e);
      adj.get(e.b()).add(e);
    }
    int[] parent = new int[d];
    Arrays.fill(parent, -2);
    parent[root] = -1;
    int[] order = new int[d];
    int at = 0;
    java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
    queue.add(root);
    while (!queue.isEmpty()) {
      int u = queue.poll();
      order[at++] = u;
      for (DpModel.Edge e : adj.get(u)) {
        int v = e.a() == u ? e.b() : e.a();
        if (parent[v] == -2) {
          parent[v] = u;
          queue.add(v);
        }
      }
    }
    double[][][] pair = treeJoints(nodes, adj, k);
    // The cell cap uses the noise of the smallest share (all d-2 columns eligible); the
    // budget is then split over the columns that do have a candidate (a choice made from
    // released values only), so none is wasted.
    double sigma3 = 1 / Math.sqrt(2 * rhoThree);
    double maxCells = Math.max(64, nHat / (CELL_SIGMAS * sigma3));
    List<List<Integer>> cands = new ArrayList<>();
    int eligible = 0;
    for (int i = 2; i < d; i++) {
      int v = order[i];
      List<Integer> cand = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        int q = order[j];
        if (q != parent[v] && (double) k[v] * k[parent[v]] * k[q] <= maxCells) {
          cand.add(q);
        }
      }
      cands.add(cand);
      eligible += cand.isEmpty() ? 0 : 1;
    }
    if (eligible == 0) {
      return List.of();
    }
    double rhoSelEach = rhoSel * (d - 2) / eligible;
    double rhoThreeEach = rhoThree * (d - 2) / eligible;
    List<DpModel.Extra> out = new ArrayList<>();
    for (int i = 2; i < d; i++) {
      int v = order[i];
      int p = parent[v];
      List<Integer> cand = cands.get(i - 2);
      if (cand.isEmpty()) {
        continue;
      }
      // P(v | p) from the consistent edge table.
      double[] condVp = new double[k[p] * k[v]];
      double[] jpv = pair[p][v];
      for (int a = 0; a < k[p]; a++) {
        double row = 0;
        for (int b = 0; b < k[v]; b++) {
          row += jpv[a * k[v] + b];
        }
        for (int b = 0; b < k[v]; b++) {
          condVp[a * k[v] + b] = row > 0 ? jpv[a * k[v] + b] / row : 1.0 / k[v];
        }
      }
      int[] xv = coarseData.get(v);
      int[] xp = coarseData.get(p);
      double[] scores = new double[cand.size()];
      List<double[]> counts = new ArrayList<>();
      for (int c = 0; c < cand.size(); c++) {
        int q = cand.get(c);
        int[] xq = coarseData.get(q);
        double[] t = new double[k[p] * k[q] * k[v]];
        for (int r = 0; r < xv.length; r++) {
          t[(xp[r] * k[q] + xq[r]) * k[v] + xv[r]]++;
        }
        double[] jpq = pair[p][q];
        double sc = 0;
        for (int a = 0; a < k[p]; a++) {
          for (int b = 0; b < k[q]; b++) {
            double base = nHat * jpq[a * k[q] + b];
            for (int x = 0; x < k[v]; x++) {
              sc += Math.abs(t[(a * k[q] + b) * k[v] + x] - base * condVp[a * k[v] + x]);
            }
          }
        }
        scores[c] = sc;
        counts.add(t);
      }
      String name = schema.column(nodes.get(v).column).name();
      int pick = acct.exponential(rhoSelEach, 1, "second parent of " + name)
          .select(scores, rng);
      int q = cand.get(pick);
      GaussianMechanism g = acct.gaussian(rhoThreeEach, 1, "3-way marginal of " + name + " with "
          + "its parents");
      double[] noisy = g.release(counts.get(pick), rng);
      // Shrink each (p, q) slice towards the tree's P(v | p) with the weight of m rows.
      double m = k[v] * g.sigma() / 2;
      double[] cpt = new double[noisy.length];
      for (int a = 0; a < k[p]; a++) {
        for (int b = 0; b < k[q]; b++) {
          int base = (a * k[q] + b) * k[v];
          double sum = 0;
          for (int x = 0; x < k[v]; x++) {
            double prior = condVp[a * k[v] + x];
            cpt[base + x] = prior <= 0 ? 0 : Math.max(0, noisy[base + x]) + m * prior;
            sum += cpt[base + x];
          }
          for (int x = 0; x < k[v]; x++) {
            cpt[base + x] = sum > 0 ? cpt[base + x] / sum : condVp[a * k[v] + x];
          }
        }
      }
      // Keep the tree's margins: fit the implied joint P(p, q) cpt(v | p, q) to the tree's
      // P(p, q) and P(p, v) by iterative proportional fitting, so the extra parent adds
      // dependence without shifting the child's distribution.
      double[] jpq = pair[p][q];
      double[] joint = new double[cpt.length];
      for (int a = 0; a < k[p]; a++) {
        for (int b = 0; b < k[q]; b++) {
          for (int x = 0; x < k[v]; x++) {
            int cell = (a * k[q] + b) * k[v] + x;
            joint[cell] = jpq[a * k[q] + b] * cpt[cell];
          }
        }
      }
      for (int it = 0; it < 30; it++) {
        for (int a = 0; a < k[p]; a++) {
          for (int x = 0; x < k[v]; x++) {
            double sum = 0;
            for (int b = 0; b < k[q]; b++) {
              sum += joint[(a * k[q] + b) * k[v] + x];
            }
            double f = sum > 0 ? jpv[a * k[v] + x] / sum : 0;
            for (int b = 0; b < k[q]; b++) {
              joint[(a * k[q] + b) * k[v] + x] *= f;
            }
          }
        }
        for (int ab = 0; ab < k[p] * k[q]; ab++) {
          double sum = 0;
          for (int x = 0; x < k[v]; x++) {
            sum += joint[ab * k[v] + x];
          }
          double f = sum > 0 ? jpq[ab] / sum : 0;
          for (int x = 0; x < k[v]; x++) {
            joint[ab * k[v] + x] *= f;
          }
        }
      }
      for (int a = 0; a < k[p]; a++) {
        for (int b = 0; b < k[q]; b++) {
          int base = (a * k[q] + b) * k[v];
          double sum = 0;
          for (int x = 0; x < k[v]; x++) {
            sum += joint[base + x];
          }
          for (int x = 0; x < k[v]; x++) {
            cpt[base + x] = sum > 0 ? joint[base + x] / sum : condVp[a * k[v] + x];
          }
        }
      }
      out.add(new DpModel.Extra(v, p, q, k[v], k[p], k[q], cpt));
    }
    return out;
  }

  /** Joint distributions of every pair of columns implied by the tree, {@code [a][b][ia*kb+ib]}. */
  private static double[][][] treeJoints(List<ColumnModel> nodes,
      List<List<DpModel.Edge>> adj, int[] k) {
    int d = nodes.size();
    double[][][] out = new double[d][d][];
    for (int s = 0; s < d; s++) {
      double[] ps = nodes.get(s).coarseProb;
      double[] self = new double[k[s] * k[s]];
      for (int i = 0; i < k[s]; i++) {
        self[i * k[s] + i] = ps[i];
      }
      out[s][s] = self;
      java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
      queue.add(s);
      while (!queue.isEmpty()) {
        int u = queue.poll();
        for (DpModel.Edge e : adj.get(u)) {
          int w = e.a() == u ? e.b() : e.a();
          if (out[s][w] != null) {
            continue;
          }
          // P(s, w) = sum_u P(s, u) P(w | u)
          double[] condWu = new double[k[u] * k[w]];
          for (int a = 0; a < k[u]; a++) {
            double row = 0;
            for (int b = 0; b < k[w]; b++) {
              row += e.a() == u ? e.joint()[a * e.kb() + b] : e.joint()[b * e.kb() + a];
            }
            for (int b = 0; b < k[w]; b++) {
              double j = e.a() == u ? e.joint()[a * e.kb() + b] : e.joint()[b * e.kb() + a];
              condWu[a * k[w] + b] = row > 0 ? j / row : 0;
            }
          }
          double[] su = out[s][u];
          double[] sw = new double[k[s] * k[w]];
          for (int i = 0; i < k[s]; i++) {
            for (int a = 0; a < k[u]; a++) {
              double x = su[i * k[u] + a];
              if (x == 0) {
                continue;
              }
              for (int b = 0; b < k[w]; b++) {
                sw[i * k[w] + b] += x * condWu[a * k[w] + b];
              }
            }
          }
          out[s][w] = sw;
          queue.add(w);
        }
      }
    }
    return out;
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | b;
  }

  private static long[] counts(int[] x, int[] y, int ky, int cells) {
    long[] t = new long[cells];
    for (int r = 0; r < x.length; r++) {
      t[x[r] * ky + y[r]]++;
    }
    return t;
  }

  /** MST's selection (McKenna et al. 2021, Alg. 2): Kruskal with exponential-mechanism picks. */
  private static List<int[]> selectTree(List<ColumnModel> prelim, List<int[]> pairs,
      Map<Long, long[]> tables, double nHat, double rhoRound, PrivacyAccountant acct,
      RandomSource rng) {
    int d = prelim.size();
    double[] score = new double[pairs.size()];
    for (int p = 0; p < pairs.size(); p++) {
      int a = pairs.get(p)[0];
      int b = pairs.get(p)[1];
      double[] pa = prelim.get(a).coarseProb;
      double[] pb = prelim.get(b).coarseProb;
      long[] t = tables.get(key(a, b));
      double s = 0;
      for (int i = 0; i < pa.length; i++) {
        for (int j = 0; j < pb.length; j++) {
          s += Math.abs(t[i * pb.length + j] - nHat * pa[i] * pb[j]);
        }
      }
      score[p] = s;
    }
    int[] comp = new int[d];
    for (int k = 0; k < d; k++) {
      comp[k] = k;
    }
    List<int[]> tree = new ArrayList<>();
    for (int round = 0; round < d - 1; round++) {
      List<Integer> cand = new ArrayList<>();
      for (int p = 0; p < pairs.size(); p++) {
        if (find(comp, pairs.get(p)[0]) != find(comp, pairs.get(p)[1])) {
          cand.add(p);
        }
      }
      double[] s = new double[cand.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = score[cand.get(i)];
      }
      ExponentialMechanism em = acct.exponential(rhoRound, 1, "tree edge " + (round + 1));
      int[] chosen = pairs.get(cand.get(em.select(s, rng)));
      tree.add(chosen);
      comp[find(comp, chosen[0])] = find(comp, chosen[1]);
    }
    return tree;
  }

  private static int find(int[] comp, int x) {
    while (comp[x] != x) {
      comp[x] = comp[comp[x]];
      x = comp[x];
    }
    return x;
  }

  private static double[] margin(double[] t, int ka, int kb, boolean rows) {
    double[] m = new double[rows ? ka : kb];
    for (int i = 0; i < ka; i++) {
      for (int j = 0; j < kb; j++) {
        m[rows ? i : j] += t[i * kb + j];
      }
    }
    return m;
  }

  private static void normalize(double[] p) {
    double s = 0;
    for (double x : p) {
      s += x;
    }
    if (s <= 0) {
      Arrays.fill(p, 1.0 / p.length);
      return;
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= s;
    }
  }

  /** Clips a noisy table at 0 and fits it to both margins (iterative proportional fitting). */
  static double[] ipf(double[] noisy, double[] ra, double[] rb) {
    int ka = ra.length;
    int kb = rb.length;
    double[] t = new double[noisy.length];
    double total = 0;
    for (double x : noisy) {
      total += Math.max(0, x);
    }
    double floor = 1e-9 * Math.max(total, 1);
    for (int i = 0; i < ka; i++) {
      for (int j = 0; j < kb; j++) {
        t[i * kb + j] = Math.max(0, noisy[i * kb + j]) / Math.max(total, 1)
            + floor * ra[i] * rb[j];
      }
    }
    for (int it = 0; it < 50; it++) {
      for (int i = 0; i < ka; i++) {
        double s = 0;
        for (int j = 0; j < kb; j++) {
          s += t[i * kb + j];
        }
        double f = s > 0 ? ra[i] / s : 0;
        for (int j = 0; j < kb; j++) {
          t[i * kb + j] *= f;
        }
      }
      for (int j = 0; j < kb; j++) {
        double s = 0;
        for (int i = 0; i < ka; i++) {
          s += t[i * kb + j];
        }
        double f = s > 0 ? rb[j] / s : 0;
        for (int i = 0; i < ka; i++) {
          t[i * kb + j] *= f;
        }
      }
    }
    normalize(t);
    return t;
  }

  /** A preliminary column model and the coarse level of every real row (fit-time only). */
  /**
   * A preliminary column model, the coarse level of every real row (fit-time only), and the
   * direct noisy count of each coarse level with its variance (NaN where the sum of released
   * fine counts would be biased).
   */
  private record Prep(ColumnModel model, int[] coarse, double[] direct, double[] directVar) {}

  private Prep numeric(int col, Column c, ColumnData.Numbers data, PrivacyAccountant acct,
      double rhoOne, double deltaPerColumn, double nHat, double sigmaTwo, RandomSource rng) {
    boolean bounded = config.bounds().containsKey(c.name());
    Grid grid = Grid.forType(c.type(), config.bounds().get(c.name()));
    int m = grid.size();
    int n = data.size();
    int[] bucket = new int[n];
    double[] counts = new double[m + 1];
    for (int r = 0; r < n; r++) {
      double v = data.get(r);
      bucket[r] = Double.isNaN(v) ? m : grid.bucket(v);
      counts[bucket[r]]++;
    }
    String what = "1-way histogram of " + c.name();
    double[] noisy;
    double sigma;
    int median = NO_MEDIAN;
    // the first part's body on the finer grid, when the second part was measured on one
    int[] refinedBody = null;
    // the body's coarse buckets that the first part shows, on the finer grid, and what each
    // fine count moves by once the bins are cut
    List<int[]> bodyRoots = null;
    double[] bodyMove = null;
    // values many rows share, released by the second part ({values, noisy counts}), and that
    // part's noise deviation
    double[][] spikes = null;
    double spikeSigma = 0;
    // Without public bounds the histogram is measured in two parts. When the first shows mass
    // somewhere, the second is a fresh measurement of the same counts, and the two averaged by
    // inverse variance are distributed as one measurement with the whole share. When it shows
    // none (a small table whose rows spread thinly over the grid), the second part goes to an
    // exponential-mechanism median instead, which sees every row at once where each bucket
    // sees a few; the range is then built around it (medianLeaves). When even a median could
    // not be placed with this budget (decided from public quantities and the noisy row count,
    // before this column's data is touched), the whole share goes to one measurement, and a
    // column that shows nothing in it has no credible range.
    boolean medianPossible = medianFeasible(rhoOne * MEDIAN_SHARE, nHat / 2, m);
    if (bounded || !medianPossible) {
      GaussianMechanism g = acct.gaussian(rhoOne, 1, what);
      noisy = g.release(counts, rng);
      sigma = g.sigma();
      if (!bounded && !hasRoot(noisy, m, sigma)) {
        // nothing above the noise and too little budget for a median: no credible range
        median = NO_RANGE;
      }
    } else {
      GaussianMechanism g1 = acct.gaussian(rhoOne * (1 - MEDIAN_SHARE), 1, what);
      double[] first = g1.release(counts, rng);
      boolean shows = hasRoot(first, m, g1.sigma());
      int[] body = shows && c.type() instanceof ColumnType.Numeric num
          ? narrowBody(first, m, g1.sigma(), grid, nHat - Math.max(0, first[m]), unit(num))
          : null;
      if (body != null) {
        // The first part puts nearly every value in a few buckets of the grid (a year such as
        // 2006-2010, a longitude of -93.69 to -93.58: one 4.4%-wide bucket of the log grid). The
        // second part measures those buckets split finely instead of the same counts again: the
        // partition is chosen from the first part's noisy counts only (post-processing), each
        // row still falls in one cell, so the sensitivity stays 1 and the charge is the same.
        int before = m;
        Grid coarse = grid;
        grid = grid.refine(body[0], body[1], REFINE_PARTS);
        m = grid.size();
        refinedBody = new int[] {body[0], body[1] + m - before};
        counts = new double[m + 1];
        for (int r = 0; r < n; r++) {
          double v = data.get(r);
          bucket[r] = Double.isNaN(v) ? m : grid.bucket(v);
          counts[bucket[r]]++;
        }
        GaussianMechanism g2 = acct.gaussian(rhoOne * MEDIAN_SHARE, 1,
            what + " (second part, on a finer grid)");
        double[] second = g2.release(counts, rng);
        // Both parts have the same share, so the same deviation: the body's buckets are the
        // second part's fine counts, every other bucket is the first part's, and the missing
        // count, measured by both, is their mean (its deviation taken as one part's, which errs
        // on the safe side).
        int shift = m - before;
        noisy = new double[m + 1];
        for (int t = 0; t < m; t++) {
          noisy[t] = t < body[0] ? first[t]
              : t < refinedBody[1] ? second[t] : first[t - shift];
        }
        noisy[m] = (first[before] + second[m]) / 2;
        sigma = Math.max(g1.sigma(), g2.sigma());
        // Each coarse bucket of the body was measured twice: directly by the first part and as
        // the sum of its fine buckets by the second, k times noisier. Each bucket the first
        // part shows (above SIDE_SIGMAS) is a root of its own on the finer grid, so that the
        // split of a body of several buckets does not rest on halves of the fine counts alone
        // (ames' years built: 1,041 rows in [1879, 1962) and 1,887 in [1962, 2048), and a
        // half of 64 fine buckets carries 8 times one bucket's noise). Once the bins are cut,
        // the fine counts move by one constant per coarse bucket so that they sum to the two
        // totals' inverse-variance mean (the least-squares fit of both measurements).
        bodyRoots = new ArrayList<>();
        bodyMove = new double[m];
        for (int t = body[0]; t < body[1]; t++) {
          int f0 = grid.bucket(coarse.lo(t));
          int f1 = t + 1 < body[1] ? grid.bucket(coarse.lo(t + 1)) : refinedBody[1];
          int k = f1 - f0;
          double sum = 0;
          for (int f = f0; f < f1; f++) {
            sum += noisy[f];
          }
          double move = ((k * first[t] + sum) / (k + 1) - sum) / k;
          for (int f = f0; f < f1; f++) {
            bodyMove[f] = move;
          }
          if (first[t] > SIDE_SIGMAS * g1.sigma()) {
            bodyRoots.add(new int[] {f0, f1});
          }
        }
        if (bodyRoots.isEmpty()) {
          // no bucket stands out alone (the body's mass is spread over them): one root, as found
          bodyRoots.add(refinedBody.clone());
        }
      } else if (shows && c.type() instanceof ColumnType.Numeric num
          && fewValued(first, m, g1.sigma(), grid, unit(num), nHat - Math.max(0, first[m]))) {
        // The second part measures how many rows hold each exact value, released only above
        // a threshold (as categories are): a value many rows share (an income band coded
        // 35,000, a rate of 3.2) comes out as itself instead of spread over its bucket. The
        // range and the bins come from the first part alone; so does the choice of this branch.
        GaussianMechanism g2 = acct.gaussian(rhoOne * MEDIAN_SHARE, 1,
            what + " (second part: values many rows share)");
        spikes = spikes(data, g2, deltaPerColumn, rng);
        spikeSigma = g2.sigma();
        noisy = first;
        sigma = g1.sigma();
      } else if (shows) {
        GaussianMechanism g2 = acct.gaussian(rhoOne * MEDIAN_SHARE, 1, what + " (second part)");
        noisy = combine(first, g1.sigma(), g2.release(counts, rng), g2.sigma());
        sigma = 1 / Math.sqrt(1 / (g1.sigma() * g1.sigma()) + 1 / (g2.sigma() * g2.sigma()));
      } else {
        noisy = first;
        sigma = g1.sigma();
        double target = Math.max(1, nHat - Math.max(0, first[m])) / 2;
        if (medianFeasible(rhoOne * MEDIAN_SHARE, target, m)) {
          median = acct.exponential(rhoOne * MEDIAN_SHARE, 1, "median of " + c.name())
              .select(medianScores(counts, m, target), rng);
        } else {
          // too little budget for so few rows: a median would as likely land far from the
          // data as in it, so the column emits no values (and that half is not spent)
          median = NO_RANGE;
        }
      }
    }
    // A column that is (nearly) all missing has no credible values to place around a median
    // picked among empty buckets; nor has one whose median could not be afforded: it emits
    // missing values only.
    boolean credible = median == NO_MEDIAN
        || (median >= 0 && nHat - Math.max(0, noisy[m]) > KEEP_SIGMAS * sigma);
    if (!credible) {
      return valueless(col, c, bucket, m, noisy[m], sigma);
    }
    // Post-processing of the noisy histogram: keep buckets clearly above the noise.
    // Post-processing of the noisy histogram into fine bins of adaptive width (a dyadic
    // decomposition of the grid): a top-level block of TOP buckets is kept when its noisy sum
    // exceeds KEEP_SIGMAS standard deviations; a kept block is split in halves while each half
    // it keeps exceeds CHILD_SIGMAS standard deviations (a half that looks empty is dropped).
    // With much noise (small epsilon) the bins stay wide; with little, they go down to single
    // grid buckets. Phantom bins far from the data are very unlikely.
    double[] pre = new double[m + 1];
    for (int t = 0; t < m; t++) {
      pre[t + 1] = pre[t] + noisy[t];
    }
    List<int[]> roots = roots(pre, m, sigma);
    if (refinedBody != null) {
      // The first part found the body in these buckets; spread over their many finer buckets
      // the second part may pass no root test there, so each of the body's buckets is a root by
      // the first part's finding, split as far as the second part's counts carry it: a spike
      // down to its own value, mass spread thinly left whole. Roots outside the body (the first
      // part's counts) stay.
      int[] rb = refinedBody;
      roots.removeIf(r -> r[0] < rb[1] && rb[0] < r[1]);
      roots.addAll(bodyRoots);
      roots.sort((x, y) -> Integer.compare(x[0], y[0]));
    }
    List<int[]> leaves = new ArrayList<>();
    for (int[] r : roots) {
      // Within a finer body a thin half is kept only at CHILD_SIGMAS: its halves are many fine
      // buckets of pure noise around the values (years 1962-2005 around 2006-2010), which the
      // drop of weak outer bins below leaves alone there, and at SIDE_SIGMAS one of the dozen
      // halves of a descent passed in a fit of four.
      split(pre, r[0], r[1], sigma, bodyRoots != null && bodyRoots.contains(r) ? CHILD_SIGMAS
          : SIDE_SIGMAS, leaves);
    }
    if (refinedBody != null) {
      for (int[] r : bodyRoots) {
        narrowUnsplitBody(pre, r, sigma, leaves);
      }
      for (int t = 0; t < m; t++) {
        noisy[t] += bodyMove[t];
        pre[t + 1] = pre[t] + noisy[t];
      }
    }
    if (median >= 0) {
      // a grid that is the type's whole domain (a time of day's 288 buckets) is searched whole
      leaves = medianLeaves(pre, m, median, Math.max(1, nHat - Math.max(0, noisy[m])) / 2,
          grid.wholeDomain() ? m / 2 : MEDIAN_MAX_HALF);
    } else if (leaves.isEmpty()) {
      int best = 0;
      for (int t = 1; t < m; t++) {
        if (noisy[t] > noisy[best]) {
          best = t;
        }
      }
      leaves.add(new int[] {best, best + 1});
    }
    if (!bounded && median == NO_MEDIAN) {
      // No public bounds: the range is wherever the noisy histogram shows mass. Outermost
      // bins that are only side bins (a thin half kept at SIDE_SIGMAS) go: over the many
      // halves of a descent from a 1024-bucket root, pure noise passes that test often, and
      // such a phantom stretches the range far from the data. Then walk outward past the
      // outermost bins for thin tails, and trim the outermost bins to their last bucket with
      // mass (all post-processing of the same noisy counts: no budget).
      // The walk and the outermost bins are capped in reach relative to the body's own value
      // span (capOuter): a wide log-scale bin, or one past a gap, whose noisy count crossed a
      // threshold by chance would otherwise be sampled over orders of magnitude beyond the data.
      double[] edges = new double[m + 1];
      for (int t = 0; t < m; t++) {
        edges[t] = grid.lo(t);
      }
      edges[m] = grid.hi(m - 1);
      // The cap runs before the walk too, so the walk starts from, and measures its reach on,
      // a body without a phantom far outer bin.
      // On a finer body the first part has already judged the body's bins, and its thin outer
      // parts are real mass spread over many fine buckets, which the per-bucket test of the
      // drop would take for noise: only bins outside it may go. Nor is a body the split left
      // whole trimmed: its mass is spread too thinly for any fine bucket to show (the trim would
      // cut into it); once split, the outer bins hold a concentrated body's ends and are
      // trimmed to their last value.
      dropWeakOuter(pre, leaves, sigma, refinedBody);
      capOuter(pre, leaves, edges, sigma);
      extendTails(pre, leaves, edges, sigma);
      trimOuter(pre, leaves, sigma, bodyRoots);
      capOuter(pre, leaves, edges, sigma);
    }
    List<Double> binMass = new ArrayList<>();
    for (int[] lf : leaves) {
      binMass.add(Math.max(0, pre[lf[1]] - pre[lf[0]]));
    }
    if (config.bounds().containsKey(c.name())) {
      // Public bounds: the outermost bins stretch to them (keeping their mass), so the sampled
      // range spans the declared domain (scores that bin each table on its own min-max need
      // this). A point-like outermost bin (one bucket at most one unit wide, e.g. an exact 0)
      // far from the bound is not smeared: the gap becomes a bin of its own with its noisy
      // mass.
      int[] first = leaves.get(0);
      if (first[0] > 0) {
        if (pointLike(grid, first)
            && grid.lo(first[0]) - grid.lo(0) > grid.hi(first[1] - 1) - grid.lo(first[0])) {
          leaves.add(0, new int[] {0, first[0]});
          binMass.add(0, Math.max(0, pre[first[0]]));
        } else {
          first[0] = 0;
        }
      }
      int[] last = leaves.get(leaves.size() - 1);
      if (last[1] < m) {
        if (pointLike(grid, last)
            && grid.hi(m - 1) - grid.hi(last[1] - 1) > grid.hi(last[1] - 1) - grid.lo(last[0])) {
          leaves.add(new int[] {last[1], m});
          binMass.add(Math.max(0, pre[m] - pre[last[1]]));
        } else {
          last[1] = m;
        }
      }
    }
    // Units: each bin of the histogram (with the spikes inside it and the rest of its mass) and
    // each spike outside every bin, in value order; a unit's fine levels are its spike values
    // and the stretches between them. Coarse levels are groups of whole units, so that each
    // level's direct count is a sum of whole measurements. Without spikes, a unit is one bin.
    ColumnType t = c.type();
    boolean integer = t instanceof ColumnType.Numeric num && num.integer();
    // a released value's bin: [v, v + 1) samples the integer v, [v, v] the decimal v
    double valueWidth = integer ? 1 : 0;
    double[] spikeValue = spikes == null ? new double[0] : spikes[0];
    double[] spikeCount = spikes == null ? new double[0] : spikes[1];
    int[] spikeUnit = new int[spikeValue.length];
    int[] leafUnit = new int[leaves.size()];
    List<double[]> bins = new ArrayList<>(); // {lo, hi, mass}
    List<Integer> binUnit = new ArrayList<>();
    List<double[]> units = new ArrayList<>(); // {direct, variance}
    int s = 0;
    for (int i = 0; i <= leaves.size(); i++) {
      int[] lf = i < leaves.size() ? leaves.get(i) : null;
      // spikes before this bin (or after the last) are units of their own
      for (; s < spikeValue.length && (lf == null || grid.bucket(spikeValue[s]) < lf[0]); s++) {
        spikeUnit[s] = units.size();
        binUnit.add(units.size());
        bins.add(new double[] {spikeValue[s], spikeValue[s] + valueWidth, spikeCount[s]});
        units.add(new double[] {spikeCount[s], spikeSigma * spikeSigma});
      }
      if (lf == null) {
        break;
      }
      int u = units.size();
      leafUnit[i] = u;
      double a = grid.lo(lf[0]);
      double b = grid.hi(lf[1] - 1);
      int from = s;
      double inside = 0;
      for (; s < spikeValue.length && grid.bucket(spikeValue[s]) < lf[1]; s++) {
        spikeUnit[s] = u;
        inside += spikeCount[s];
      }
      double mass = binMass.get(i);
      units.add(new double[] {pre[lf[1]] - pre[lf[0]], (lf[1] - lf[0]) * sigma * sigma});
      if (from == s) {
        bins.add(new double[] {a, b, mass});
        binUnit.add(u);
        continue;
      }
      // The bin's mass beyond its spikes, kept only when clearly above the noise of the two
      // measurements it is the difference of, spread over the stretches between them by width.
      double rest = mass - inside;
      double restSd = Math.sqrt((lf[1] - lf[0]) * sigma * sigma
          + (s - from) * spikeSigma * spikeSigma);
      if (rest <= REST_SIGMAS * restSd) {
        rest = 0;
      }
      double width = 0;
      double edge = a;
      for (int j = from; j <= s; j++) {
        double end = j < s ? spikeValue[j] : b;
        width += Math.max(0, end - edge);
        edge = j < s ? spikeValue[j] + valueWidth : b;
      }
      edge = a;
      for (int j = from; j <= s; j++) {
        double end = j < s ? spikeValue[j] : b;
        if (end > edge && rest > 0) {
          bins.add(new double[] {edge, end, rest * (end - edge) / width});
          binUnit.add(u);
        }
        if (j < s) {
          bins.add(new double[] {spikeValue[j], spikeValue[j] + valueWidth, spikeCount[j]});
          binUnit.add(u);
          edge = spikeValue[j] + valueWidth;
        }
      }
    }
    int f = bins.size();
    int unitCount = units.size();
    double[] lo = new double[f];
    double[] hi = new double[f];
    double[] fineProb = new double[f + 1];
    for (int i = 0; i < f; i++) {
      lo[i] = bins.get(i)[0];
      hi[i] = bins.get(i)[1];
      fineProb[i] = Math.max(0, bins.get(i)[2]);
    }
    // Nearest bin of the histogram by grid index; real values in dropped buckets are counted
    // there.
    int[] bucketToUnit = new int[m];
    int j = 0;
    for (int b = 0; b < m; b++) {
      while (j + 1 < leaves.size()
          && distance(leaves.get(j + 1), b) <= distance(leaves.get(j), b)) {
        j++;
      }
      bucketToUnit[b] = leafUnit[j];
    }
    fineProb[f] = noisy[m] > MISSING_SIGMAS * sigma ? noisy[m] : 0;
    normalize(fineProb);
    double[] unitMass = new double[unitCount];
    for (int i = 0; i < f; i++) {
      unitMass[binUnit.get(i)] += fineProb[i];
    }
    // Coarse levels: quantile groups of the units; missing alone.
    int k = (int) Math.round(Math.sqrt(nHat / (4 * (Double.isNaN(sigmaTwo) ? 1 : sigmaTwo))));
    k = Math.max(2, Math.min(MAX_COARSE, k));
    if (unitCount <= k) {
      k = unitCount;
    }
    double mass = 0;
    for (int u = 0; u < unitCount; u++) {
      mass += unitMass[u];
    }
    int[] coarseOfUnit = new int[unitCount];
    double cum = 0;
    int last = -1;
    int groups = 0;
    for (int u = 0; u < unitCount; u++) {
      double mid = mass > 0 && k < unitCount ? (cum + unitMass[u] / 2) / mass
          : (u + 0.5) / unitCount;
      int gq = Math.min(k - 1, (int) (mid * k));
      if (gq != last) {
        groups++;
        last = gq;
      }
      coarseOfUnit[u] = groups - 1;
      cum += unitMass[u];
    }
    int[] coarseOf = new int[f + 1];
    for (int i = 0; i < f; i++) {
      coarseOf[i] = coarseOfUnit[binUnit.get(i)];
    }
    coarseOf[f] = groups;
    int coarseCount = groups + 1;
    double[] coarseProb = new double[coarseCount];
    for (int i = 0; i <= f; i++) {
      coarseProb[coarseOf[i]] += fineProb[i];
    }
    int[] coarse = new int[n];
    for (int r = 0; r < n; r++) {
      if (bucket[r] == m) {
        coarse[r] = coarseOf[f];
        continue;
      }
      int at = spikeValue.length == 0 ? -1 : Arrays.binarySearch(spikeValue, data.get(r));
      coarse[r] = coarseOfUnit[at >= 0 ? spikeUnit[at] : bucketToUnit[bucket[r]]];
    }
    ColumnModel.Kind kind = t instanceof ColumnType.Datetime ? ColumnModel.Kind.DATETIME
        : ColumnModel.Kind.NUMERIC;
    int scale = t instanceof ColumnType.Numeric num ? num.scale() : 0;
    boolean dateOnly = t instanceof ColumnType.Datetime dt && dt.dateOnly();
    // Direct noisy counts of the coarse levels: sums of their units' measurements (a bin's
    // noisy counts, biased low only by the few rows of dropped buckets, which hold little mass
    // by construction; a lone spike's noisy count).
    double[] direct = new double[coarseCount];
    double[] directVar = new double[coarseCount];
    for (int u = 0; u < unitCount; u++) {
      direct[coarseOfUnit[u]] += units.get(u)[0];
      directVar[coarseOfUnit[u]] += units.get(u)[1];
    }
    direct[coarseCount - 1] = noisy[m];
    directVar[coarseCount - 1] = sigma * sigma;
    return new Prep(new ColumnModel(col, kind, null, lo, hi, integer, scale, dateOnly, fineProb,
        coarseOf, coarseCount, coarseProb), coarse, direct, directVar);
  }

  /**
   * A numeric column with no credible values: no value level, only missing. Its rows keep two
   * coarse levels, values and missing, so the tree still measures whether a value is present
   * (like a categorical column whose categories were all unreleased); a row drawn into the
   * values level has no value to take and comes out missing.
   */
  private static Prep valueless(int col, Column c, int[] bucket, int m, double noisyMissing,
      double sigma) {
    ColumnType t = c.type();
    ColumnModel.Kind kind = t instanceof ColumnType.Datetime ? ColumnModel.Kind.DATETIME
        : ColumnModel.Kind.NUMERIC;
    int[] coarse = new int[bucket.length];
    for (int r = 0; r < bucket.length; r++) {
      coarse[r] = bucket[r] == m ? 1 : 0;
    }
    double[] direct = {Double.NaN, noisyMissing};
    double[] directVar = {1, sigma * sigma};
    return new Prep(new ColumnModel(col, kind, null, new double[0], new double[0],
        t instanceof ColumnType.Numeric num && num.integer(),
        t instanceof ColumnType.Numeric num ? num.scale() : 0,
        t instanceof ColumnType.Datetime dt && dt.dateOnly(), new double[] {1}, new int[] {1}, 2,
        new double[] {0, 1}), coarse, direct, directVar);
  }

  private Prep categorical(int col, Column c, ColumnData.Codes data, GaussianMechanism g,
      double deltaPerColumn, double nHat, double sigmaTwo, RandomSource rng) {
    List<String> levels = data.levels();
    int n = data.size();
    double sigma = g.sigma();
    List<String> declared = null;
    if (c.type() instanceof ColumnType.Bool b) {
      declared = List.of(b.falseToken(), b.trueToken());
    } else if (config.categories().containsKey(c.name())) {
      declared = config.categories().get(c.name());
    }
    // Keys: the declared list (public), or the values present in the data (private: released
    // only above the threshold).
    List<String> keys;
    if (declared != null) {
      keys = declared;
    } else {
      keys = new ArrayList<>(levels);
      keys.sort(null);
    }
    Map<String, Integer> keyIndex = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      keyIndex.putIfAbsent(keys.get(i), i);
    }
    int[] levelToKey = new int[levels.size()];
    for (int l = 0; l < levels.size(); l++) {
      Integer i = keyIndex.get(levels.get(l));
      levelToKey[l] = i == null ? -1 : i;
    }
    double[] counts = new double[keys.size() + 1];
    int[] keyOfRow = new int[n];
    for (int r = 0; r < n; r++) {
      int code = data.code(r);
      int key = code < 0 ? keys.size() : levelToKey[code];
      keyOfRow[r] = key;
      if (key >= 0) {
        counts[key]++;
      }
    }
    double[] noisy = g.release(counts, rng);
    double threshold = declared != null ? Double.NEGATIVE_INFINITY
        : 1 + sigma * gaussianTail(deltaPerColumn);
    List<String> released = new ArrayList<>();
    List<Integer> releasedKey = new ArrayList<>();
    List<Double> weight = new ArrayList<>();
    int[] keyToFine = new int[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      if (noisy[i] > threshold) {
        keyToFine[i] = released.size();
        released.add(keys.get(i));
        releasedKey.add(i);
        weight.add(Math.max(0, noisy[i]));
      } else {
        keyToFine[i] = -1;
      }
    }
    int f = released.size();
    double[] fineProb = new double[f + 1];
    for (int i = 0; i < f; i++) {
      fineProb[i] = weight.get(i);
    }
    fineProb[f] = noisy[keys.size()] > MISSING_SIGMAS * sigma ? noisy[keys.size()] : 0;
    normalize(fineProb);
    // Coarse: frequent categories alone; rare (and unreleased) ones together; missing alone.
    double bar = Double.isNaN(sigmaTwo) ? 0 : 3 * sigmaTwo;
    int[] coarseOf = new int[f + 1];
    int groups = 0;
    List<Integer> rare = new ArrayList<>();
    for (int i = 0; i < f; i++) {
      if (weight.get(i) >= bar && groups < MAX_COARSE * 4) {
        coarseOf[i] = groups++;
      } else {
        rare.add(i);
      }
    }
    int rareGroup = groups++;
    for (int i : rare) {
      coarseOf[i] = rareGroup;
    }
    coarseOf[f] = groups++;
    // The coarse 1-way used to score candidate edges also credits the rare group with the
    // estimated mass of unreleased values (noisy total minus released counts), so that pairs
    // with this column are not favoured merely because unreleased rows look "dependent".
    double releasedMass = 0;
    for (int i = 0; i < f; i++) {
      releasedMass += weight.get(i);
    }
    double missingMass = Math.max(0, noisy[keys.size()]);
    double unreleased = declared != null ? 0 : Math.max(0, nHat - releasedMass - missingMass);
    double[] coarseProb = new double[groups];
    for (int i = 0; i < f; i++) {
      coarseProb[coarseOf[i]] += weight.get(i);
    }
    coarseProb[rareGroup] += unreleased;
    coarseProb[coarseOf[f]] += fineProb[f] > 0 ? missingMass : 0;
    normalize(coarseProb);
    int[] coarse = new int[n];
    for (int r = 0; r < n; r++) {
      int key = keyOfRow[r];
      if (key == keys.size()) {
        coarse[r] = coarseOf[f];
      } else if (key < 0 || keyToFine[key] < 0) {
        coarse[r] = rareGroup;
      } else {
        coarse[r] = coarseOf[keyToFine[key]];
      }
    }
    double[] direct = new double[groups];
    double[] directVar = new double[groups];
    for (int i = 0; i < f; i++) {
      direct[coarseOf[i]] += noisy[releasedKey.get(i)];
      directVar[coarseOf[i]] += sigma * sigma;
    }
    direct[coarseOf[f]] = noisy[keys.size()];
    directVar[coarseOf[f]] = sigma * sigma;
    if (declared == null) {
      // unreleased values also land in the rare group: its direct sum would be too low
      direct[rareGroup] = Double.NaN;
    }
    for (int gi = 0; gi < groups; gi++) {
      if (directVar[gi] == 0) {
        direct[gi] = Double.NaN;
        directVar[gi] = 1;
      }
    }
    return new Prep(new ColumnModel(col, ColumnModel.Kind.CATEGORICAL, released, null, null,
        false, 0, false, fineProb, coarseOf, groups, coarseProb), coarse, direct, directVar);
  }

  private static void split(double[] pre, int s, int e, double sigma, List<int[]> leaves) {
    split(pre, s, e, sigma, SIDE_SIGMAS, leaves);
  }

  /** As above, a thin half kept as a side bin only above {@code side} deviations. */
  private static void split(double[] pre, int s, int e, double sigma, double side,
      List<int[]> leaves) {
    if (e - s <= 1) {
      leaves.add(new int[] {s, e});
      return;
    }
    int mid = s + (e - s) / 2;
    double zl = (pre[mid] - pre[s]) / (sigma * Math.sqrt(mid - s));
    double zr = (pre[e] - pre[mid]) / (sigma * Math.sqrt(e - mid));
    if (zl > CHILD_SIGMAS && zr > CHILD_SIGMAS) {
      split(pre, s, mid, sigma, side, leaves);
      split(pre, mid, e, sigma, side, leaves);
    } else if (zl > CHILD_SIGMAS) {
      // Never merge a clearly populated half with a thin one (that would smear a spike such
      // as an exact 0 over the whole block): the thin half stays as one wide bin if it still
      // shows some mass, or goes.
      split(pre, s, mid, sigma, side, leaves);
      if (zr > side) {
        leaves.add(new int[] {mid, e});
      }
    } else if (zr > CHILD_SIGMAS) {
      if (zl > side) {
        leaves.add(new int[] {s, mid});
      }
      split(pre, mid, e, sigma, side, leaves);
    } else {
      leaves.add(new int[] {s, e});
    }
  }

  /**
   * The buckets {@code [from, to)} that hold a numeric column's whole body in the first part's
   * noisy histogram, when they are at most {@link #REFINE_MAX_BUCKETS}, at least one of them is
   * wider than {@code unit}, the column's smallest step (so a finer grid says more: not so for
   * the bucket of an exact 0 on the decimal grid), and they hold at least {@link
   * #REFINE_BODY_SHARE} of the column's values ({@code values}: the noisy row count less the
   * noisy missing count); else null. The body is what the range search keeps of the noisy
   * counts (roots split into bins, weak outermost side bins dropped): post-processing of the
   * first part only. The share matters: a spike found beside mass spread too thinly for the
   * first part to show (a scale's mode among hundreds of values) is not the body, and the
   * second part, measured again on the whole grid, may show the rest.
   */
  static int[] narrowBody(double[] first, int m, double sigma, Grid grid, double values,
      double unit) {
    double[] pre = new double[m + 1];
    for (int t = 0; t < m; t++) {
      pre[t + 1] = pre[t] + first[t];
    }
    List<int[]> leaves = new ArrayList<>();
    for (int[] r : roots(pre, m, sigma)) {
      split(pre, r[0], r[1], sigma, leaves);
    }
    dropWeakOuter(pre, leaves, sigma);
    if (leaves.isEmpty()) {
      return null;
    }
    int from = leaves.get(0)[0];
    int to = leaves.get(leaves.size() - 1)[1];
    // A neighbouring bucket that stands out on its own belongs to the body although the wide
    // side half it was tested in did not (ames' years remodelled: 630 rows in [1879, 1962),
    // 7 deviations, in a half of 16 buckets that was dropped as thin).
    while (to - from < REFINE_MAX_BUCKETS) {
      double below = from > 0 ? first[from - 1] : Double.NEGATIVE_INFINITY;
      double above = to < m ? first[to] : Double.NEGATIVE_INFINITY;
      if (Math.max(below, above) <= CHILD_SIGMAS * sigma) {
        break;
      }
      if (below >= above) {
        from--;
      } else {
        to++;
      }
    }
    if (to - from > REFINE_MAX_BUCKETS || pre[to] - pre[from] < REFINE_BODY_SHARE * values) {
      return null;
    }
    for (int t = from; t < to; t++) {
      if (grid.hi(t) - grid.lo(t) > unit) {
        return new int[] {from, to};
      }
    }
    return null;
  }

  /**
   * Where the mass of the fine buckets {@code [a, b)} ends, as the posterior mean of the cut:
   * with {@code upper}, each cut {@code e} in {@code (a, b]} is weighed by the likelihood of a
   * constant density on {@code [a, e)} (its least-squares level, {@code S(a, e) / (e - a)}) and
   * none on {@code [e, b)}, under independent noise of deviation {@code sigma} per bucket, i.e.
   * by {@code exp(S(a, e)^2 / (2 sigma^2 (e - a)))}; "no cut" ({@code e = b}) has half the
   * prior, the other cuts share the rest, and no cut is made unless the posterior of "no cut"
   * falls below {@link #MASS_END_KEEP}. Otherwise the same for the cut {@code s} of
   * {@code [s, b)}. Simulated at ames' level (52 rows a fine bucket, deviation 85, the mass
   * ending at 36 of 64; 1,500 draws each): mean error 12 buckets where uncut is 28, 11 when the
   * density falls towards the end, where the likeliest cut with a BIC penalty cut more than 15
   * buckets short in a quarter of the fits; mass that runs to the edge is cut by half a bucket
   * on average, and 5 rows a bucket (no evidence either way) by 1.3. Post-processing of
   * released counts.
   */
  static int massEnd(double[] pre, int a, int b, double sigma, boolean upper) {
    int n = b - a;
    if (n < 2) {
      return upper ? b : a;
    }
    double[] ll = new double[n + 1];
    double top = Double.NEGATIVE_INFINITY;
    for (int len = 1; len <= n; len++) {
      double sum = upper ? pre[a + len] - pre[a] : pre[b] - pre[b - len];
      ll[len] = sum > 0 ? sum * sum / (2 * sigma * sigma * len) : 0;
      top = Math.max(top, ll[len]);
    }
    double weight = 0;
    double mean = 0;
    double whole = 0;
    for (int len = 1; len <= n; len++) {
      double w = Math.exp(ll[len] - top) * (len == n ? n - 1 : 1);
      weight += w;
      mean += w * len;
      whole = w;
    }
    if (whole >= MASS_END_KEEP * weight) {
      return upper ? b : a;
    }
    int len = (int) Math.round(mean / weight);
    return upper ? a + len : b - len;
  }

  /**
   * A finer body that the split left whole although its values sit in a few of its fine
   * buckets: a half of 32 fine buckets carries the noise of 32, so a body of a few thousand rows
   * in a wide table (ames' latitudes, 41.99-42.06 in a body of 41.50-43.34) passes no half's
   * test, and was sampled across the whole body. When aligned blocks inside it pass the root
   * test ({@link #roots}) and hold at least {@link #REFINE_BODY_SHARE} of its noisy count, those
   * blocks, split as far as their counts carry them, replace it. Mass spread thinly (years over
   * 1990-2040) holds no such blocks and stays one bin. Post-processing of the same counts.
   */
  private static void narrowUnsplitBody(double[] pre, int[] body, double sigma,
      List<int[]> leaves) {
    if (leaves.stream().noneMatch(lf -> lf[0] == body[0] && lf[1] == body[1])) {
      return;
    }
    int w = body[1] - body[0];
    double[] inner = new double[w + 1];
    for (int i = 0; i <= w; i++) {
      inner[i] = pre[body[0] + i] - pre[body[0]];
    }
    List<int[]> blocks = roots(inner, w, sigma);
    double held = 0;
    for (int[] b : blocks) {
      held += inner[b[1]] - inner[b[0]];
    }
    if (blocks.isEmpty() || held < REFINE_BODY_SHARE * inner[w]) {
      return;
    }
    leaves.removeIf(lf -> lf[0] == body[0] && lf[1] == body[1]);
    for (int[] b : blocks) {
      split(pre, body[0] + b[0], body[0] + b[1], sigma, CHILD_SIGMAS, leaves);
    }
    leaves.sort((x, y) -> Integer.compare(x[0], y[0]));
  }

  /**
   * Whether the first part's noisy histogram looks like a few values apart from one another (an
   * income coded in bands, a rate with a handful of levels): at least {@link #SPIKE_SHARE} of
   * the column's values ({@code values}: the noisy row count less the noisy missing count),
   * leaving out those in buckets no wider than its step {@code unit} (already exact), lie in
   * strong buckets (noisy count above {@link #CHILD_SIGMAS} deviations) that stand in runs of at
   * most {@link #SPIKE_BUCKETS} between buckets that are not strong. Mass spread continuously
   * makes long runs, or none. Post-processing of the first part.
   */
  static boolean fewValued(double[] first, int m, double sigma, Grid grid, double unit,
      double values) {
    double exact = 0;
    double apart = 0;
    double strong = CHILD_SIGMAS * sigma;
    for (int t = 0; t < m; ) {
      if (first[t] <= strong) {
        t++;
        continue;
      }
      int e = t;
      double run = 0;
      boolean wide = false;
      for (; e < m && first[e] > strong; e++) {
        run += first[e];
        wide |= grid.hi(e) - grid.lo(e) > unit;
      }
      if (!wide) {
        exact += run;
      } else if (e - t <= SPIKE_BUCKETS) {
        apart += run;
      }
      t = e;
    }
    return apart > 0 && apart >= SPIKE_SHARE * (values - exact);
  }

  /**
   * The values that many rows share: each distinct value's count with Gaussian noise, released
   * only above {@code 1 + sigma t} where a value held by one row passes with probability at most
   * {@code deltaPerColumn} (the stability-based histogram, as for undeclared categories). Each
   * row counts for one value: L2 sensitivity 1.
   *
   * @return {sorted released values, their noisy counts}
   */
  private static double[][] spikes(ColumnData.Numbers data, GaussianMechanism g,
      double deltaPerColumn, RandomSource rng) {
    int n = data.size();
    double[] v = new double[n];
    int present = 0;
    for (int r = 0; r < n; r++) {
      double x = data.get(r);
      if (!Double.isNaN(x)) {
        v[present++] = x;
      }
    }
    Arrays.sort(v, 0, present);
    double[] value = new double[present];
    double[] count = new double[present];
    int distinct = 0;
    for (int r = 0; r < present; r++) {
      if (distinct == 0 || v[r] != value[distinct - 1]) {
        value[distinct++] = v[r];
      }
      count[distinct - 1]++;
    }
    double[] noisy = g.release(Arrays.copyOf(count, distinct), rng);
    double threshold = 1 + g.sigma() * gaussianTail(deltaPerColumn);
    int kept = 0;
    for (int i = 0; i < distinct; i++) {
      if (noisy[i] > threshold) {
        value[kept] = value[i];
        noisy[kept++] = noisy[i];
      }
    }
    return new double[][] {Arrays.copyOf(value, kept), Arrays.copyOf(noisy, kept)};
  }

  /** The smallest step a numeric column's values take: 1 for integers, else 10^-scale. */
  private static double unit(ColumnType.Numeric t) {
    return t.integer() ? 1 : Math.pow(10, -t.scale());
  }

  /**
   * Whether some aligned dyadic block of the noisy histogram (buckets {@code 0..m-1}) passes the
   * root test of {@link #KEEP_SIGMAS} deviations, as the range search needs.
   */
  static boolean hasRoot(double[] noisy, int m, double sigma) {
    double[] pre = new double[m + 1];
    for (int t = 0; t < m; t++) {
      pre[t + 1] = pre[t] + noisy[t];
    }
    return !roots(pre, m, sigma).isEmpty();
  }

  /**
   * Roots of the range: the largest aligned dyadic blocks (of {@link #TOP} buckets down to one)
   * whose noisy sum ({@code pre}: prefix sums of the noisy counts) passes {@link #KEEP_SIGMAS}
   * deviations per square root of the width, in grid order. Mass spread thinly over a wide
   * range is found at a coarse scale, a narrow spike at a fine one.
   */
  static List<int[]> roots(double[] pre, int m, double sigma) {
    boolean[] inRoot = new boolean[m];
    List<int[]> roots = new ArrayList<>();
    for (int size = TOP; size >= 1; size /= 2) {
      for (int s0 = 0; s0 < m; s0 += size) {
        int e0 = Math.min(m, s0 + size);
        if (!inRoot[s0] && pre[e0] - pre[s0] > KEEP_SIGMAS * sigma * Math.sqrt(e0 - s0)) {
          roots.add(new int[] {s0, e0});
          Arrays.fill(inRoot, s0, e0, true);
        }
      }
    }
    roots.sort((x, y) -> Integer.compare(x[0], y[0]));
    return roots;
  }

  /**
   * Whether an exponential-mechanism median with budget {@code rho} over {@code m} buckets is
   * worth running for about {@code 2 target} rows: a bucket outside the data scores
   * {@code -target} and the median's own bucket 0, so the chance of landing outside the data is
   * at most {@code m exp(-epsilon target / 2)}, with {@code epsilon = sqrt(8 rho)}; that bound
   * must be at most {@link #MEDIAN_ALPHA}. Only public quantities and the noisy row count enter.
   */
  static boolean medianFeasible(double rho, double target, int m) {
    double epsilon = Math.sqrt(8 * rho);
    return m * Math.exp(-epsilon * target / 2) <= MEDIAN_ALPHA;
  }

  /** Two noisy measurements of the same counts averaged by inverse variance. */
  static double[] combine(double[] a, double sigmaA, double[] b, double sigmaB) {
    double wa = 1 / (sigmaA * sigmaA);
    double wb = 1 / (sigmaB * sigmaB);
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (wa * a[i] + wb * b[i]) / (wa + wb);
    }
    return out;
  }

  /**
   * Scores of the exponential-mechanism median over buckets {@code 0..m-1} (the last entry of
   * {@code counts}, the missing values, is left out): minus how many rows separate the bucket
   * from holding rank {@code target}, i.e. {@code -max(0, below - target, target - upTo)} with
   * {@code below} the rows in earlier buckets and {@code upTo} those up to and including it.
   * Adding or removing a row moves {@code below} and {@code upTo} by at most one, so every score
   * has sensitivity 1; {@code target} comes from the noisy row count.
   */
  static double[] medianScores(double[] counts, int m, double target) {
    double[] scores = new double[m];
    double below = 0;
    for (int t = 0; t < m; t++) {
      double upTo = below + counts[t];
      scores[t] = Math.min(0, Math.min(target - below, upTo - target));
      below = upTo;
    }
    return scores;
  }

  /**
   * The bins of a column whose noisy histogram showed no mass above the noise, built around its
   * released median bucket (post-processing only): the narrowest window of 2h+1 buckets
   * centred on it (h = 1, 2, 3, 4, 6, 8, 12, ..., {@code maxHalf}: steps of at most
   * 1.5 times, so the window overshoots the middle half by little) whose noisy sum reaches
   * {@code half} (half the rows; {@link #MEDIAN_DEFAULT_HALF} if none does) stands for the
   * middle half of the data, and the range reaches h buckets past it on both sides, like a
   * box plot's whiskers. That range is cut into {@link #MEDIAN_BINS} equal parts, weighted by
   * their noisy sums (parts without positive mass get none; all of them none: equal weights).
   */
  static List<int[]> medianLeaves(double[] pre, int m, int median, double half, int maxHalf) {
    int h = MEDIAN_DEFAULT_HALF;
    for (int w = 1; w <= maxHalf; w = w < 2 ? 2 : (w & (w - 1)) == 0 ? w * 3 / 2 : w * 4 / 3) {
      int s0 = Math.max(0, median - w);
      int e0 = Math.min(m, median + w + 1);
      if (pre[e0] - pre[s0] >= half) {
        h = w;
        break;
      }
    }
    int s0 = Math.max(0, median - 2 * h);
    int e0 = Math.min(m, median + 2 * h + 1);
    int parts = Math.min(MEDIAN_BINS, e0 - s0);
    List<int[]> leaves = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      int a = s0 + (int) ((long) (e0 - s0) * i / parts);
      int b = s0 + (int) ((long) (e0 - s0) * (i + 1) / parts);
      if (b > a) {
        leaves.add(new int[] {a, b});
      }
    }
    return leaves;
  }

  /** Removes outermost bins whose noisy sum is below {@link #TAIL_SIGMAS} deviations. */
  static void dropWeakOuter(double[] pre, List<int[]> leaves, double sigma) {
    dropWeakOuter(pre, leaves, sigma, null);
  }

  /** As {@link #dropWeakOuter(double[], List, double)}, never dropping a bin in {@code keep}. */
  static void dropWeakOuter(double[] pre, List<int[]> leaves, double sigma, int[] keep) {
    while (leaves.size() > 1 && weak(pre, leaves.get(leaves.size() - 1), sigma)
        && !inside(leaves.get(leaves.size() - 1), keep)) {
      leaves.remove(leaves.size() - 1);
    }
    while (leaves.size() > 1 && weak(pre, leaves.get(0), sigma) && !inside(leaves.get(0), keep)) {
      leaves.remove(0);
    }
  }

  private static boolean inside(int[] leaf, int[] range) {
    return range != null && leaf[0] >= range[0] && leaf[1] <= range[1];
  }

  private static boolean weak(double[] pre, int[] leaf, double sigma) {
    return pre[leaf[1]] - pre[leaf[0]] <= TAIL_SIGMAS * sigma * Math.sqrt(leaf[1] - leaf[0]);
  }

  /** {@link #extendTails(double[], List, double[], double)} on a grid of unit buckets. */
  static void extendTails(double[] pre, List<int[]> leaves, int m, double sigma) {
    extendTails(pre, leaves, unitEdges(m), sigma);
  }

  /**
   * The outward walk: beyond each outermost bin, the widest window of 1, 2, 4, ... buckets
   * adjacent to it whose noisy sum exceeds {@link #TAIL_SIGMAS} standard deviations becomes a
   * bin of its own (thin tails such as the oldest ages, spread over many buckets, that no
   * aligned block showed). The threshold makes a window of pure noise pass with probability
   * below 2.4e-4 per window, 0.5% per side over all 12 windows of a 1024-bucket walk.
   *
   * <p>The walk only looks as far as {@link #reachEnd}/{@link #reachStart}: {@link
   * #REACH_SPANS} times the value span of the body (the bins kept so far) past its edge, or
   * {@link #REACH_MIN_BUCKETS} buckets if that is further. On the log-scale grids a window of
   * 256 or 512 buckets spans 16 or 32 octaves; when it holds a real thin tail next to the body
   * plus noise, it passes as a whole, and the trim that follows walks in over hundreds of
   * buckets of pure noise, where a 2-sigma crossing by chance is likely: the column then
   * reached 1e10 for a real maximum of 1e6. Windows that would end past the reach are not
   * tested; one more window ends exactly at the reach (so a tail up to it can still be found
   * in full). That makes at most 12 windows per side, each with the same false-pass bound.
   * The reach depends only on the kept bins, themselves post-processing of the noisy counts.
   */
  static void extendTails(double[] pre, List<int[]> leaves, double[] edges, double sigma) {
    int m = edges.length - 1;
    double bodyLo = edges[leaves.get(0)[0]];
    double bodyHi = edges[leaves.get(leaves.size() - 1)[1]];
    double span = bodyHi - bodyLo;
    int e = leaves.get(leaves.size() - 1)[1];
    int limit = reachEnd(edges, e, bodyHi + REACH_SPANS * span);
    int best = -1;
    for (int w = 1; w <= TOP && e + w <= limit; w *= 2) {
      if (pre[e + w] - pre[e] > TAIL_SIGMAS * sigma * Math.sqrt(w)) {
        best = w;
      }
    }
    int w = limit - e;
    if (w > Math.max(best, 0) && w <= TOP
        && pre[e + w] - pre[e] > TAIL_SIGMAS * sigma * Math.sqrt(w)) {
      best = w;
    }
    if (best > 0) {
      leaves.add(new int[] {e, e + best});
    }
    int s0 = leaves.get(0)[0];
    limit = reachStart(edges, s0, bodyLo - REACH_SPANS * span);
    best = -1;
    for (w = 1; w <= TOP && s0 - w >= limit; w *= 2) {
      if (pre[s0] - pre[s0 - w] > TAIL_SIGMAS * sigma * Math.sqrt(w)) {
        best = w;
      }
    }
    w = s0 - limit;
    if (w > Math.max(best, 0) && w <= TOP
        && pre[s0] - pre[s0 - w] > TAIL_SIGMAS * sigma * Math.sqrt(w)) {
      best = w;
    }
    if (best > 0) {
      leaves.add(0, new int[] {s0 - best, s0});
    }
  }

  /**
   * The last bucket end (at most m) whose edge is within {@code value}, and at least
   * {@link #REACH_MIN_BUCKETS} buckets past {@code e}.
   */
  private static int reachEnd(double[] edges, int e, double value) {
    int m = edges.length - 1;
    int t = e;
    while (t < m && edges[t + 1] <= value) {
      t++;
    }
    return Math.min(m, Math.max(t, e + REACH_MIN_BUCKETS));
  }

  /** The mirror of {@link #reachEnd}: the first bucket start (at least 0) within reach. */
  private static int reachStart(double[] edges, int s, double value) {
    int t = s;
    while (t > 0 && edges[t - 1] >= value) {
      t--;
    }
    return Math.max(0, Math.min(t, s - REACH_MIN_BUCKETS));
  }

  /**
   * Caps how far each outermost bin reaches: its outer edge may lie at most {@link
   * #REACH_SPANS} times the value span of the other bins past their edge (or {@link
   * #REACH_MIN_BUCKETS} buckets, if further). Catches a wide outer bin left by the dyadic
   * descent or by an untrimmed walk (a thin half covering 16 octaves of the log grid, kept
   * because its noisy sum crossed the threshold), which would be sampled uniformly over a huge
   * span. A capped bin keeps its noisy mass; real values beyond the cap count in it as before
   * (nearest bin). An outermost bin that lies wholly beyond the reach (past a gap of dropped
   * buckets) goes, unless its noisy sum exceeds {@link #ISOLATED_SIGMAS} deviations, or
   * {@link #SPIKE_SIGMAS} for a bin of at most {@link #SPIKE_BUCKETS} buckets (a real
   * separate cluster, such as a sentinel value; a root, at {@link #KEEP_SIGMAS}, is not enough:
   * over the many blocks tested, pure noise makes one now and then); then the next one is
   * looked at. With a single bin there is no body to measure against: nothing changes.
   *
   * <p>Sampling a wide bin on a log scale instead would not help: uniform in log over 16
   * octaves still puts most values orders of magnitude past the data.
   */
  static void capOuter(double[] pre, List<int[]> leaves, double[] edges, double sigma) {
    while (leaves.size() > 1) {
      int[] last = leaves.get(leaves.size() - 1);
      int inner = leaves.get(leaves.size() - 2)[1];
      double span = edges[inner] - edges[leaves.get(0)[0]];
      int limit = reachEnd(edges, inner, edges[inner] + REACH_SPANS * span);
      if (last[0] < limit) {
        last[1] = Math.min(last[1], limit);
        break;
      }
      if (strong(pre, last, sigma)) {
        break;
      }
      leaves.remove(leaves.size() - 1);
    }
    while (leaves.size() > 1) {
      int[] first = leaves.get(0);
      int inner = leaves.get(1)[0];
      double span = edges[leaves.get(leaves.size() - 1)[1]] - edges[inner];
      int limit = reachStart(edges, inner, edges[inner] - REACH_SPANS * span);
      if (first[1] > limit) {
        first[0] = Math.max(first[0], limit);
        break;
      }
      if (strong(pre, first, sigma)) {
        break;
      }
      leaves.remove(0);
    }
  }

  private static boolean strong(double[] pre, int[] leaf, double sigma) {
    int w = leaf[1] - leaf[0];
    double sigmas = w <= SPIKE_BUCKETS ? SPIKE_SIGMAS : ISOLATED_SIGMAS;
    return pre[leaf[1]] - pre[leaf[0]] > sigmas * sigma * Math.sqrt(w);
  }

  /** {@link #capOuter(double[], List, double[], double)} on a grid of unit buckets. */
  static void capOuter(double[] pre, List<int[]> leaves, int m, double sigma) {
    capOuter(pre, leaves, unitEdges(m), sigma);
  }

  private static double[] unitEdges(int m) {
    double[] edges = new double[m + 1];
    for (int t = 0; t <= m; t++) {
      edges[t] = t;
    }
    return edges;
  }

  /**
   * Trims the outermost bins to the buckets that hold their mass: walking inward from the
   * outer edge, the bin ends at the first bucket t where the noisy sum from t to the edge
   * exceeds {@link #SIDE_SIGMAS} standard deviations. Without this, a wide outer bin (a spike
   * at the last value next to empty buckets) is sampled uniformly far beyond the data. A bin
   * where no such bucket shows is left as it is. A flat thin tail is cut a little short (the
   * sum must build up before it shows), which errs on the side of the data.
   */
  static void trimOuter(double[] pre, List<int[]> leaves, double sigma) {
    trimOuter(pre, leaves, sigma, null);
  }

  /**
   * As {@link #trimOuter(double[], List, double)}, except that an outermost bin which is one of
   * {@code wholeRoots} left unsplit (a bucket of a finer body whose mass is spread too thinly
   * over its fine buckets for any half to pass) is cut where its mass ends ({@link #massEnd}):
   * walking in from its edge, one of a few dozen suffixes of pure noise passed the side test at
   * once about as often as not, and a year built from 1872 to 2010 kept its bucket's end, 2047.
   */
  static void trimOuter(double[] pre, List<int[]> leaves, double sigma, List<int[]> wholeRoots) {
    int[] last = leaves.get(leaves.size() - 1);
    int[] first = leaves.get(0);
    boolean lastWhole = isRoot(last, wholeRoots);
    boolean firstWhole = isRoot(first, wholeRoots);
    if (lastWhole) {
      last[1] = massEnd(pre, last[0], last[1], sigma, true);
    }
    if (firstWhole) {
      first[0] = massEnd(pre, first[0], first[1], sigma, false);
    }
    if (!lastWhole) {
      trimLast(pre, last, sigma);
    }
    if (!firstWhole) {
      trimFirst(pre, first, sigma);
    }
  }

  private static boolean isRoot(int[] leaf, List<int[]> roots) {
    return roots != null && roots.stream().anyMatch(r -> r[0] == leaf[0] && r[1] == leaf[1]);
  }

  private static void trimLast(double[] pre, int[] last, double sigma) {
    for (int t = last[1] - 1; t >= last[0]; t--) {
      if (pre[last[1]] - pre[t] > SIDE_SIGMAS * sigma * Math.sqrt(last[1] - t)) {
        last[1] = t + 1;
        break;
      }
    }
  }

  private static void trimFirst(double[] pre, int[] first, double sigma) {
    for (int t = first[0] + 1; t <= first[1]; t++) {
      if (pre[t] - pre[first[0]] > SIDE_SIGMAS * sigma * Math.sqrt(t - first[0])) {
        first[0] = t - 1;
        break;
      }
    }
  }

  private static boolean pointLike(Grid grid, int[] leaf) {
    return leaf[1] - leaf[0] == 1 && grid.hi(leaf[0]) - grid.lo(leaf[0]) <= 1;
  }

  private static int distance(int[] leaf, int t) {
    return t < leaf[0] ? leaf[0] - t : t >= leaf[1] ? t - leaf[1] + 1 : 0;
  }

  /**
   * A t with P(N(0,1) &gt; t) &lt;= p, from the Mills-ratio bound phi(t)/t (an upper bound on the
   * tail for t &gt; 0, so t is conservative).
   */
  static double gaussianTail(double p) {
    double lo = 1;
    double hi = 40;
    for (int i = 0; i < 200; i++) {
      double t = (lo + hi) / 2;
      double bound = Math.exp(-t * t / 2) / (t * Math.sqrt(2 * Math.PI));
      if (bound > p) {
        lo = t;
      } else {
        hi = t;
      }
    }
    return hi;
  }
}
