package dev.ersatz.core.schema;

import java.util.Objects;

/**
 * One column of a table.
 *
 * @param name the header name, unique within its schema
 * @param type what it holds and how it is formatted
 * @param missingToken how a missing value is spelled in text formats (usually the empty string)
 */
public record Column(String name, ColumnType type, String missingToken) {
  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(missingToken, "missingToken");
  }

  public static Column of(String name, ColumnType type) {
    return new Column(name, type, "");
  }

  /** Numeric and datetime columns hold numbers; the others hold labels or strings. */
  public boolean isContinuous() {
    return type instanceof ColumnType.Numeric || type instanceof ColumnType.Datetime;
  }

  public Column withType(ColumnType t) {
    return new Column(name, t, missingToken);
  }
}
