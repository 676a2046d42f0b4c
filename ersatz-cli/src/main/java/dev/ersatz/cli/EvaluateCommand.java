package dev.ersatz.cli;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.table.Table;
import dev.ersatz.eval.Aligned;
import dev.ersatz.eval.Evaluation;
import dev.ersatz.eval.EvaluationReport;
import dev.ersatz.eval.Gates;
import dev.ersatz.eval.report.ReportWriter;
import dev.ersatz.io.Metadata;
import dev.ersatz.io.ReadOptions;
import dev.ersatz.io.ReadResult;
import dev.ersatz.io.TableReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ersatz evaluate}: fidelity, utility, detection and privacy of a synthetic table against
 * the real one (and a real holdout), as report.json and a self-contained report.html; gates make
 * it a CI check.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Judge a synthetic table against real data: fidelity, train-synthetic-test-real"
        + " utility, detection, privacy. Writes report.json and report.html.")
public final class EvaluateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--real", required = true, paramLabel = "FILE",
      description = "real training table (decides the compared columns)")
  Path real;

  @Option(names = "--synthetic", required = true, paramLabel = "FILE")
  Path synthetic;

  @Option(names = "--holdout", paramLabel = "FILE",
      description = "real rows the generator never saw: the ceiling, the TSTR test set, DCR")
  Path holdout;

  @Option(names = "--target", paramLabel = "COL", description = "label column for TSTR/TRTR")
  String target;

  @Option(names = "--positive", paramLabel = "VALUE", description = "positive class of the target")
  String positive;

  @Option(names = {"-m", "--metadata"}, paramLabel = "META",
      description = "Ersatz metadata file (column types for reading all three tables), or the "
          + "shared scorer's {\"columns\": {name: {\"sdtype\": ...}}} file")
  Path metadata;

  @Option(names = "--fail-under", paramLabel = "SPEC",
      description = "gates, e.g. quality=0.95,tstr_ratio=0.95,dcr_share_excess=0.02 (dcr_share, "
          + "dcr_share_excess, detection_auc, exact_match, mia_auc, tstr_mae are upper "
          + "bounds); exit 1 if any fails")
  String failUnder;

  @Option(names = "--seed", defaultValue = "0")
  long seed;

  @Option(names = "--threads", description = "threads for nearest-neighbour searches")
  Integer threads;

  @Option(names = "--no-utility", description = "skip train-synthetic-test-real")
  boolean noUtility;

  @Option(names = "--no-detection", description = "skip the real-vs-synthetic classifier")
  boolean noDetection;

  @Option(names = "--no-privacy", description = "skip distances and the membership attack")
  boolean noPrivacy;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
      description = "report directory")
  Path output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Gates gates = failUnder == null ? Gates.none() : Gates.parse(failUnder);
    if (Files.exists(output) && !Files.isDirectory(output)) {
      // checked before the evaluation, which may take minutes, not after it
      throw new UserInputException("cannot write the report into " + output + ": it is a file;"
          + " -o names a folder (created if missing), e.g. " + output + "-report");
    }
    Path ersatzMeta = null;
    Map<String, Object> scorerMeta = null;
    if (metadata != null) {
      String text = read(metadata);
      JsonMap j;
      try {
        j = Json.parseObject(text);
      } catch (Json.JsonException e) {
        throw new UserInputException(metadata + " is not valid JSON: " + e.getMessage());
      }
      // Ersatz's format lists its columns ("format" may be left out); SDV's keys them by name
      if ("ersatz-metadata".equals(j.str("format", ""))
          || j.raw().get("columns") instanceof java.util.List) {
        ersatzMeta = metadata;
      } else {
        scorerMeta = j.raw();
      }
    }
    ReadResult r = TableReader.read(real, new ReadOptions(ersatzMeta, 0));
    Path schemaMeta = ersatzMeta;
    try {
      if (schemaMeta == null) {
        // read the other tables with the real table's schema, so types agree
        schemaMeta = Files.createTempFile("ersatz-eval", ".metadata.json");
        Metadata.of(r.table().schema()).write(schemaMeta);
      }
      boolean own = schemaMeta.equals(ersatzMeta);
      Table s = readLike(synthetic, schemaMeta, own, err);
      Table h = holdout == null ? null : readLike(holdout, schemaMeta, own, err);
      Evaluation.Builder b = Evaluation.builder().real(r.table()).synthetic(s).seed(seed)
          .gates(gates).utility(!noUtility).detection(!noDetection).privacy(!noPrivacy);
      if (h != null) {
        b.holdout(h);
      }
      String tgt = target;
      String pos = positive;
      if (scorerMeta != null) {
        b.kinds(Aligned.kindsFromMetadata(scorerMeta));
        if (tgt == null && scorerMeta.get("target") instanceof String t) {
          tgt = t;
        }
        if (pos == null && scorerMeta.get("positive") != null) {
          pos = String.valueOf(scorerMeta.get("positive"));
        }
      }
      if (tgt != null) {
        b.target(tgt);
      }
      if (pos != null) {
        b.positive(pos);
      }
      if (threads != null) {
        b.threads(threads);
      }
      EvaluationReport report = b.build().run();
      ReportWriter.write(report, output);
      for (String w : report.warnings()) {
        err.println("warning: " + w);
      }
      for (String n : report.notes()) {
        err.println("note: " + n);
      }
      summary(report.headline(), report.detection() != null && report.detection().belowChance(),
          out);
      out.println("report: " + output.resolve("report.html"));
      cardReport(output.resolve("report.json"), synthetic, out);
      out.flush();
      List<String> failed = gates.check(report);
      for (String f : failed) {
        err.println("FAILED " + f);
      }
      err.flush();
      return failed.isEmpty() ? Main.OK : Main.CHECK_FAILED;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (schemaMeta != null && !schemaMeta.equals(ersatzMeta)) {
        try {
          Files.deleteIfExists(schemaMeta);
        } catch (IOException ignored) {
          // a leftover temp file in the temp directory is harmless
        }
      }
    }
  }

  /**
   * When the synthetic table is an Ersatz output (its manifest beside it), puts a copy of the
   * JSON report beside it too, where {@code ersatz card} looks for its evaluation summary.
   */
  static void cardReport(Path reportJson, Path synthetic, PrintWriter out) throws IOException {
    if (Files.exists(dev.ersatz.provenance.Manifests.manifestPath(synthetic))
        && Files.exists(reportJson)) {
      Path beside = synthetic.resolveSibling(synthetic.getFileName() + ".report.json");
      Files.copy(reportJson, beside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      out.println("report for its dataset card (ersatz card): " + beside);
    }
  }

  /**
   * Reads {@code file} with the real table's types ({@code meta}: the user's metadata file when
   * {@code own}, else a temporary file written from the real table's schema, whose name means
   * nothing to the user and is not shown).
   */
  private static Table readLike(Path file, Path meta, boolean own, PrintWriter err) {
    try {
      return TableReader.read(file, new ReadOptions(meta, 0)).table();
    } catch (UserInputException e) {
      if (!java.nio.file.Files.exists(file)) {
        throw e;
      }
      // the file does not fit the real table's types: read it on its own and let the
      // evaluation align (and report) the differences
      String why = own ? e.getMessage() : e.getMessage().replace("metadata file "
          + meta.getFileName(), "the real table");
      err.println("note: " + file.getFileName() + " does not fit the real table's column types ("
          + why + "); reading it with its own inferred types");
      return TableReader.read(file, ReadOptions.defaults()).table();
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserInputException("cannot read " + p + ": " + e.getMessage());
    }
  }

  static void summary(Map<String, Double> h, boolean detectionBelowChance, PrintWriter out) {
    out.printf(Locale.ROOT, "quality %s (holdout %s) | shapes %s | pair trends %s%n",
        f(h.get("quality")), f(h.get("quality_ceiling")), f(h.get("column_shapes")),
        f(h.get("column_pair_trends")));
    if (h.containsKey("tstr_ratio")) {
      out.printf(Locale.ROOT, "TSTR auc %s vs TRTR %s (ratio %s)%n", f(h.get("tstr_auc")),
          f(h.get("trtr_auc")), f(h.get("tstr_ratio")));
    }
    if (h.containsKey("detection_auc")) {
      out.printf(Locale.ROOT, "detection AUC %s (%s)%n", f(h.get("detection_auc")),
          detectionBelowChance ? "below chance: closeness to the real rows, see the note"
              : "0.5 = indistinguishable");
    }
    if (h.containsKey("dcr_share") || h.containsKey("exact_match")) {
      String given = h.containsKey("dcr_share_marginals_given_target")
          ? ", within the target's class " + f(h.get("dcr_share_marginals_given_target")) : "";
      out.printf(Locale.ROOT,
          "exact copies %s (holdout %s) | DCR share %s (columns alone %s%s) | membership AUC "
              + "%s%n",
          f(h.get("exact_match")), f(h.get("exact_match_baseline")), f(h.get("dcr_share")),
          f(h.get("dcr_share_marginals")), given, f(h.get("mia_auc")));
    }
  }

  private static String f(Double d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
  }
}
