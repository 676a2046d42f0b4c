package dev.ersatz.cli;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.io.ModelFiles;
import dev.ersatz.io.ReadOptions;
import dev.ersatz.io.TableReader;
import dev.ersatz.provenance.Cards;
import dev.ersatz.provenance.Hashes;
import dev.ersatz.provenance.Manifest;
import dev.ersatz.provenance.Manifests;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ersatz card}: a Markdown dataset card and a Croissant JSON-LD description of a
 * synthetic output, from its manifest and, when there is one, its evaluation report.
 */
@Command(name = "card", mixinStandardHelpOptions = true,
    description = "Write a dataset card (OUTPUT.card.md) and a Croissant description "
        + "(OUTPUT.croissant.json) for a synthetic output: how it was made, intended use, "
        + "privacy guarantees, evaluation summary.")
public final class CardCommand implements Callable<Integer> {
  /** Rows read to infer column types when the model file is not at hand. */
  static final int TYPE_ROWS = 10_000;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "OUTPUT",
      description = "a synthetic output of ersatz sample (its manifest beside it)")
  Path output;

  @Option(names = "--report", paramLabel = "REPORT_JSON",
      description = "evaluation report to summarise (default: OUTPUT.report.json, which "
          + "ersatz evaluate writes beside the synthetic file, or report.json beside it)")
  Path report;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isRegularFile(output)) {
      throw new UserInputException("no such file: " + output);
    }
    if (!Files.exists(Manifests.manifestPath(output))) {
      throw new UserInputException("no manifest beside " + output + " ("
          + Manifests.manifestPath(output).getFileName() + "); cards describe outputs of "
          + "ersatz sample, which writes it");
    }
    if (report != null && !Files.isRegularFile(report)) {
      throw new UserInputException("no such report: " + report + "; write one with ersatz "
          + "evaluate");
    }
    Cards.Written w = Cards.write(output, schema(output, Manifests.read(output)), report);
    out.println("wrote " + w.markdown() + " and " + w.croissant());
    out.flush();
    return Main.OK;
  }

  /** The model's schema when its file is still at the recorded path, else inferred types. */
  static Schema schema(Path output, Manifest m) {
    if (m.model() != null && !m.model().path().isEmpty()) {
      Path mf = output.toAbsolutePath().getParent().resolve(m.model().path()).normalize();
      if (Files.isRegularFile(mf) && Hashes.sha256(mf).equals(m.model().sha256())) {
        try {
          return ModelFiles.read(mf).schema();
        } catch (ErsatzException e) {
          // an unreadable model is no reason to fail the card: infer the types instead
        }
      }
    }
    return TableReader.read(output, new ReadOptions(null, TYPE_ROWS)).table().schema();
  }
}
