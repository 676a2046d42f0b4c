package dev.ersatz.cli;

import dev.ersatz.core.spi.Condition;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.io.ModelFiles;
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

  @Option(names = {"-q", "--quiet"}, description = "no progress bars")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    FittedModel m = ModelFiles.read(model);
    SampleToFile.Result r = run(m, rows, output, seed, where, rebalance, threads, quiet);
    out.printf(Locale.ROOT, "wrote %s rows to %s in %.2f s (%s rows/s)%n",
        Console.count(r.rows()), r.file(), r.seconds(),
        Console.count((long) r.rowsPerSecond()));
    out.flush();
    return Main.OK;
  }

  static SampleToFile.Result run(FittedModel m, long rows, Path output, long seed,
      List<String> where, String rebalance, Integer threads, boolean quiet) {
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
    job.validate();
    try (Console.Bar bar = Console.bar("sample", quiet || rows < 1_000_000)) {
      return job.progress(bar).writeTo(output);
    }
  }
}
