package dev.ersatz.io;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.schema.Schema;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Locale;

/** Opens a {@link TableSink} for an output path, chosen by its extension. */
public final class Sinks {
  private Sinks() {}

  /**
   * Opens a sink writing {@code out}: {@code .csv} (comma), {@code .tsv} (TAB), either with
   * {@code .gz} (gzip), {@code .parquet}, {@code .jsonl} or {@code .ndjson} (one JSON object per
   * line), or {@code .json} (one array of objects), either JSON with {@code .gz}.
   *
   * @throws UserInputException for another extension or when the folder of {@code out} does not
   *     exist
   */
  public static TableSink open(Path out, Schema schema) {
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    AtomicFiles.requireParent(out);
    if (name.endsWith(".csv")) {
      return new CsvSink(out, schema, ',', false);
    }
    if (name.endsWith(".csv.gz")) {
      return new CsvSink(out, schema, ',', true);
    }
    if (name.endsWith(".tsv")) {
      return new CsvSink(out, schema, '\t', false);
    }
    if (name.endsWith(".tsv.gz")) {
      return new CsvSink(out, schema, '\t', true);
    }
    if (name.endsWith(".parquet")) {
      return new ParquetSink(out, schema);
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return new JsonSink(out, schema, false, false);
    }
    if (name.endsWith(".jsonl.gz") || name.endsWith(".ndjson.gz")) {
      return new JsonSink(out, schema, false, true);
    }
    if (name.endsWith(".json")) {
      return new JsonSink(out, schema, true, false);
    }
    if (name.endsWith(".json.gz")) {
      return new JsonSink(out, schema, true, true);
    }
    throw new UserInputException("cannot tell the output format of " + out.getFileName()
        + "; end the file name in .csv, .tsv, .jsonl or .json (each optionally followed by .gz)"
        + " or .parquet");
  }

  /** The formats a stream can take ({@code sample -o - --format F}). */
  public enum StreamFormat {
    /** Comma-separated values with a header line. */
    CSV,
    /** Tab-separated values with a header line. */
    TSV,
    /** JSON Lines: one object per line. */
    JSONL
  }

  /**
   * A sink writing {@code format} to {@code stream} as it goes (for {@code sample -o -}): no
   * temporary file and no rename, so a failed run leaves the rows written so far; {@code commit}
   * flushes and the stream is left open.
   *
   * @param where how error messages name the stream ("standard output")
   */
  public static TableSink toStream(OutputStream stream, String where, Schema schema,
      StreamFormat format) {
    return switch (format) {
      case CSV -> CsvSink.toStream(stream, where, schema, ',');
      case TSV -> CsvSink.toStream(stream, where, schema, '\t');
      case JSONL -> JsonSink.toStream(stream, where, schema);
    };
  }
}
