package dev.ersatz.core.table;

import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import java.util.List;
import java.util.Objects;

/**
 * A columnar table: a {@link Schema} and one {@link ColumnData} per column, all of one length.
 * Used both for real input and for each batch of synthetic rows. Immutable.
 */
public final class Table {
  private final Schema schema;
  private final List<ColumnData> columns;
  private final int rows;

  private Table(Schema schema, List<ColumnData> columns) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.columns = List.copyOf(columns);
    if (schema.size() != this.columns.size()) {
      throw new IllegalArgumentException("schema has " + schema.size() + " columns but "
          + this.columns.size() + " were given");
    }
    int n = this.columns.isEmpty() ? 0 : this.columns.get(0).size();
    for (int i = 0; i < this.columns.size(); i++) {
      ColumnData d = this.columns.get(i);
      if (d.size() != n) {
        throw new IllegalArgumentException("column '" + schema.column(i).name() + "' has "
            + d.size() + " rows but the first column has " + n);
      }
      checkKind(schema.column(i), d);
    }
    this.rows = n;
  }

  private static void checkKind(Column c, ColumnData d) {
    ColumnType t = c.type();
    // Java 17 has no pattern switch: instanceof chains over the sealed set.
    boolean ok;
    if (t instanceof ColumnType.Numeric || t instanceof ColumnType.Datetime) {
      ok = d instanceof ColumnData.Numbers;
    } else if (t instanceof ColumnType.Categorical || t instanceof ColumnType.Bool) {
      ok = d instanceof ColumnData.Codes;
    } else {
      ok = d instanceof ColumnData.Strings;
    }
    if (!ok) {
      throw new IllegalArgumentException("column '" + c.name() + "' of kind " + c.type().kind()
          + " cannot hold " + d.getClass().getSimpleName());
    }
  }

  public static Table of(Schema schema, List<ColumnData> columns) {
    return new Table(schema, columns);
  }

  public Schema schema() {
    return schema;
  }

  public int rowCount() {
    return rows;
  }

  public ColumnData column(int i) {
    return columns.get(i);
  }

  public ColumnData column(String name) {
    return columns.get(schema.require(name, "table"));
  }

  public List<ColumnData> columns() {
    return columns;
  }

  /** Share of missing values in column {@code i}; 0 for an empty table. */
  public double missingRate(int i) {
    if (rows == 0) {
      return 0;
    }
    ColumnData d = columns.get(i);
    int m = 0;
    for (int r = 0; r < rows; r++) {
      if (d.isMissing(r)) {
        m++;
      }
    }
    return m / (double) rows;
  }
}
