package dev.ersatz.cli;

import dev.ersatz.core.spi.Condition;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.table.Table;
import dev.ersatz.eval.privacy.ReleaseGate;
import dev.ersatz.io.Metadata;
import dev.ersatz.io.ModelFiles;
import dev.ersatz.io.ReadOptions;
import dev.ersatz.io.TableReader;
import dev.ersatz.io.SampleToFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ersatz sample}: stream synthetic rows from a model file into a CSV or Parquet file. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Sample synthetic rows from a model file into a CSV or Parquet file.")
public final class SampleCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "model file written by ersatz fit")
  Path model;

  @Option(names = {"-n", "--rows"}, required = true, description = "number of rows (>= 1)")
  long rows;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
      description = "output file: .csv, .csv.gz, .tsv or .parquet")
  Path output;

  @Option(names = "--seed", defaultValue = "42", description = "seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--where", paramLabel = "COL=VALUE",
      description = "only rows with this value (repeatable); drawn from the model's "
          + "conditional distribution")
  List<String> where = new ArrayList<>();

  @Option(names = "--rebalance", paramLabel = "COL",
      description = "draw this column's categories uniformly (rare-class upsampling)")
  String rebalance;

  @Option(names = "--threads", description = "worker threads (default: all cores)")
  Integer threads;

  @Option(names = "--privacy-gate", description = "drop rows that copy or come too close to a "
      + "real training row (needs --reference); still delivers -n rows")
  boolean privacyGate;

  @Option(names = "--reference", paramLabel = "TRAIN",
      description = "the real training table, for --privacy-gate")
  Path reference;

  @Option(names = "--gate-holdout", paramLabel = "HOLDOUT",
      description = "real rows not used for training; the gate's threshold is the 5th percentile"
          + " of their distances to the training rows (default: 20% split off --reference)")
  Path gateHoldout;

  @Option(names = "--gate-threshold", paramLabel = "D",
      description = "fixed distance threshold instead of the holdout-based default")
  Double gateThreshold;

  @Option(names = {"-q", "--quiet"}, description = "no progress bars")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    FittedModel m = ModelFiles.read(model);
    ReleaseGate gate = null;
    if (privacyGate) {
      gate = gate(m, reference, gateHoldout, gateThreshold, seed);
    } else if (reference != null || gateHoldout != null || gateThreshold != null) {
      throw new UserInputException("--reference, --gate-holdout and --gate-threshold go with "
          + "--privacy-gate");
    }
    SampleToFile.Result r = run(m, rows, output, seed, where, rebalance, threads, quiet, gate);
    out.printf(Locale.ROOT, "wrote %s rows to %s in %.2f s (%s rows/s)%n",
        Console.count(r.rows()), r.file(), r.seconds(),
        Console.count((long) r.rowsPerSecond()));
    if (gate != null) {
      out.printf(Locale.ROOT, "privacy gate: checked %s rows, dropped %s (%s exact copies of "
          + "training rows, %s closer than %.4f, the %s)%n", Console.count(gate.checkedRows()),
          Console.count(gate.droppedRows()), Console.count(gate.droppedExactMatches()),
          Console.count(gate.droppedTooClose()), gate.threshold(), gate.thresholdSource());
    }
    out.flush();
    return Main.OK;
  }

  /** Builds the release gate from the real training table, read with the model's schema. */
  static ReleaseGate gate(FittedModel m, Path reference, Path holdout, Double threshold,
      long seed) {
    if (reference == null) {
      throw new UserInputException("--privacy-gate needs the real training table: add "
          + "--reference train.csv");
    }
    Path meta;
    try {
      meta = java.nio.file.Files.createTempFile("ersatz-gate", ".metadata.json");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try {
      Metadata.of(m.schema()).write(meta);
      Table ref = TableReader.read(reference, new ReadOptions(meta, 0)).table();
      Table hold = holdout == null ? null
          : TableReader.read(holdout, new ReadOptions(meta, 0)).table();
      return threshold == null ? ReleaseGate.of(ref, hold, seed)
          : ReleaseGate.of(ref, hold, seed, threshold);
    } finally {
      try {
        java.nio.file.Files.deleteIfExists(meta);
      } catch (java.io.IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }

  static SampleToFile.Result run(FittedModel m, long rows, Path output, long seed,
      List<String> where, String rebalance, Integer threads, boolean quiet) {
    return run(m, rows, output, seed, where, rebalance, threads, quiet, null);
  }

  static SampleToFile.Result run(FittedModel m, long rows, Path output, long seed,
      List<String> where, String rebalance, Integer threads, boolean quiet, ReleaseGate gate) {
    List<Condition.Clause> clauses = new ArrayList<>();
    for (String w : where) {
      clauses.add(Condition.parseClause(w));
    }
    SampleToFile job = SampleToFile.of(m).rows(rows).seed(seed).where(new Condition(clauses));
    if (rebalance != null) {
      job.rebalance(rebalance);
    }
    if (threads != null) {
      job.threads(threads);
    }
    if (gate != null) {
      job.filter(gate::filter);
    }
    job.validate();
    try (Console.Bar bar = Console.bar("sample", quiet || rows < 1_000_000)) {
      return job.progress(bar).writeTo(output);
    }
  }
}
