package dev.ersatz.core.schema;

import dev.ersatz.core.UserInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ordered columns of a table. Immutable. */
public final class Schema {
  private final List<Column> columns;
  private final Map<String, Integer> index;

  private Schema(List<Column> columns) {
    this.columns = List.copyOf(columns);
    this.index = new HashMap<>();
    for (int i = 0; i < this.columns.size(); i++) {
      Integer prev = index.put(this.columns.get(i).name(), i);
      if (prev != null) {
        throw new UserInputException("column name '" + this.columns.get(i).name()
            + "' appears twice (positions " + (prev + 1) + " and " + (i + 1)
            + "); give every column a unique header");
      }
    }
  }

  public static Schema of(List<Column> columns) {
    return new Schema(columns);
  }

  public List<Column> columns() {
    return columns;
  }

  public int size() {
    return columns.size();
  }

  public Column column(int i) {
    return columns.get(i);
  }

  public Optional<Integer> indexOf(String name) {
    return Optional.ofNullable(index.get(name));
  }

  /**
   * The index of a column that must exist.
   *
   * @throws UserInputException naming the known columns when it does not
   */
  public int require(String name, String context) {
    Integer i = index.get(name);
    if (i == null) {
      throw new UserInputException(context + ": unknown column '" + name + "'; the columns are "
          + names());
    }
    return i;
  }

  public List<String> names() {
    List<String> out = new ArrayList<>(columns.size());
    for (Column c : columns) {
      out.add(c.name());
    }
    return out;
  }

  public Schema with(int i, Column c) {
    List<Column> copy = new ArrayList<>(columns);
    copy.set(i, c);
    return new Schema(copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema s && s.columns.equals(columns);
  }

  @Override
  public int hashCode() {
    return columns.hashCode();
  }

  @Override
  public String toString() {
    return "Schema" + columns;
  }
}
