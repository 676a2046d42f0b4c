package dev.ersatz.cli;

import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.SynthesizerProvider;
import dev.ersatz.core.spi.Synthesizers;
import dev.ersatz.io.ModelFiles;
import dev.ersatz.io.ReadOptions;
import dev.ersatz.io.ReadResult;
import dev.ersatz.io.TableReader;
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
    description = "Learn a generative model from a CSV or Parquet table and write a model file.")
public final class FitCommand implements Callable<Integer> {
  /** The generator users get when they do not choose one. */
  public static final String DEFAULT_GENERATOR = "trees";

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DATA", description = "real table (.csv, .csv.gz, .parquet)")
  Path data;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "MODEL",
      description = "model file to write, e.g. model.ersatz")
  Path output;

  @Option(names = {"-g", "--generator"}, defaultValue = DEFAULT_GENERATOR,
      description = "generator: trees (default), copula, independent (see: ersatz generators)")
  String generator;

  @Option(names = "--seed", defaultValue = "42", description = "seed of every random choice "
      + "(default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = {"-m", "--metadata"}, paramLabel = "META",
      description = "metadata JSON overriding inferred column types (see: ersatz profile)")
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

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    FittedModel model = fit(data, metadata, generator, options, seed, quiet, err);
    ModelFiles.write(output, model);
    out.printf(Locale.ROOT, "wrote %s (%s)%n", output, Console.bytes(size(output)));
    out.println("note: a model file holds statistics of the real data; share it only as you "
        + "would share the data itself");
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
    var synthesizer = provider.create(options);
    ReadResult rr = TableReader.read(data, new ReadOptions(metadata, 0));
    for (String w : rr.warnings()) {
      err.println("warning: " + w);
    }
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
}
