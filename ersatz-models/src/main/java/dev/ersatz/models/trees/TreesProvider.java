package dev.ersatz.models.trees;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.core.spi.Synthesizer;
import dev.ersatz.core.spi.SynthesizerProvider;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import dev.ersatz.models.Options;
import dev.ersatz.models.PrivacySettings;
import dev.ersatz.models.codec.Frame;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code trees}, the default generator: sequential conditional trees over cells.
 *
 * <p>The joint distribution is factorised column by column, {@code p(x1) p(x2|x1) ...
 * p(xd|x1..x(d-1))}, each factor a classification tree over the codecs' cells, as in the
 * sequential CART synthesis of Reiter, "Using CART to generate partially synthetic public use
 * microdata", J. Official Statistics 21 (2005) and Nowok, Raab, Dibben, "synthpop: Bespoke
 * creation of synthetic data in R", J. Statistical Software 74 (2016). Differences that matter:
 * <ul>
 *   <li>leaves hold smoothed cell distributions and numeric values are drawn from each cell's
 *       fitted density (see {@link dev.ersatz.models.codec.NumericCodec}), never copied from a
 *       real row, so no leaf can replay a person's value;
 *   <li>the minimum leaf size is <em>tuned at fit time</em>: 20% of the training rows are held
 *       back, a model is fitted on the rest for a few candidate leaf sizes, and the smallest leaf
 *       size whose synthetic rows are no closer to its training rows than to the held-back rows
 *       (distance-to-closest-record share at most {@value #TARGET_SHARE}) is kept, then the model
 *       is refitted on all rows. synthpop's default leaves of 5 rows give a share of 0.55 on
 *       census, i.e. it memorises; this check is what keeps Ersatz from doing so.
 * </ul>
 */
public final class TreesProvider implements SynthesizerProvider {
  public static final String NAME = "trees";
  static final double TARGET_SHARE = 0.512;
  /** Candidate minimum leaf sizes as fractions of the training rows. */
  static final double[] FRACTIONS = {0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064};
  static final int START = 2;
  static final double DEFAULT_ALPHA = 1.0;
  static final int DEFAULT_ENSEMBLE = 5;
  static final double DEFAULT_SUBSAMPLE = 0.5;
  static final double DEFAULT_FEATURES = 1.0;
  /**
   * Earlier columns a column's trees may split on, the most informative first, unrelated ones
   * left out ({@link Relevance}): tables of up to 25 columns keep them all, wider ones fit in
   * time that grows with the columns instead of their square (BENCHMARKS, "Wide tables").
   */
  static final int DEFAULT_PREDICTORS = 24;
  static final double DEFAULT_SPLIT_PENALTY = 4;
  static final int DEFAULT_ORDINAL = 1;
  /**
   * Tables with fewer rows than this get a boosted conditional ({@link Booster#FULL}) for their
   * last {@code boost_columns} two-cell columns. Above it the bagged trees have enough rows per
   * leaf to come closer, and a booster's hundred tree walks per row cost more than the rest of
   * the row (census, both two-cell columns boosted: 0.43M instead of 1.1M rows/s through
   * {@code ersatz sample}); tables this large get the cheaper {@link Booster#PAIRS} form for
   * their last {@code pair_columns} two-cell columns instead.
   */
  static final int DEFAULT_BOOST_ROWS = 20_000;
  /**
   * At most this many two-cell columns are boosted, the last ones of the table (where a label
   * usually is): each costs about 1.5 µs per sampled row, and a survey of 60 yes/no answers
   * would otherwise sample at some ten thousand rows a second.
   */
  static final int DEFAULT_BOOST_COLUMNS = 4;
  /**
   * On tables of {@code boost_rows} rows or more, this many two-cell columns, the last ones,
   * get a booster of depth-two trees ({@link Booster#PAIRS}), which samples as one table lookup
   * per pair of predictors it uses.
   */
  static final int DEFAULT_PAIR_COLUMNS = 1;
  /**
   * On tables under {@code boost_rows} rows, a two-cell first column (a label placed first, as
   * titanic's survived) is redrawn once the rest of the row is drawn, from a booster given every
   * other column ({@link Booster#fitGivenAll}); 0 turns it off. Otherwise such a label is only
   * as predictable from the rest as the later columns' trees make it. Two-cell columns further
   * in are left alone: redrawing census's sex at 3,000 rows moved the DCR share up by 0.01 for
   * nothing in quality or utility.
   */
  static final int DEFAULT_REFINE_FIRST = 1;
  /**
   * Tables with fewer rows than this have their trees' leaves raked to the real marginals
   * ({@link Raking}); on larger tables the sampled marginals are already within a few thousandths.
   */
  static final int DEFAULT_RAKE_ROWS = 20_000;
  static final int RAKE_SIMULATED_ROWS = 20_000;
  /**
   * Tables with fewer rows than this get their numeric columns' in-leaf positions coupled to
   * earlier numeric columns ({@link Coupling}): there leaves are few and wide.
   */
  static final int DEFAULT_COUPLE_ROWS = 20_000;
  /**
   * Nested categories ({@link Nesting}) are opt-in: they make the synthetic pairs real ones
   * (zip codes' counties within their states), but on some tables the rows then come closer to
   * the training rows than the fit-time check allows (BENCHMARKS, "Nested categories").
   */
  static final int DEFAULT_NEST = 0;

  /**
   * Ensemble settings: each column's conditional is an equal mixture of {@code members} trees,
   * each grown on a random {@code subsample} of the rows, looking at a random share
   * {@code features} of the predictors at each node (Breiman, "Random forests", Machine Learning
   * 45, 2001). Sampling from a mixture picks one member per row and column, so it costs one tree
   * walk, however many members there are. On a table wider than {@code predictors + 1}
   * columns, a column's trees consider at most {@code predictors} earlier columns, those related
   * to it ({@link Relevance}); 0 for all.
   */
  record Bagging(int members, double subsample, double features, double splitPenalty,
      boolean ordinal, int predictors) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "sequential conditional trees with fit-time overfitting control (default)";
  }

  @Override
  public Synthesizer create(Map<String, String> options) {
    Options o = new Options(NAME, options,
        Set.of("k", "min_leaf", "smoothing", "tune", "ensemble", "subsample", "features",
            "split_penalty", "ordinal", "boost_rows", "boost_columns", "pair_columns",
            "rake_rows", "couple_rows", "refine_first", "boost_folds", "nest", "predictors",
            "target"));
    PrivacySettings privacy = new PrivacySettings(o.integer("k", 5, 1, 1_000_000));
    int fixedLeaf = o.integer("min_leaf", 0, 0, Integer.MAX_VALUE);
    double alpha = o.number("smoothing", DEFAULT_ALPHA, 0, 1e6);
    boolean tune = o.integer("tune", 1, 0, 1) == 1;
    Bagging bag = new Bagging(o.integer("ensemble", DEFAULT_ENSEMBLE, 1, 64),
        o.number("subsample", DEFAULT_SUBSAMPLE, 0.05, 1),
        o.number("features", DEFAULT_FEATURES, 0.05, 1),
        o.number("split_penalty", DEFAULT_SPLIT_PENALTY, 0, 1e6),
        o.integer("ordinal", DEFAULT_ORDINAL, 0, 1) == 1,
        o.integer("predictors", DEFAULT_PREDICTORS, 0, 1_000_000));
    int boostRows = o.integer("boost_rows", DEFAULT_BOOST_ROWS, 0, Integer.MAX_VALUE);
    int boostColumns = o.integer("boost_columns", DEFAULT_BOOST_COLUMNS, 0, 1_000_000);
    int boostFolds = o.integer("boost_folds", 0, 0, 10);
    if (boostFolds == 1) {
      throw new dev.ersatz.core.UserInputException("option boost_folds of generator 'trees'"
          + " is 1; cross-validation needs 2 to 10 folds, or 0 for a fixed 100 trees");
    }
    int pairColumns = o.integer("pair_columns", DEFAULT_PAIR_COLUMNS, 0, 1_000_000);
    int rakeRows = o.integer("rake_rows", DEFAULT_RAKE_ROWS, 0, Integer.MAX_VALUE);
    int coupleRows = o.integer("couple_rows", DEFAULT_COUPLE_ROWS, 0, Integer.MAX_VALUE);
    boolean refineFirst = o.integer("refine_first", DEFAULT_REFINE_FIRST, 0, 1) == 1;
    boolean nest = o.integer("nest", DEFAULT_NEST, 0, 1) == 1;
    String target = o.text("target", null);
    return new Synthesizer() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public FittedModel fit(Table real, FitContext ctx) {
        return TreesProvider.fit(real, ctx, privacy, fixedLeaf, alpha, tune, bag, boostRows,
            boostColumns, boostFolds, pairColumns, rakeRows, coupleRows, refineFirst, nest,
            target);
      }
    };
  }

  static int minLeaf(double fraction, int rows, PrivacySettings privacy) {
    return Math.max(2 * privacy.k(), (int) Math.round(fraction * rows));
  }

  static FittedModel fit(Table real, FitContext ctx, PrivacySettings privacy, int fixedLeaf,
      double alpha, boolean tune, Bagging bag, int boostRows, int boostColumns, int boostFolds,
      int pairColumns, int rakeRows, int coupleRows, boolean refineFirst, boolean nest,
      String target) {
    int n = real.rowCount();
    Frame frame = target == null || n >= boostRows ? Frame.fit(real, privacy)
        : placeTarget(Frame.fit(real, privacy), real, target, privacy, refineFirst);
    // the first column is redrawn given the rest (ADR 12) unless a target is declared
    // elsewhere: it is there for a label placed first
    boolean refineLabel = refineFirst
        && (target == null || frame.column(0).name().equals(target));
    int[][] cells = frame.encode(real);
    RandomSource rng = RandomSource.of(ctx.seed());
    int[] all = IntStream.range(0, n).toArray();
    // the boosters do not depend on the leaf size: fitted on a thread of their own while the
    // leaf size is searched for (the search leaves a core idle while it samples and compares);
    // stopped if the rest of the fit fails
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    Booster.Shape full = boostFolds > 1 ? Booster.fullCrossValidated(boostFolds) : Booster.FULL;
    Nesting[] found = nest || Nesting.cheap(frame, n)
        ? Nesting.find(frame, cells, privacy.k()) : null;
    Nesting[] nestings = nest ? found : null;
    int[][] pred = predictors(frame, cells, all, bag, nestings);
    // on a wide table the boosters leave out the earlier columns a test finds unrelated (no
    // limit on how many stay: a label draws on all it can)
    boolean related = wide(frame, bag);
    java.util.concurrent.FutureTask<Booster[][]> boosting = new java.util.concurrent.FutureTask<>(
        () -> n < boostRows
            ? new Booster[][] {
                boost(frame, cells, all, privacy, boostColumns, full, related, stop::get),
                refineLabel ? refine(frame, cells, all, privacy, full, stop::get) : null}
            : new Booster[][] {
                boost(frame, cells, all, privacy, pairColumns, Booster.PAIRS, related,
                    stop::get),
                null});
    Thread booster = new Thread(boosting, "ersatz-boost");
    booster.setDaemon(true);
    booster.start();
    Map<String, Object> tuning = new LinkedHashMap<>();
    Tree[][] trees;
    try {
      if (!nest && found != null && !Nesting.describe(frame, found).isEmpty()) {
        // not used, but named in the model so that fit and inspect can point at the option
        tuning.put(Nesting.FOUND_KEY, Nesting.describe(frame, found));
      }
      int leaf = chooseLeaf(real, frame, cells, privacy, fixedLeaf, alpha, tune, bag,
          nestings, rng.split("tune"), tuning, ctx);
      ctx.progress().update("fit", 0, 1);
      trees = buildAll(frame, cells, all, leaf, alpha, bag, nestings, pred, rng.split("grow"));
    } catch (RuntimeException | Error e) {
      stop.set(true);
      throw e;
    }
    Booster[][] fitted = await(boosting);
    Booster[] boosters = fitted[0];
    Booster[] refiners = fitted[1];
    Coupling[] couplings = null;
    if (n < rakeRows || n < coupleRows) {
      Coupling.Fitter coupler = n < coupleRows
          ? new Coupling.Fitter(frame, cells,
              frame.positions(real, cells, rng.split("positions")), boosters, pred)
          : null;
      couplings = Raking.simulate(frame, trees, boosters, RAKE_SIMULATED_ROWS,
          rng.split("rake"), n < rakeRows, coupler);
    }
    for (Tree[] members : trees) {
      for (Tree t : members) {
        t.quantize();
      }
    }
    ctx.progress().update("fit", 1, 1);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("k", privacy.k());
    params.put("min_leaf", fixedLeaf);
    params.put("smoothing", alpha);
    params.put("tune", tune ? 1 : 0);
    params.put("ensemble", bag.members());
    params.put("subsample", bag.subsample());
    params.put("features", bag.features());
    params.put("split_penalty", bag.splitPenalty());
    params.put("ordinal", bag.ordinal() ? 1 : 0);
    params.put("predictors", bag.predictors());
    params.put("boost_rows", boostRows);
    params.put("boost_columns", boostColumns);
    params.put("boost_folds", boostFolds);
    params.put("pair_columns", pairColumns);
    params.put("rake_rows", rakeRows);
    params.put("couple_rows", coupleRows);
    params.put("refine_first", refineFirst ? 1 : 0);
    params.put("nest", nest ? 1 : 0);
    if (target != null) {
      params.put("target", target);
    }
    return new TreesModel(frame, trees, boosters, couplings, refiners, nestings, tuning,
        ModelProvenance.now(NAME, params, ctx.source(), ctx.seed(), privacy.toJson()));
  }

  /**
   * The frame of a table under {@code boost_rows} rows with a declared target placed to be drawn
   * given every other column (ADR 19): a target in the first place stays there when it is
   * redrawn given the rest (ADR 12: a two-cell column, each cell held by at least k rows, with
   * {@code redrawn} on); any other goes last, where the booster of two-cell columns (ADR 8) or
   * the trees draw it. Measured (ADR 19): moving a first target last cost utility, moving a
   * middle one first gained less than moving it last, and on larger tables, whose last two-cell
   * column gets the pair tables (ADR 9), moving it last lost utility (insteval), so they keep
   * their order.
   */
  static Frame placeTarget(Frame inOrder, Table real, String target, PrivacySettings privacy,
      boolean redrawn) {
    Frame last = inOrder.moved(target, false);
    boolean first = inOrder.column(0).name().equals(target);
    int t = last.width() - 1;
    boolean stays = first && redrawn && last.width() > 1 && cellCounts(last)[t] == 2
        && boostable(last.encode(real)[t], IntStream.range(0, real.rowCount()).toArray(),
            privacy.k());
    return stays ? inOrder : last;
  }

  /** The base leaf size: fixed by option, the default, or chosen by the closeness check. */
  private static int chooseLeaf(Table real, Frame frame, int[][] cells, PrivacySettings privacy,
      int fixedLeaf, double alpha, boolean tune, Bagging bag, Nesting[] nestings,
      RandomSource rng, Map<String, Object> tuning, FitContext ctx) {
    int n = real.rowCount();
    int leaf;
    if (fixedLeaf > 0) {
      leaf = fixedLeaf;
      tuning.put("minLeaf", leaf);
      tuning.put("chosenBy", "option min_leaf");
    } else if (!tune || n < 1000) {
      leaf = minLeaf(FRACTIONS[START], n, privacy);
      tuning.put("minLeaf", leaf);
      tuning.put("chosenBy", n < 1000 ? "default (too few rows to hold any back)"
          : "default (tuning off)");
    } else {
      double frac = tune(real, frame, cells, privacy, alpha, rng, tuning, ctx, bag, nestings);
      leaf = minLeaf(frac, n, privacy);
      tuning.put("minLeafFraction", frac);
      tuning.put("minLeaf", leaf);
      tuning.put("chosenBy", "held-back DCR check");
    }
    return leaf;
  }

  /** The boosters, or the error that stopped their fit, as thrown. */
  private static Booster[][] await(java.util.concurrent.FutureTask<Booster[][]> task) {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fitting boosters", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  static Tree[][] buildAll(Frame frame, int[][] cells, int[] rows, int leaf, double alpha,
      Bagging bag, RandomSource rng) {
    return buildAll(frame, cells, rows, leaf, alpha, bag, null, rng);
  }

  /**
   * The trees of every column; a nested column's trees do not split on its parent (the
   * nesting brings the parent in, see {@link Nesting#draw}), null {@code nestings} for none.
   */
  static Tree[][] buildAll(Frame frame, int[][] cells, int[] rows, int leaf, double alpha,
      Bagging bag, Nesting[] nestings, RandomSource rng) {
    return buildAll(frame, cells, rows, leaf, alpha, bag, nestings,
        predictors(frame, cells, rows, bag, nestings), rng);
  }

  /**
   * Per modelled column, the earlier columns its trees may split on: all but a nested column's
   * parent, or on a table wider than {@code bag.predictors() + 1} columns at most that many,
   * related to it over {@code rows} ({@link Relevance}).
   */
  static int[][] predictors(Frame frame, int[][] cells, int[] rows, Bagging bag,
      Nesting[] nestings) {
    int d = frame.width();
    int[] card = cellCounts(frame);
    int[][] pred = new int[d][];
    // a table wider than the limit: every column keeps only the earlier columns related to it
    boolean wide = wide(frame, bag);
    IntStream.range(0, d).parallel().forEach(j -> {
      int parent = nestings == null || nestings[j] == null ? -1 : nestings[j].parent;
      int[] pool = IntStream.range(0, j).filter(p -> p != parent).toArray();
      pred[j] = wide ? Relevance.related(cells, card, rows, j, pool, bag.predictors()) : pool;
    });
    return pred;
  }

  /** Whether the table is wider than {@code bag.predictors() + 1} columns (a limit is set). */
  static boolean wide(Frame frame, Bagging bag) {
    return bag.predictors() > 0 && frame.width() > bag.predictors() + 1;
  }

  /** The trees of every column, each splitting on its columns of {@code pred}. */
  static Tree[][] buildAll(Frame frame, int[][] cells, int[] rows, int leaf, double alpha,
      Bagging bag, Nesting[] nestings, int[][] pred, RandomSource rng) {
    int d = frame.width();
    int[] card = cellCounts(frame);
    boolean[] ordered = orderedColumns(frame);
    double[][] score = new double[d][];
    for (int j = 0; j < d; j++) {
      score[j] = bag.ordinal() && ordered[j] ? scores(frame.codec(j).probabilities(),
          frame.codec(j).missingCell()) : null;
    }
    int members = bag.members();
    Tree[][] trees = new Tree[d][members];
    // row-major copy: a node gathers all of a row's cells from one cache line
    int n = cells.length == 0 ? 0 : cells[0].length;
    int[] rowMajor = new int[n * d];
    for (int j = 0; j < d; j++) {
      int[] c = cells[j];
      for (int r = 0; r < n; r++) {
        rowMajor[r * d + j] = c[r];
      }
    }
    // every (column, member) job has its own seed: the result does not depend on threads
    IntStream.range(0, d * members).parallel().forEach(job -> {
      int j = job / members;
      int b = job % members;
      RandomSource r = rng.split(job);
      int[] sub = rows;
      if (members > 1 && bag.subsample() < 1) {
        sub = rows.clone();
        int m = Math.max(1, (int) Math.round(bag.subsample() * rows.length));
        for (int i = 0; i < m; i++) {
          int x = i + r.nextInt(sub.length - i);
          int t = sub[i];
          sub[i] = sub[x];
          sub[x] = t;
        }
        sub = java.util.Arrays.copyOf(sub, m);
      }
      int colLeaf = columnLeaf(leaf, card[j], frame.privacy());
      int memberLeaf = members > 1 ? Math.max(2, (int) Math.round(colLeaf * bag.subsample()))
          : colLeaf;
      trees[j][b] = new TreeBuilder(cells, rowMajor, card, ordered, j, pred[j], memberLeaf, alpha,
          r, members > 1 ? bag.features() : 1.0, bag.splitPenalty(), score[j]).build(sub);
    });
    return trees;
  }

  /**
   * Whether both cells of a two-cell column hold at least {@code k} of the rows: a booster's
   * base rate would otherwise give a cell the rows never showed (a boolean that is always
   * true) a small chance, where the trees give it none.
   */
  static boolean boostable(int[] column, int[] rows, int k) {
    int ones = 0;
    for (int r : rows) {
      ones += column[r] == 1 ? 1 : 0;
    }
    return ones >= k && rows.length - ones >= k;
  }

  /** Each modelled column's number of cells. */
  static int[] cellCounts(Frame frame) {
    int[] card = new int[frame.width()];
    for (int j = 0; j < card.length; j++) {
      card[j] = frame.codec(j).cells();
    }
    return card;
  }

  /** Whether each modelled column's cells are ordered (numbers, dates). */
  static boolean[] orderedColumns(Frame frame) {
    boolean[] ordered = new boolean[frame.width()];
    for (int j = 0; j < ordered.length; j++) {
      ordered[j] = frame.codec(j).ordered();
    }
    return ordered;
  }

  /**
   * A booster for each of the last {@code max} two-cell columns after the first (columns in
   * parallel).
   */
  static Booster[] boost(Frame frame, int[][] cells, int[] rows, PrivacySettings privacy,
      int max, Booster.Shape shape, java.util.function.BooleanSupplier stop) {
    return boost(frame, cells, rows, privacy, max, shape, false, stop);
  }

  /**
   * As above; with {@code related}, each booster splits only on the earlier columns that
   * {@link Relevance} does not find unrelated to its column, however many.
   */
  static Booster[] boost(Frame frame, int[][] cells, int[] rows, PrivacySettings privacy,
      int max, Booster.Shape shape, boolean related, java.util.function.BooleanSupplier stop) {
    int d = frame.width();
    int[] card = cellCounts(frame);
    boolean[] ordered = orderedColumns(frame);
    Booster[] out = new Booster[d];
    int minLeaf = Math.max(Booster.MIN_LEAF, 2 * privacy.k());
    int[] chosen = IntStream.range(0, d - 1).map(i -> d - 1 - i)
        .filter(j -> card[j] == 2 && boostable(cells[j], rows, privacy.k())).limit(max).toArray();
    IntStream.of(chosen).parallel().forEach(j ->
        out[j] = !related ? Booster.fit(cells, card, ordered, j, rows, minLeaf, shape, stop)
            : Booster.fitOver(cells, card, ordered, j, Relevance.related(cells, card, rows, j,
                IntStream.range(0, j).toArray(), j), rows, minLeaf, shape, stop));
    return out;
  }

  /**
   * A booster given every other column for the first column when it has two cells, each held by
   * at least {@code k} rows, and is not the only column; else null. Indexed by column, so that
   * the model file and the sampler can take refiners for other columns too.
   */
  static Booster[] refine(Frame frame, int[][] cells, int[] rows, PrivacySettings privacy,
      Booster.Shape shape, java.util.function.BooleanSupplier stop) {
    int d = frame.width();
    int[] card = cellCounts(frame);
    if (d < 2 || card[0] != 2 || !boostable(cells[0], rows, privacy.k())) {
      return null;
    }
    Booster[] out = new Booster[d];
    out[0] = Booster.fitGivenAll(cells, card, orderedColumns(frame), 0, rows,
        Math.max(Booster.MIN_LEAF, 2 * privacy.k()), shape, stop);
    return out;
  }

  /**
   * Each cell's mid-rank in an ordered column's marginal, in [0, 1] (NaN for the missing cell):
   * the score whose variance ordered targets' splits also reduce.
   */
  static double[] scores(double[] probs, int missingCell) {
    double total = 0;
    for (int c = 0; c < probs.length; c++) {
      if (c != missingCell) {
        total += probs[c];
      }
    }
    double[] s = new double[probs.length];
    double below = 0;
    for (int c = 0; c < probs.length; c++) {
      if (c == missingCell) {
        s[c] = Double.NaN;
      } else {
        s[c] = total > 0 ? (below + probs[c] / 2) / total : 0.5;
        below += probs[c];
      }
    }
    return s;
  }

  /**
   * The leaf size for a column with {@code cells} cells: a draw from a leaf reveals at most
   * log2(cells) bits about the rows in it, so leaves of few-valued columns (a yes/no label) may
   * be smaller than those of many-valued ones at the same closeness to training rows. Scaled so
   * that {@code base} applies to a 16-cell column.
   */
  static int columnLeaf(int base, int cells, PrivacySettings privacy) {
    double bits = Math.log(Math.max(2, cells)) / Math.log(2);
    return Math.max(2 * privacy.k(), (int) Math.round(base * bits / LEAF_REFERENCE_BITS));
  }

  static final double LEAF_REFERENCE_BITS = 4;

  /** Held-back rows the closeness check should compare against, folds permitting. */
  static final int REFERENCE_ROWS = 2000;

  /**
   * One held-back split: the rows fitted on, the predictors chosen on them (the same for every
   * candidate leaf size), and features of reference rows on both sides.
   */
  private record Fold(int[] fitRows, int[][] pred, Proximity.Points trainF,
      Proximity.Points heldF) {}

  private static double tune(Table real, Frame frame, int[][] cells, PrivacySettings privacy,
      double alpha, RandomSource rng, Map<String, Object> tuning, FitContext ctx, Bagging bag,
      Nesting[] nestings) {
    int n = real.rowCount();
    int[] perm = IntStream.range(0, n).toArray();
    rng.split("holdout").shuffle(perm);
    int nHold = n / 5;
    int nRef = Math.min(nHold, 5000);
    // a small table gives few reference rows and a noisy share: average it over up to five
    // disjoint held-back folds, so that about REFERENCE_ROWS held-back rows are compared
    int folds = Math.min(5, Math.max(1, (int) Math.ceil(REFERENCE_ROWS / (double) nHold)));
    Proximity prox = new Proximity(frame, real);
    Fold[] fold = new Fold[folds];
    for (int f = 0; f < folds; f++) {
      int[] held = java.util.Arrays.copyOfRange(perm, f * nHold, (f + 1) * nHold);
      int[] fitRows = new int[n - nHold];
      System.arraycopy(perm, 0, fitRows, 0, f * nHold);
      System.arraycopy(perm, (f + 1) * nHold, fitRows, f * nHold, n - (f + 1) * nHold);
      int[] trainRef = java.util.Arrays.copyOfRange(fitRows, 0, nRef);
      int[] heldRef = java.util.Arrays.copyOfRange(held, 0, nRef);
      fold[f] = new Fold(fitRows, predictors(frame, cells, fitRows, bag, nestings),
          prox.features(Tables.select(real, trainRef), select(cells, trainRef)),
          prox.features(Tables.select(real, heldRef), select(cells, heldRef)));
    }
    int[] fitRows = fold[0].fitRows();
    int nSynth = Math.min(3000, Math.max(500, nHold));
    Map<String, Object> shares = new LinkedHashMap<>();
    double[] share = new double[FRACTIONS.length];
    java.util.Arrays.fill(share, Double.NaN);
    // one candidate's share, averaged over the folds; every candidate sees the same random
    // streams (common random numbers): the shares then differ by the leaf size, not by the luck
    // of each fit and sample
    int[] evaluations = {0};
    java.util.function.IntToDoubleFunction measure = leaf -> {
      double sum = 0;
      for (int f = 0; f < folds; f++) {
        long salt = 1000L * f;
        Tree[][] trees = buildAll(frame, cells, fold[f].fitRows(), leaf, alpha, bag, nestings,
            fold[f].pred(), rng.split(salt + 200));
        TreesModel m = new TreesModel(frame, trees, new Booster[trees.length], null, null,
            nestings, Map.of(), null);
        int[][] sc = new int[frame.width()][nSynth];
        int[] none = new int[frame.width()];
        java.util.Arrays.fill(none, -1);
        RandomSource srng = rng.split(salt + 100);
        m.sampleCells(nSynth, none, sc, null, srng.split(1));
        Table synth = frame.decode(nSynth, 0, sc, null, null, srng.split(2));
        Proximity.Points sf = prox.features(synth, sc);
        sum += prox.share(sf, fold[f].trainF(), fold[f].heldF());
      }
      double mean = sum / folds;
      shares.put(String.format(Locale.ROOT, "minLeaf=%d", leaf),
          Math.round(mean * 1000) / 1000.0);
      ctx.progress().update("tune", ++evaluations[0], 3);
      return mean;
    };
    int chosen = search(fitRows.length, privacy, share, measure);
    if (chosen < 0) {
      // no candidate reached the target (small or heavily duplicated tables, where the check is
      // noisy): the candidate measured closest to fresh data, not blindly the coarsest, which
      // loses the structure without being measurably safer
      chosen = lowest(share);
      tuning.put("note", "no candidate reached the target share; kept the lowest measured");
      // how far the split alone puts rows that know no joint: where this is above the target
      // too, the table's own draw, not the model, holds the share up
      double alone = 0;
      for (int f = 0; f < folds; f++) {
        int[] rows = fold[f].fitRows();
        Proximity.Points all = prox.features(Tables.select(real, rows), select(cells, rows));
        alone += prox.share(Proximity.columnsAlone(all, nSynth, rng.split(3000L + f)),
            fold[f].trainF(), fold[f].heldF());
      }
      tuning.put("dcrShareColumnsAlone", Math.round(alone / folds * 1000) / 1000.0);
    }
    tuning.put("heldBackRows", nHold);
    if (folds > 1) {
      tuning.put("heldBackFolds", folds);
    }
    tuning.put("syntheticRowsChecked", nSynth);
    tuning.put("targetShare", TARGET_SHARE);
    tuning.put("dcrShareByCandidate", shares);
    return FRACTIONS[chosen];
  }

  /**
   * The search for the smallest candidate leaf size whose share passes the target: the index into
   * {@link #FRACTIONS} chosen, or -1 when none measured passes. {@code share} (NaN where not
   * measured) is filled in; {@code measure} gives a leaf size's share and is called once per
   * distinct leaf size.
   *
   * <p>The finest candidate is measured first when its leaf size differs from {@link #START}'s:
   * large tables (census, 39,074 rows) pass there, and one candidate fitted instead of three
   * is a third of a census fit in a fresh JVM. Where it fails, a walk runs from {@code START}:
   * down while candidates pass, else up until one does, measuring at most five more leaf sizes.
   */
  static int search(int rows, PrivacySettings privacy, double[] share,
      java.util.function.IntToDoubleFunction measure) {
    int leaf0 = minLeaf(FRACTIONS[0], rows, privacy);
    if (leaf0 != minLeaf(FRACTIONS[START], rows, privacy)) {
      share[0] = measure.applyAsDouble(leaf0);
      if (share[0] <= TARGET_SHARE) {
        return 0;
      }
    }
    int chosen = -1;
    int i = START;
    int evaluations = 0;
    while (i >= 0 && i < FRACTIONS.length && evaluations < 5) {
      int same = sameLeaf(FRACTIONS, i, rows, privacy, share);
      if (same >= 0) {
        // on small tables several fractions give the same leaf size: measured already
        share[i] = share[same];
      } else {
        share[i] = measure.applyAsDouble(minLeaf(FRACTIONS[i], rows, privacy));
        evaluations++;
      }
      if (share[i] <= TARGET_SHARE) {
        chosen = i;
        if (i == 0 || !Double.isNaN(share[i - 1])) {
          break;
        }
        i--;
      } else {
        if (chosen >= 0) {
          break;
        }
        i++;
      }
    }
    return chosen;
  }

  /** An earlier measured fraction that gives the same leaf size as {@code FRACTIONS[i]}, or -1. */
  static int sameLeaf(double[] fractions, int i, int rows, PrivacySettings privacy,
      double[] share) {
    int leaf = minLeaf(fractions[i], rows, privacy);
    for (int j = 0; j < fractions.length; j++) {
      if (j != i && !Double.isNaN(share[j]) && minLeaf(fractions[j], rows, privacy) == leaf) {
        return j;
      }
    }
    return -1;
  }

  /** Index of the smallest measured share (the smallest index among equals). */
  static int lowest(double[] share) {
    int best = -1;
    for (int j = 0; j < share.length; j++) {
      if (!Double.isNaN(share[j]) && (best < 0 || share[j] < share[best])) {
        best = j;
      }
    }
    return best;
  }

  private static int[][] select(int[][] cells, int[] rows) {
    int[][] out = new int[cells.length][rows.length];
    for (int j = 0; j < cells.length; j++) {
      for (int r = 0; r < rows.length; r++) {
        out[j][r] = cells[j][rows[r]];
      }
    }
    return out;
  }

  @Override
  public FittedModel load(Schema schema, JsonMap parameters, ModelProvenance provenance) {
    Frame frame = Frame.fromJson(schema, parameters.obj("frame"));
    JsonMap m = parameters.obj("model");
    List<Object> ts = m.list("trees");
    if (ts.size() != frame.width()) {
      throw new ModelFormatException("model has " + ts.size() + " tree ensembles for "
          + frame.width() + " modelled columns");
    }
    Tree[][] trees = new Tree[ts.size()][];
    for (int j = 0; j < trees.length; j++) {
      if (!(ts.get(j) instanceof List<?> members) || members.isEmpty()) {
        throw new ModelFormatException("tree ensemble " + j + " is malformed");
      }
      trees[j] = new Tree[members.size()];
      for (int b = 0; b < members.size(); b++) {
        if (!(members.get(b) instanceof Map<?, ?> raw)) {
          throw new ModelFormatException("tree " + j + "/" + b + " is malformed");
        }
        @SuppressWarnings("unchecked")
        JsonMap tj = new JsonMap((Map<String, Object>) raw, "model.trees[" + j + "][" + b + "]");
        trees[j][b] = Tree.fromJson(tj);
        if (trees[j][b].classes != frame.codec(j).cells()) {
          throw new ModelFormatException("tree " + j + " predicts " + trees[j][b].classes
              + " cells but its column has " + frame.codec(j).cells());
        }
      }
    }
    Booster[] boosters = readBoosters(m, "boosters", "booster", frame, false);
    if (boosters == null) {
      boosters = new Booster[trees.length];
    }
    Coupling[] couplings = readSlots(m, "couplings", "coupling", trees.length, boosters,
        Coupling[]::new, (cj, j) -> Coupling.fromJson(cj, j, trees[j], frame));
    Booster[] refiners = readBoosters(m, "refiners", "refiner", frame, true);
    Nesting[] nestings = readSlots(m, "nestings", "nesting", trees.length, boosters,
        Nesting[]::new, (nj, j) -> Nesting.fromJson(nj, j, frame));
    return new TreesModel(frame, trees, boosters, couplings, refiners, nestings,
        m.obj("tuning").raw(), provenance);
  }

  /**
   * The per-column objects of model field {@code key} (a list with one slot per modelled column,
   * null where a column has none; a column with a booster may have none), or null when the
   * field is absent (older model files).
   */
  private static <T> T[] readSlots(JsonMap m, String key, String what, int d,
      Booster[] boosters, java.util.function.IntFunction<T[]> array,
      java.util.function.BiFunction<JsonMap, Integer, T> read) {
    if (!m.has(key)) {
      return null;
    }
    List<Object> slots = m.list(key);
    if (slots.size() != d) {
      throw new ModelFormatException("model has " + slots.size() + " " + what + " slots for "
          + d + " modelled columns");
    }
    T[] out = array.apply(d);
    for (int j = 0; j < d; j++) {
      Object raw = slots.get(j);
      if (raw == null) {
        continue;
      }
      if (!(raw instanceof Map<?, ?> map) || boosters[j] != null) {
        throw new ModelFormatException(what + " " + j + " is malformed");
      }
      @SuppressWarnings("unchecked")
      JsonMap jm = new JsonMap((Map<String, Object>) map, "model." + key + "[" + j + "]");
      out[j] = read.apply(jm, j);
    }
    return out;
  }

  /**
   * The boosters of model field {@code key}, one slot per modelled column (null where a column
   * has none), each for a two-cell column; null when the field is absent (older model files).
   * {@code givenAll}: boosters that may split on every other column ({@link
   * Booster#fitGivenAll}).
   */
  private static Booster[] readBoosters(JsonMap m, String key, String what, Frame frame,
      boolean givenAll) {
    if (!m.has(key)) {
      return null;
    }
    List<Object> bs = m.list(key);
    int d = frame.width();
    if (bs.size() != d) {
      throw new ModelFormatException("model has " + bs.size() + " " + what + " slots for "
          + d + " modelled columns");
    }
    int[] card = cellCounts(frame);
    Booster[] out = new Booster[d];
    for (int j = 0; j < d; j++) {
      Object b = bs.get(j);
      if (b == null) {
        continue;
      }
      if (!(b instanceof Map<?, ?> raw) || card[j] != 2) {
        throw new ModelFormatException(what + " " + j + " is malformed");
      }
      @SuppressWarnings("unchecked")
      JsonMap bj = new JsonMap((Map<String, Object>) raw, "model." + key + "[" + j + "]");
      out[j] = Booster.fromJson(bj, j, card, givenAll);
    }
    return out;
  }
}
