package dev.ersatz.cli;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.Synthesizer;
import dev.ersatz.core.spi.SynthesizerProvider;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.spi.Synthesizers;
import dev.ersatz.io.AtomicFiles;
import dev.ersatz.io.Metadata;
import dev.ersatz.io.ModelFiles;
import dev.ersatz.io.ReadOptions;
import dev.ersatz.io.ReadResult;
import dev.ersatz.io.TableReader;
import dev.ersatz.models.trees.TreesProvider;
import dev.ersatz.privacy.mst.DpSynthesizerProvider;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ersatz fit}: learn a model from a real table and write a model file. */
@Command(name = "fit", mixinStandardHelpOptions = true,
    description = "Learn a generative model from a CSV, Parquet or JSON table and write a "
        + "model file.")
public final class FitCommand implements Callable<Integer> {
  /** The generator users get when they do not choose one. */
  public static final String DEFAULT_GENERATOR = "trees";

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DATA", description = "real table (.csv, .csv.gz, .tsv, .parquet, .json, .jsonl)")
  Path data;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "MODEL",
      description = "model file to write, e.g. model.ersatz")
  Path output;

  @Option(names = {"-g", "--generator"}, defaultValue = DEFAULT_GENERATOR,
      description = "generator: trees (default), copula, independent, dp (differentially "
          + "private; needs --epsilon) (see: ersatz generators)")
  String generator;

  @Option(names = "--seed", defaultValue = "42", description = "seed of every random choice "
      + "(default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = {"-m", "--metadata"}, paramLabel = "META",
      description = "metadata JSON overriding inferred column types, Ersatz's (see: ersatz "
          + "profile) or SDV's single-table format; its \"target\" is drawn given every other "
          + "column")
  Path metadata;

  @Option(names = {"-O", "--option"}, paramLabel = "KEY=VALUE",
      description = "generator option, e.g. -O k=10 (repeatable)")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = {"-q", "--quiet"}, description = "no progress bars")
  boolean quiet;

  @Option(names = "--no-catalog", description = "do not record the model and its training "
      + "table in the lineage catalog")
  boolean noCatalog;

  @picocli.CommandLine.Mixin
  Governance.CatalogOption catalog;

  @Option(names = "--epsilon", paramLabel = "E", description = "differential privacy: the "
      + "epsilon this fit spends (required with --generator dp, e.g. 1)")
  Double epsilon;

  @Option(names = "--delta", paramLabel = "D", description = "differential privacy: delta "
      + "(with --generator dp; default 1e-6)")
  Double delta;

  @Option(names = "--budget", paramLabel = "B", description = "differential privacy: set this "
      + "dataset's total epsilon in the ledger before spending (with --generator dp; without "
      + "it the stored total, or 3, applies)")
  Double budget;

  @picocli.CommandLine.Mixin
  Ledgers.LedgerOption ledger;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // a wrong output path fails now, not after a fit that may take minutes
    AtomicFiles.requireParent(output);
    if (!noCatalog) {
      // while the input is read on one core (sample does not: its threads use every core)
      catalog.warmUp();
    }
    boolean dp = DpSynthesizerProvider.NAME.equals(generator);
    if (!dp && (epsilon != null || delta != null || budget != null || ledger.given())) {
      throw new UserInputException("--epsilon, --delta, --budget, --ledger and --ledger-url "
          + "apply to the differentially private generator only: add --generator dp (the "
          + "generator " + generator + " is not differentially private)");
    }
    if (dp) {
      return DpFit.run(this, out, err);
    }
    FittedModel model = fit(data, metadata, generator, options, seed, quiet, err);
    ModelFiles.write(output, model);
    out.printf(Locale.ROOT, "wrote %s (%s)%n", output, Console.bytes(size(output)));
    out.println("note: a model file holds statistics of the real data; share it only as you "
        + "would share the data itself");
    String nested = nestedFound(model);
    if (nested != null) {
      out.println("note: nested categories found (" + nested + "); fit with -O nest=1 to draw "
          + "each among the pairs real rows hold (docs/generators.md)");
    }
    if (!noCatalog) {
      catalog.record(c -> c.recordModel(output, model.provenance(), data), err);
    }
    out.flush();
    return Main.OK;
  }

  static long size(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  /** Reads, fits and reports; shared with the demo. */
  static FittedModel fit(Path data, Path metadata, String generator, Map<String, String> options,
      long seed, boolean quiet, PrintWriter err) {
    SynthesizerProvider provider = Synthesizers.get(generator);
    var synthesizer = provider.create(withTarget(options, metadata, generator));
    ReadResult rr = read(data, metadata, err);
    FittedModel model = fit(synthesizer, rr, generator, seed, quiet, err);
    warnTooFewValues(rr.table(), options, err);
    return model;
  }

  /**
   * The options plus {@code target}, for the sequential {@code trees} generator, when the
   * metadata file names a target and the options do not: the column is then modelled last,
   * drawn given every other one (docs/generators.md). The other generators do not depend on the
   * columns' order.
   */
  static Map<String, String> withTarget(Map<String, String> options, Path metadata,
      String generator) {
    if (metadata == null || !TreesProvider.NAME.equals(generator)
        || options.containsKey("target")) {
      return options;
    }
    String target = Metadata.read(metadata).target();
    if (target == null) {
      return options;
    }
    Map<String, String> out = new LinkedHashMap<>(options);
    out.put("target", target);
    return out;
  }

  /**
   * Names the numeric and date columns with fewer than {@code 2k} values (k: the generators'
   * privacy option, 5 unless set) none of which k rows share: the model keeps none of them, so
   * they come out empty, which would otherwise surprise.
   */
  static void warnTooFewValues(Table t, Map<String, String> options, PrintWriter err) {
    int k;
    try {
      k = Integer.parseInt(options.getOrDefault("k", "5"));
    } catch (NumberFormatException e) {
      return;
    }
    for (int i = 0; i < t.schema().size() && k > 1; i++) {
      Column c = t.schema().column(i);
      if (c.type().modelled() && t.column(i) instanceof ColumnData.Numbers n) {
        double[] v = new double[n.size()];
        int m = 0;
        for (int r = 0; r < n.size(); r++) {
          if (!Double.isNaN(n.get(r))) {
            v[m++] = n.get(r);
          }
        }
        // a value that k rows share is kept (see NumericCodec), so such a column is not empty
        java.util.Arrays.sort(v, 0, m);
        int best = 0;
        for (int a = 0, b; a < m; a = b) {
          for (b = a; b < m && v[b] == v[a]; b++) {
            // the run of v[a]
          }
          best = Math.max(best, b - a);
        }
        if (m > 0 && m < 2 * k && best < k) {
          err.printf(Locale.ROOT, "warning: column '%s' has only %d value%s; fewer than %d (2k,"
              + " k = %d) would single out rows, so the model keeps none and the column comes"
              + " out empty%n", c.name(), m, m == 1 ? "" : "s", 2 * k, k);
        }
      }
    }
    err.flush();
  }

  /** Reads the table, printing the reader's warnings. */
  static ReadResult read(Path data, Path metadata, PrintWriter err) {
    ReadResult rr = TableReader.read(data, new ReadOptions(metadata, 0));
    for (String w : rr.warnings()) {
      err.println("warning: " + w);
    }
    return rr;
  }

  /** Fits a read table and reports the time. */
  static FittedModel fit(Synthesizer synthesizer, ReadResult rr, String generator, long seed,
      boolean quiet, PrintWriter err) {
    long t0 = System.nanoTime();
    FittedModel model;
    try (Console.Bar bar = Console.bar("fit " + generator, quiet)) {
      model = synthesizer.fit(rr.table(), new FitContext(seed, bar, rr.source()));
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    err.printf(Locale.ROOT, "fitted %s on %s rows x %d columns in %.2f s (seed %d)%n",
        generator, Console.count(rr.table().rowCount()), rr.table().schema().size(), secs, seed);
    err.flush();
    return model;
  }

  /**
   * The nested categories a trees fit found but did not use ({@code nest=0}), as its tuning
   * record names them (column names only), or null.
   */
  static String nestedFound(FittedModel model) {
    if (!(model.parameters().get("model") instanceof java.util.Map<?, ?> m)
        || !(m.get("tuning") instanceof java.util.Map<?, ?> t)) {
      return null;
    }
    Object found = t.get("nestedCategoriesFound");
    return found instanceof String f && !f.isEmpty() ? f : null;
  }
}
