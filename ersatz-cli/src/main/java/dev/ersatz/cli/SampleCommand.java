package dev.ersatz.cli;

import dev.ersatz.core.ErsatzException;
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
import dev.ersatz.io.Sinks;
import dev.ersatz.provenance.Catalog;
import dev.ersatz.provenance.Hashes;
import dev.ersatz.provenance.Manifest;
import dev.ersatz.provenance.Manifests;
import dev.ersatz.provenance.SigningKey;
import dev.ersatz.provenance.Watermark;
import dev.ersatz.provenance.WatermarkKey;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ersatz sample}: stream synthetic rows from a model file into a CSV or Parquet file, then
 * write its signed manifest beside it ({@code OUT.manifest.json}) and record it in the lineage
 * catalog. The signing key is created on first use (see {@link Governance}). With {@code -o -}
 * the rows go to standard output as CSV, and there is no file to sign or record.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Sample synthetic rows from a model file into a CSV, Parquet or JSON file, "
        + "with a signed manifest beside it (OUT.manifest.json) recorded in the lineage catalog.")
public final class SampleCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "model file written by ersatz fit")
  Path model;

  @Option(names = {"-n", "--rows"}, required = true, description = "number of rows (>= 1)")
  long rows;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
      description = "output file: .csv, .tsv, .jsonl (JSON Lines) or .json (one array), each "
          + "optionally .gz, or .parquet; - for standard output (see --format; no manifest, "
          + "nothing recorded in the catalog)")
  Path output;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "with -o -: csv (default), tsv or jsonl; a file's format comes from its name")
  String format;

  /** How {@code -o -} is named in messages. */
  static final String STDOUT = "standard output";

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
          + " of their distances to the training rows (default: 20%% split off --reference)")
  Path gateHoldout;

  @Option(names = "--gate-threshold", paramLabel = "D",
      description = "fixed distance threshold instead of the holdout-based default")
  Double gateThreshold;

  @Option(names = "--gate-k", paramLabel = "K",
      description = "an exact copy of a training row passes the gate when at least K training "
          + "rows hold the same values (default: 5; 0 drops every copy)")
  Integer gateK;

  @Option(names = "--watermark", description = "embed a keyed statistical watermark in the rows "
      + "(detect it with: ersatz verify OUT --watermark); uses the key directory's "
      + "watermark.key, created on first use")
  boolean watermark;

  @Option(names = "--watermark-key", paramLabel = "FILE",
      description = "watermark key file to use instead of the key directory's")
  Path watermarkKey;

  @Option(names = "--no-sign", description = "write no manifest (and record nothing in the "
      + "catalog): the output cannot be verified later")
  boolean noSign;

  @Option(names = "--no-catalog", description = "do not record the output in the lineage catalog")
  boolean noCatalog;

  @Mixin
  Governance.KeyDirOption keys;

  @Mixin
  Governance.CatalogOption catalog;

  @Option(names = {"-q", "--quiet"}, description = "no progress bars")
  boolean quiet;

  @Override
  public Integer call() {
    boolean toStdout = isStdout(output);
    PrintWriter err = spec.commandLine().getErr();
    // with -o -, standard output carries the rows: every message goes to standard error
    PrintWriter out = toStdout ? err : spec.commandLine().getOut();
    if (watermarkKey != null && !watermark) {
      throw new UserInputException("--watermark-key goes with --watermark");
    }
    Sinks.StreamFormat streamFormat = streamFormat(format, output);
    FittedModel m = ModelFiles.read(model);
    // keys first: a missing or unusable key must fail before any sampling work
    SigningKey signer = noSign || toStdout ? null : Governance.signingKey(keys.dir(), err);
    WatermarkKey wk = watermark ? Governance.watermarkKey(watermarkKey, keys.dir(), err) : null;
    ReleaseGate gate = null;
    if (privacyGate) {
      gate = gate(m, reference, gateHoldout, gateThreshold,
          gateK == null ? ReleaseGate.DEFAULT_SHARED : gateK, seed);
    } else if (reference != null || gateHoldout != null || gateThreshold != null
        || gateK != null) {
      throw new UserInputException("--reference, --gate-holdout, --gate-threshold and --gate-k "
          + "go with --privacy-gate");
    }
    SampleToFile.Result r;
    try {
      r = run(m, rows, output, streamFormat, seed, where, rebalance, threads, quiet, gate,
          wk == null ? null : batch -> Watermark.embed(batch, wk));
    } catch (ErsatzException e) {
      if (e.getCause() instanceof ReaderGone) {
        // the reader of standard output stopped (| head): it has what it wanted
        return Main.OK;
      }
      throw e;
    }
    out.printf(Locale.ROOT, "wrote %s rows to %s in %.2f s (%s rows/s)%n",
        Console.count(r.rows()), toStdout ? STDOUT : r.file(), r.seconds(),
        Console.count((long) r.rowsPerSecond()));
    if (gate != null) {
      out.printf(Locale.ROOT, "privacy gate: checked %s rows, dropped %s (%s exact copies of "
          + "training rows, %s closer than %.4f, the %s)%n", Console.count(gate.checkedRows()),
          Console.count(gate.droppedRows()), Console.count(gate.droppedExactMatches()),
          Console.count(gate.droppedTooClose()), gate.threshold(), gate.thresholdSource());
      if (gate.passedSharedCopies() > 0) {
        out.printf(Locale.ROOT, "privacy gate: passed %s exact copies of values that at least %d"
            + " training rows share%n", Console.count(gate.passedSharedCopies()), gate.shared());
      }
    }
    if (wk != null) {
      out.println("watermark " + Watermark.SCHEME + " embedded with key " + wk.keyId());
    }
    if (signer != null) {
      manifest(m, r, gate, wk, signer, out, err);
    }
    out.flush();
    return Main.OK;
  }

  /** Writes the signed manifest beside the output and records it in the catalog. */
  private void manifest(FittedModel m, SampleToFile.Result r, ReleaseGate gate, WatermarkKey wk,
      SigningKey signer, PrintWriter out, PrintWriter err) {
    Path training = null;
    if (!noCatalog && catalog.exists()) {
      // the table the model was fitted on, so the manifest's chain reaches the real sources
      try (Catalog c = catalog.open()) {
        training = c.trainingFile(Manifests.modelId(Hashes.sha256(model))).orElse(null);
      } catch (ErsatzException e) {
        err.println("warning: lineage catalog not read: " + e.getMessage());
      }
    }
    Manifests.Builder b = Manifests.builder(output).provenance(m.provenance()).modelFile(model)
        .seed(seed).rows(r.rows()).outputSchema(m.schema()).sampling(samplingOptions(gate));
    if (training != null) {
      b.sourceFile(training);
    }
    Double eps = epsilonSpent(m.provenance().privacy());
    if (eps != null) {
      b.epsilonSpent(eps);
    }
    if (wk != null) {
      b.watermark(Watermark.SCHEME, wk.keyId());
    }
    Manifest man = b.build();
    Path mf = Manifests.write(output, man, signer);
    out.println("manifest " + mf + " (dataset " + man.id() + ", signed by key "
        + signer.keyId() + ")");
    if (!noCatalog) {
      catalog.record(c -> c.record(man, output), err);
    }
  }

  /** What, besides the seed, decided which rows were drawn. */
  private Map<String, Object> samplingOptions(ReleaseGate gate) {
    Map<String, Object> s = new LinkedHashMap<>();
    if (!where.isEmpty()) {
      s.put("where", new ArrayList<Object>(where));
    }
    if (rebalance != null) {
      s.put("rebalance", rebalance);
    }
    if (gate != null) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("threshold", gate.threshold());
      g.put("thresholdSource", gate.thresholdSource());
      g.put("droppedRows", gate.droppedRows());
      g.put("sharedCopiesPassAt", gate.shared());
      g.put("passedSharedCopies", gate.passedSharedCopies());
      s.put("privacyGate", g);
    }
    return s;
  }

  /** The epsilon spent, for a differentially private model; null otherwise. */
  static Double epsilonSpent(Map<String, Object> privacy) {
    return Boolean.TRUE.equals(privacy.get("dp")) && privacy.get("epsilon") instanceof Number n
        ? n.doubleValue() : null;
  }

  /** Builds the release gate from the real training table, read with the model's schema. */
  static ReleaseGate gate(FittedModel m, Path reference, Path holdout, Double threshold,
      int shared, long seed) {
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
      return ReleaseGate.of(ref, hold, seed, threshold == null ? Double.NaN : threshold, shared);
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
    return run(m, rows, output, Sinks.StreamFormat.CSV, seed, where, rebalance, threads, quiet,
        gate, null);
  }

  /**
   * The format of {@code -o -} from {@code --format} (CSV when not given); {@code --format} with
   * a file is refused, since the file's name sets its format.
   */
  static Sinks.StreamFormat streamFormat(String format, Path output) {
    if (format == null) {
      return Sinks.StreamFormat.CSV;
    }
    if (!isStdout(output)) {
      throw new UserInputException("--format is for -o - (standard output); the format of "
          + output.getFileName() + " comes from its name: end it in .csv, .tsv, .jsonl, .json "
          + "(optionally .gz) or .parquet");
    }
    try {
      return Sinks.StreamFormat.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserInputException("unknown --format " + format + " for standard output; use "
          + "csv, tsv or jsonl");
    }
  }

  static SampleToFile.Result run(FittedModel m, long rows, Path output,
      Sinks.StreamFormat streamFormat, long seed, List<String> where, String rebalance,
      Integer threads, boolean quiet, ReleaseGate gate, SampleToFile.BatchTransform transform) {
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
    if (transform != null) {
      job.transform(transform);
    }
    job.validate();
    try (Console.Bar bar = Console.bar("sample", quiet || rows < 1_000_000)) {
      job.progress(bar);
      return isStdout(output)
          ? job.writeTo(new StdoutStream(System.out), STDOUT, streamFormat)
          : job.writeTo(output);
    }
  }

  /** Whether {@code -o} names standard output ({@code -}). */
  static boolean isStdout(Path output) {
    return output != null && output.toString().equals("-");
  }

  /** Standard output stopped taking bytes: its reader has gone (a closed pipe). */
  static final class ReaderGone extends IOException {
    private static final long serialVersionUID = 1L;

    ReaderGone() {
      super("the reader of standard output has gone");
    }
  }

  /**
   * {@link System#out} as a stream that fails when its reader has gone: a {@link PrintStream}
   * swallows write errors, so without this check a {@code sample -n 100000000 -o - | head}
   * would draw every row after {@code head} has exited.
   */
  private static final class StdoutStream extends OutputStream {
    private final PrintStream ps;

    StdoutStream(PrintStream ps) {
      this.ps = ps;
    }

    @Override
    public void write(int b) throws IOException {
      ps.write(b);
      check();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ps.write(b, off, len);
      check();
    }

    @Override
    public void flush() throws IOException {
      check();
    }

    private void check() throws IOException {
      if (ps.checkError()) {
        throw new ReaderGone();
      }
    }
  }
}
