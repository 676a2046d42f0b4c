package dev.ersatz.provenance;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a dataset card for a synthetic output: a Markdown card ({@code <output>.card.md}) and a
 * Croissant 1.0 JSON-LD description ({@code <output>.croissant.json}, MLCommons Croissant,
 * http://mlcommons.org/croissant/1.0). Both are built from the output's manifest and, when a
 * {@code report.json} (or {@code <output>.report.json}) sits beside it, its evaluation summary.
 */
public final class Cards {
  /** Suffix of the Markdown card. */
  public static final String CARD_SUFFIX = ".card.md";
  /** Suffix of the Croissant description. */
  public static final String CROISSANT_SUFFIX = ".croissant.json";

  private Cards() {}

  /** The two files written by {@link #write}. */
  public record Written(Path markdown, Path croissant) {}

  /**
   * Writes the card for {@code output}, reading column names from a CSV header (types unknown).
   *
   * @throws UserInputException when the output has no manifest
   */
  public static Written write(Path output) {
    return write(output, null);
  }

  /**
   * Writes the card for {@code output}.
   *
   * @param output the synthetic output, with its manifest beside it
   * @param schema the output's schema for typed Croissant fields, or null to read a CSV header
   * @return the files written
   * @throws UserInputException when the output has no manifest
   */
  public static Written write(Path output, Schema schema) {
    return write(output, schema, null);
  }

  /**
   * Writes the card for {@code output} with the evaluation summary of {@code report}.
   *
   * @param output the synthetic output, with its manifest beside it
   * @param schema the output's schema for typed Croissant fields, or null to read a CSV header
   * @param report an evaluation report ({@code ersatz evaluate}'s report.json or score.py's
   *     JSON), or null to look for {@code <output>.report.json} or {@code report.json} beside it
   * @return the files written
   * @throws UserInputException when the output has no manifest or the report is unreadable
   */
  public static Written write(Path output, Schema schema, Path report) {
    Manifest m = Manifests.read(output);
    Map<String, Object> rep = report == null ? readReport(output) : readJson(report);
    return write(output, m, schema, rep);
  }

  private static Written write(Path output, Manifest m, Schema schema,
      Map<String, Object> report) {
    List<String[]> fields = fields(output, schema);
    Path md = output.resolveSibling(output.getFileName() + CARD_SUFFIX);
    Path cr = output.resolveSibling(output.getFileName() + CROISSANT_SUFFIX);
    Manifests.writeAtomically(md, markdown(output, m, report, fields));
    Manifests.writeAtomically(cr, Json.writePretty(croissant(output, m, fields)));
    return new Written(md, cr);
  }

  static Map<String, Object> readReport(Path output) {
    for (Path p : List.of(output.resolveSibling(output.getFileName() + ".report.json"),
        output.resolveSibling("report.json"))) {
      if (Files.isRegularFile(p)) {
        return readJson(p);
      }
    }
    return null;
  }

  private static Map<String, Object> readJson(Path p) {
    try {
      return Json.parseObject(Files.readString(p, StandardCharsets.UTF_8)).raw();
    } catch (IOException | RuntimeException e) {
      throw new UserInputException(p + " is not a readable JSON report: " + e.getMessage()
          + "; remove it or regenerate it with 'ersatz evaluate'");
    }
  }

  /**
   * The figures of a report: {@code ersatz evaluate}'s report.json keeps them in its
   * {@code headline}; the shared scorer's JSON at the top level.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> figures(Map<String, Object> report) {
    return report.get("headline") instanceof Map<?, ?> h ? (Map<String, Object>) h : report;
  }

  /** (name, Croissant dataType) per column. */
  static List<String[]> fields(Path output, Schema schema) {
    List<String[]> out = new ArrayList<>();
    if (schema != null) {
      for (Column c : schema.columns()) {
        out.add(new String[] {c.name(), dataType(c.type())});
      }
      return out;
    }
    if (output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
      try (BufferedReader r = Files.newBufferedReader(output, StandardCharsets.UTF_8)) {
        String header = r.readLine();
        if (header != null) {
          for (String h : header.split(",", -1)) {
            String name = h.strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
              name = name.substring(1, name.length() - 1).replace("\"\"", "\"");
            }
            out.add(new String[] {name, "sc:Text"});
          }
        }
      } catch (IOException e) {
        throw new UserInputException("cannot read the header of " + output + ": "
            + e.getMessage());
      }
    }
    return out;
  }

  static String dataType(ColumnType t) {
    if (t instanceof ColumnType.Numeric) {
      return ((ColumnType.Numeric) t).integer() ? "sc:Integer" : "sc:Float";
    } else if (t instanceof ColumnType.Bool) {
      return "sc:Boolean";
    } else if (t instanceof ColumnType.Datetime) {
      ColumnType.Datetime d = (ColumnType.Datetime) t;
      return d.dateOnly() ? "sc:Date" : d.timeOnly() ? "sc:Time" : "sc:DateTime";
    }
    return "sc:Text";
  }

  static String markdown(Path output, Manifest m, Map<String, Object> report,
      List<String[]> fields) {
    String name = output.getFileName().toString();
    StringBuilder sb = new StringBuilder();
    sb.append("# Dataset card: ").append(name).append("\n\n");
    sb.append("**This dataset is synthetic.** Its rows were generated by Ersatz ")
        .append(m.ersatzVersion()).append(" and describe no real person or event.\n\n");
    sb.append("## How it was generated\n\n");
    sb.append("| | |\n|---|---|\n");
    sb.append("| dataset id | `").append(m.id()).append("` |\n");
    sb.append("| rows | ").append(m.rows()).append(" |\n");
    sb.append("| generator | `").append(m.generator()).append("` |\n");
    sb.append("| parameters | `").append(Json.write(m.parameters())).append("` |\n");
    sb.append("| sampling seed | ").append(m.seed()).append(" |\n");
    if (m.model() != null) {
      sb.append("| model | `").append(m.model().id()).append("` (").append(m.model().path())
          .append(", fit seed ").append(m.model().fitSeed()).append(") |\n");
    }
    for (var s : m.sources()) {
      sb.append("| trained on | ").append(s.name()).append(" (").append(s.rows())
          .append(" rows, SHA-256 `").append(abbrev(s.sha256())).append("`) |\n");
    }
    sb.append("| created | ").append(m.createdAt()).append(" |\n");
    sb.append("| environment | Java ").append(m.javaVersion()).append(", ").append(m.osArch())
        .append(" |\n");
    sb.append("| SHA-256 | `").append(m.primaryOutput().sha256()).append("` |\n\n");
    if (m.parents().size() > 2) {
      sb.append("Lineage: this dataset descends from other synthetic data; ")
          .append("`ersatz lineage ").append(name).append("` shows the whole chain.\n\n");
    }
    sb.append("## Intended use\n\n");
    sb.append("Developing and testing software, teaching, exploratory analysis and training ")
        .append("models whose results are validated on real data. Not for decisions about ")
        .append("individuals, and not as evidence about the real population without checking ")
        .append("the finding on real data: synthetic data keep the statistics the generator ")
        .append("learned, and lose or distort others.\n\n");
    sb.append("## Privacy guarantees\n\n");
    if (m.epsilonSpent() != null) {
      sb.append(String.format(Locale.ROOT, "The generator is differentially private: a total "
          + "privacy budget of epsilon = %.4g was spent on the training data. ",
          m.epsilonSpent()));
      sb.append("This bounds what any output (and the model) can reveal about one person.\n\n");
    } else {
      sb.append("**No formal guarantee.** The generator is not differentially private: the ")
          .append("rows are new, but a model fitted without differential privacy can ")
          .append("reproduce rare records of its training data. Check the privacy metrics ")
          .append("below (distance to closest record, exact matches) before sharing.\n\n");
    }
    if (!m.privacy().isEmpty()) {
      sb.append("Privacy settings applied: `").append(Json.write(m.privacy())).append("`.\n\n");
    }
    if (!m.watermark().isEmpty()) {
      sb.append("The rows carry a keyed watermark (scheme `").append(m.watermark().get("scheme"))
          .append("`, key id `").append(m.watermark().get("keyId")).append("`) so that they ")
          .append("can be recognised as synthetic later.\n\n");
    }
    sb.append("## Evaluation summary\n\n");
    boolean haveFigures = report != null
        && figures(report).values().stream().anyMatch(v -> v instanceof Number);
    if (!haveFigures) {
      sb.append("No evaluation report was found beside the output (`").append(name)
          .append(".report.json` or `report.json`); `ersatz evaluate --synthetic ").append(name)
          .append(" ...` writes one there.\n\n");
    } else {
      sb.append("| metric | value |\n|---|---|\n");
      Map<String, Object> fig = figures(report);
      for (String k : List.of("quality", "quality_ceiling", "quality_overall", "column_shapes",
          "column_pair_trends", "accuracy", "tstr_auc", "trtr_auc", "tstr_ratio",
          "tstr_hgb_auc", "trtr_hgb_auc", "tstr_hgb_acc", "trtr_hgb_acc", "detection_auc",
          "dcr_share", "dcr_share_marginals", "dcr_share_marginals_given_target",
          "dcr_share_train_closer", "exact_match",
          "exact_match_baseline", "exact_match_train", "exact_match_holdout", "mia_auc")) {
        Object v = fig.get(k);
        if (v instanceof Number) {
          sb.append(String.format(Locale.ROOT, "| %s | %.4f |%n", k,
              ((Number) v).doubleValue()));
        }
      }
      sb.append('\n');
    }
    if (!fields.isEmpty()) {
      sb.append("## Columns\n\n| column | type |\n|---|---|\n");
      for (String[] f : fields) {
        sb.append("| ").append(f[0]).append(" | ").append(f[1].substring(3)).append(" |\n");
      }
      sb.append('\n');
    }
    sb.append("## Verification\n\n`ersatz verify ").append(name).append("` checks the signed ")
        .append("manifest (`").append(name).append(Manifests.SUFFIX).append("`) and every hash.\n");
    return sb.toString();
  }

  private static String abbrev(String sha) {
    return sha.length() > 16 ? sha.substring(0, 16) + "…" : sha;
  }

  static Map<String, Object> croissant(Path output, Manifest m, List<String[]> fields) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("@language", "en");
    ctx.put("@vocab", "https://schema.org/");
    ctx.put("sc", "https://schema.org/");
    ctx.put("cr", "http://mlcommons.org/croissant/");
    ctx.put("rai", "http://mlcommons.org/croissant/RAI/");
    ctx.put("dct", "http://purl.org/dc/terms/");
    ctx.put("citeAs", "cr:citeAs");
    ctx.put("column", "cr:column");
    ctx.put("conformsTo", "dct:conformsTo");
    ctx.put("data", Map.of("@id", "cr:data", "@type", "@json"));
    ctx.put("dataType", Map.of("@id", "cr:dataType", "@type", "@vocab"));
    ctx.put("examples", Map.of("@id", "cr:examples", "@type", "@json"));
    ctx.put("extract", "cr:extract");
    ctx.put("field", "cr:field");
    ctx.put("fileObject", "cr:fileObject");
    ctx.put("fileProperty", "cr:fileProperty");
    ctx.put("fileSet", "cr:fileSet");
    ctx.put("format", "cr:format");
    ctx.put("includes", "cr:includes");
    ctx.put("isLiveDataset", "cr:isLiveDataset");
    ctx.put("jsonPath", "cr:jsonPath");
    ctx.put("key", "cr:key");
    ctx.put("md5", "cr:md5");
    ctx.put("parentField", "cr:parentField");
    ctx.put("path", "cr:path");
    ctx.put("recordSet", "cr:recordSet");
    ctx.put("references", "cr:references");
    ctx.put("regex", "cr:regex");
    ctx.put("repeated", "cr:repeated");
    ctx.put("replace", "cr:replace");
    ctx.put("separator", "cr:separator");
    ctx.put("source", "cr:source");
    ctx.put("subField", "cr:subField");
    ctx.put("transform", "cr:transform");
    String name = output.getFileName().toString();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("@context", ctx);
    d.put("@type", "sc:Dataset");
    d.put("conformsTo", "http://mlcommons.org/croissant/1.0");
    d.put("name", name);
    d.put("description", "Synthetic dataset generated by Ersatz with generator "
        + m.generator() + " (" + m.rows() + " rows)"
        + (m.epsilonSpent() == null ? "" : String.format(Locale.ROOT,
            ", differentially private with epsilon %.4g", m.epsilonSpent())) + ".");
    d.put("url", name);
    d.put("version", m.id());
    d.put("datePublished", m.createdAt());
    d.put("isAccessibleForFree", true);
    d.put("keywords", List.of("synthetic data", "Ersatz", m.generator()));
    d.put("isBasedOn", m.sources().stream().map(s -> s.name()).toList());
    List<Object> dist = new ArrayList<>();
    for (Manifest.OutputFile o : m.outputs()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("@type", "cr:FileObject");
      f.put("@id", o.path());
      f.put("name", o.path());
      f.put("contentUrl", o.path());
      f.put("contentSize", o.bytes() + " B");
      f.put("encodingFormat", encoding(o.path()));
      f.put("sha256", o.sha256());
      dist.add(f);
    }
    d.put("distribution", dist);
    if (!fields.isEmpty()) {
      String file = m.primaryOutput().path();
      List<Object> fs = new ArrayList<>();
      for (String[] f : fields) {
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("@type", "cr:Field");
        field.put("@id", "rows/" + f[0]);
        field.put("name", f[0]);
        field.put("dataType", f[1]);
        field.put("source", Map.of("fileObject", Map.of("@id", file),
            "extract", Map.of("column", f[0])));
        fs.add(field);
      }
      Map<String, Object> rs = new LinkedHashMap<>();
      rs.put("@type", "cr:RecordSet");
      rs.put("@id", "rows");
      rs.put("name", "rows");
      rs.put("description", "The synthetic rows, one record per line.");
      rs.put("field", fs);
      d.put("recordSet", List.of(rs));
    }
    return d;
  }

  static String encoding(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".csv")) {
      return "text/csv";
    } else if (p.endsWith(".parquet")) {
      return "application/x-parquet";
    } else if (p.endsWith(".jsonl") || p.endsWith(".ndjson")) {
      return "application/jsonlines";
    } else if (p.endsWith(".json")) {
      return "application/json";
    } else if (p.endsWith(".gz")) {
      return "application/gzip";
    } else if (p.endsWith(".tsv")) {
      return "text/tab-separated-values";
    }
    return "application/octet-stream";
  }

  /** Reads a Croissant file back as JSON (tests, tools). */
  static JsonMap readCroissant(Path file) throws IOException {
    return Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
  }
}
