package dev.ersatz.cli;

import dev.ersatz.core.UserInputException;
import dev.ersatz.provenance.Catalog;
import dev.ersatz.provenance.Lineage;
import dev.ersatz.provenance.LineageGraph;
import dev.ersatz.provenance.Manifests;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ersatz lineage}: the graph of a dataset or model up to its real sources, from the
 * lineage catalog (or, without one, from the file's own manifest), as a text tree or W3C
 * PROV-JSON.
 */
@Command(name = "lineage", mixinStandardHelpOptions = true,
    description = "Print where a dataset or model came from, up to the real sources: as a "
        + "tree, or as W3C PROV-JSON.")
public final class LineageCommand implements Callable<Integer> {
  /** Output formats. */
  enum Format { text, prov_json }

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE|ID",
      description = "a file (synthetic output, model or source), a dataset id (d-...), a model "
          + "id (m-...) or a SHA-256")
  String subject;

  @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "text (default) or prov-json (W3C PROV-JSON)")
  Format format;

  @Mixin
  Governance.CatalogOption catalog;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    LineageGraph g;
    if (catalog.exists()) {
      try (Catalog c = catalog.open()) {
        g = Lineage.graph(c, subject);
      }
    } else if (hasManifest(subject)) {
      g = Lineage.fromManifest(Path.of(subject));
    } else {
      throw new UserInputException("no lineage catalog here (.ersatz/ in the working directory)"
          + " and no manifest beside '" + subject + "'; run this where you ran ersatz fit and "
          + "sample, or pass --catalog JDBC_URL");
    }
    out.print(format == Format.text ? g.toText() : g.toProvJsonString() + "\n");
    out.flush();
    return Main.OK;
  }

  private static boolean hasManifest(String s) {
    try {
      return Files.exists(Manifests.manifestPath(Path.of(s)));
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** Accepts {@code text} and {@code prov-json}. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return switch (value) {
        case "text" -> Format.text;
        case "prov-json" -> Format.prov_json;
        default -> throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a format; use text or prov-json");
      };
    }
  }
}
