package dev.ersatz.cli;

import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.io.Metadata;
import dev.ersatz.io.ReadOptions;
import dev.ersatz.io.ReadResult;
import dev.ersatz.io.TableReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ersatz profile}: print the inferred schema and write it as a metadata file to edit.
 * Prints types, missing rates and distinct counts only, never data values.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = "Print the inferred schema of a table and write it as a metadata JSON file "
        + "that you can edit and pass to fit with --metadata.")
public final class ProfileCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DATA")
  Path data;

  @Option(names = {"-o", "--output"}, paramLabel = "META",
      description = "metadata file to write (default: <name>.metadata.json in the current "
          + "directory)")
  Path output;

  @Option(names = {"-m", "--metadata"}, paramLabel = "META",
      description = "apply an existing metadata file before profiling")
  Path metadata;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ReadResult rr = TableReader.read(data, new ReadOptions(metadata, 0));
    Path target = output != null ? output : Paths.get(defaultName(data));
    print(rr, out, err);
    // what the given file declares beyond types (domains, calendars, the target) is kept
    Metadata.of(rr.table().schema(), metadata == null ? null : Metadata.read(metadata))
        .write(target);
    out.println();
    out.println("wrote " + target + " (edit it and pass it to: ersatz fit " + data
        + " --metadata " + target + " -o model.ersatz)");
    out.flush();
    return Main.OK;
  }

  static String defaultName(Path data) {
    String name = data.getFileName().toString();
    for (String ext : new String[] {".csv.gz", ".tsv.gz", ".json.gz", ".jsonl.gz", ".ndjson.gz",
        ".csv", ".tsv", ".txt", ".parquet", ".jsonl", ".ndjson", ".json", ".gz"}) {
      if (name.toLowerCase(Locale.ROOT).endsWith(ext)) {
        name = name.substring(0, name.length() - ext.length());
        break;
      }
    }
    return name + ".metadata.json";
  }

  static void print(ReadResult rr, PrintWriter out, PrintWriter err) {
    Table t = rr.table();
    out.printf(Locale.ROOT, "%s: %s rows x %d columns (sha256 %s)%n", rr.source().name(),
        Console.count(t.rowCount()), t.schema().size(),
        rr.source().sha256().isEmpty() ? "-" : rr.source().sha256().substring(0, 16) + "...");
    out.printf(Locale.ROOT, "%-24s %-12s %-22s %8s %9s  %s%n", "column", "type", "format",
        "missing", "distinct", "treatment");
    for (int i = 0; i < t.schema().size(); i++) {
      Column c = t.schema().column(i);
      out.printf(Locale.ROOT, "%-24s %-12s %-22s %7.1f%% %9s  %s%n", c.name(), c.type().kind(),
          format(c), 100 * t.missingRate(i), Console.count(distinct(t.column(i))),
          treatment(c.type()));
    }
    for (String w : rr.warnings()) {
      err.println("warning: " + w);
    }
    err.flush();
  }

  private static String format(Column c) {
    ColumnType t = c.type();
    String f = "";
    if (t instanceof ColumnType.Numeric n) {
      f = n.integer() ? "" : "scale " + n.scale() + (n.fixedScale() ? " (fixed)" : "");
      if (n.formatted()) {
        f = "like " + n.prefix() + (n.grouping() ? "1,234" : "1234")
            + (n.scale() > 0 ? "." + "5".repeat(Math.min(n.scale(), 4)) : "") + n.suffix();
      }
    } else if (t instanceof ColumnType.Datetime d) {
      f = d.pattern();
    } else if (t instanceof ColumnType.Bool b) {
      f = b.trueToken() + "/" + b.falseToken();
    } else if (t instanceof ColumnType.Identifier id) {
      f = id.shape();
    }
    if (!c.missingToken().isEmpty()) {
      f = (f.isEmpty() ? "" : f + ", ") + "missing as '" + c.missingToken() + "'";
    }
    return f;
  }

  private static String treatment(ColumnType t) {
    if (t instanceof ColumnType.Identifier) {
      return "key: regenerated, never learned";
    }
    if (t instanceof ColumnType.Text) {
      return "free text: not modelled (written empty)";
    }
    return "modelled";
  }

  static long distinct(ColumnData d) {
    Set<Object> s = new HashSet<>();
    for (int r = 0; r < d.size(); r++) {
      if (d.isMissing(r)) {
        continue;
      }
      if (d instanceof ColumnData.Numbers n) {
        s.add(n.get(r));
      } else if (d instanceof ColumnData.Codes c) {
        s.add(c.code(r));
      } else {
        s.add(((ColumnData.Strings) d).get(r));
      }
    }
    return s.size();
  }
}
