package dev.ersatz.io;

import dev.ersatz.core.spi.SourceInfo;
import dev.ersatz.core.table.Table;
import java.util.List;
import java.util.Objects;

/**
 * A table read from a file.
 *
 * @param table the typed table
 * @param source the file's fingerprint (name, SHA-256 of its bytes and of its schema, rows)
 * @param warnings things the user should know about the inferred schema (free-text columns,
 *     empty columns, very high-cardinality categories); never contains data values
 */
public record ReadResult(Table table, SourceInfo source, List<String> warnings) {
  public ReadResult {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(source, "source");
    warnings = List.copyOf(warnings);
  }
}
