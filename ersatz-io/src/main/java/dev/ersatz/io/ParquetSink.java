package dev.ersatz.io;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes Parquet through DuckDB: batches are appended (DuckDB's {@code Appender}) to a table in
 * a temporary DuckDB database file beside the output, with a memory limit so that DuckDB spills
 * to disk instead of growing; {@link #commit} copies the table to a temporary Parquet file and
 * renames it to the target. The JVM holds at most the batches in flight.
 *
 * <p>Types: integers BIGINT, decimals DOUBLE (rounded to the column's scale), booleans BOOLEAN,
 * dates DATE, datetimes TIMESTAMP, everything else VARCHAR. The Ersatz schema is stored in the
 * file's key-value metadata under {@code ersatz_schema}, so {@link TableReader} restores formats
 * (decimal scale, date pattern, boolean spelling, missing tokens) exactly.
 */
final class ParquetSink implements TableSink {
  static final String SCHEMA_KEY = "ersatz_schema";
  private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
    1e11, 1e12};

  private final Path target;
  private final Schema schema;
  private final Path db;
  private final Path tempParquet;
  private final Connection conn;
  private final DuckDBAppender appender;
  private final int[] kinds;
  private boolean committed;
  private boolean closed;

  private static final int K_LONG = 0;
  private static final int K_DOUBLE = 1;
  private static final int K_BOOL = 2;
  private static final int K_DATE = 3;
  private static final int K_TS = 4;
  private static final int K_CODES = 5;
  private static final int K_STR = 6;

  ParquetSink(Path target, Schema schema) {
    this.target = target;
    this.schema = schema;
    this.tempParquet = AtomicFiles.tempPath(target);
    String base = tempParquet.getFileName().toString();
    this.db = tempParquet.resolveSibling(base.substring(0, base.length() - 4) + ".duckdb");
    kinds = new int[schema.size()];
    StringBuilder ddl = new StringBuilder("CREATE TABLE t (");
    for (int c = 0; c < schema.size(); c++) {
      Column col = schema.column(c);
      ColumnType t = col.type();
      String sql;
      if (t instanceof ColumnType.Numeric n) {
        kinds[c] = n.integer() ? K_LONG : K_DOUBLE;
        sql = n.integer() ? "BIGINT" : "DOUBLE";
      } else if (t instanceof ColumnType.Bool) {
        kinds[c] = K_BOOL;
        sql = "BOOLEAN";
      } else if (t instanceof ColumnType.Datetime d) {
        kinds[c] = d.dateOnly() ? K_DATE : K_TS;
        sql = d.dateOnly() ? "DATE" : "TIMESTAMP";
      } else if (t instanceof ColumnType.Categorical) {
        kinds[c] = K_CODES;
        sql = "VARCHAR";
      } else {
        kinds[c] = K_STR;
        sql = "VARCHAR";
      }
      ddl.append(c == 0 ? "" : ", ").append(quoteIdent(col.name())).append(' ').append(sql);
    }
    ddl.append(')');
    Connection cn = null;
    try {
      cn = DuckDb.connect(db);
      try (Statement st = cn.createStatement()) {
        st.execute("SET preserve_insertion_order = true");
        st.execute(ddl.toString());
      }
      this.appender = cn.unwrap(DuckDBConnection.class)
          .createAppender(DuckDBConnection.DEFAULT_SCHEMA, "t");
      this.conn = cn;
    } catch (SQLException e) {
      closeQuietly(cn);
      deleteDb();
      throw new ErsatzException("cannot start writing " + target + " (DuckDB: " + e.getMessage()
          + ")", e);
    }
  }

  /** A batch converted to the values the appender takes, done on a worker thread. */
  private record Encoded(int rows, Object[] cols) {}

  @Override
  public Object encode(Table batch) {
    if (!batch.schema().equals(schema)) {
      throw new IllegalArgumentException("batch schema " + batch.schema().names()
          + " differs from the sink's " + schema.names());
    }
    int rows = batch.rowCount();
    Object[] cols = new Object[kinds.length];
    for (int c = 0; c < kinds.length; c++) {
      ColumnData d = batch.column(c);
      switch (kinds[c]) {
        case K_LONG: {
          double[] v = ((ColumnData.Numbers) d).toArray();
          for (int r = 0; r < rows; r++) {
            v[r] = Double.isFinite(v[r]) ? Math.rint(v[r]) : Double.NaN;
          }
          cols[c] = v;
          break;
        }
        case K_DOUBLE: {
          double[] v = ((ColumnData.Numbers) d).toArray();
          double p = POW10[((ColumnType.Numeric) schema.column(c).type()).scale()];
          for (int r = 0; r < rows; r++) {
            // the nearest double to what the CSV sink would print
            double x = v[r] * p;
            if (!Double.isFinite(v[r])) {
              v[r] = Double.NaN;
            } else if (Math.abs(x) < 9.0e15) {
              v[r] = Math.rint(x) / p + 0.0;
            }
          }
          cols[c] = v;
          break;
        }
        case K_DATE:
        case K_TS: {
          double[] v = ((ColumnData.Numbers) d).toArray();
          long[] out = new long[rows];
          boolean[] nul = new boolean[rows];
          for (int r = 0; r < rows; r++) {
            if (!Double.isFinite(v[r])) {
              nul[r] = true;
            } else if (kinds[c] == K_DATE) {
              out[r] = Math.floorDiv(Math.round(v[r]), 86400L);
            } else {
              out[r] = Math.round(v[r] * 1000.0) * 1000L;
            }
          }
          cols[c] = new Object[] {out, nul};
          break;
        }
        case K_BOOL: {
          cols[c] = ((ColumnData.Codes) d).toArray();
          break;
        }
        case K_CODES: {
          ColumnData.Codes cd = (ColumnData.Codes) d;
          String[] s = new String[rows];
          List<String> levels = cd.levels();
          for (int r = 0; r < rows; r++) {
            int k = cd.code(r);
            s[r] = k < 0 ? null : levels.get(k);
          }
          cols[c] = s;
          break;
        }
        default: {
          ColumnData.Strings sd = (ColumnData.Strings) d;
          String[] s = new String[rows];
          for (int r = 0; r < rows; r++) {
            s[r] = sd.get(r);
          }
          cols[c] = s;
          break;
        }
      }
    }
    return new Encoded(rows, cols);
  }

  @Override
  public void write(Object encoded) {
    Encoded e = (Encoded) encoded;
    Object[] cols = e.cols();
    try {
      for (int r = 0; r < e.rows(); r++) {
        appender.beginRow();
        for (int c = 0; c < kinds.length; c++) {
          switch (kinds[c]) {
            case K_LONG: {
              double v = ((double[]) cols[c])[r];
              if (Double.isNaN(v)) {
                appender.appendNull();
              } else {
                appender.append((long) v);
              }
              break;
            }
            case K_DOUBLE: {
              double v = ((double[]) cols[c])[r];
              if (Double.isNaN(v)) {
                appender.appendNull();
              } else {
                appender.append(v);
              }
              break;
            }
            case K_DATE:
            case K_TS: {
              Object[] pair = (Object[]) cols[c];
              if (((boolean[]) pair[1])[r]) {
                appender.appendNull();
              } else if (kinds[c] == K_DATE) {
                appender.appendEpochDays((int) ((long[]) pair[0])[r]);
              } else {
                appender.appendEpochMicros(((long[]) pair[0])[r]);
              }
              break;
            }
            case K_BOOL: {
              int k = ((int[]) cols[c])[r];
              if (k < 0) {
                appender.appendNull();
              } else {
                appender.append(k == 1);
              }
              break;
            }
            default: {
              String s = ((String[]) cols[c])[r];
              if (s == null) {
                appender.appendNull();
              } else {
                appender.append(s);
              }
              break;
            }
          }
        }
        appender.endRow();
      }
    } catch (SQLException ex) {
      throw new ErsatzException("cannot write " + target + " (DuckDB: " + ex.getMessage() + ")",
          ex);
    }
  }

  @Override
  public void commit() {
    if (committed) {
      return;
    }
    try {
      appender.close();
      String meta = Json.write(SchemaJson.toJson(schema));
      try (Statement st = conn.createStatement()) {
        st.execute("COPY t TO " + quoteString(tempParquet.toString())
            + " (FORMAT PARQUET, KV_METADATA {" + SCHEMA_KEY + ": " + quoteString(meta) + "})");
      }
      conn.close();
    } catch (SQLException e) {
      close();
      throw new ErsatzException("cannot write " + target + " (DuckDB: " + e.getMessage() + ")", e);
    }
    closed = true;
    deleteDb();
    AtomicFiles.commit(tempParquet, target);
    committed = true;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        appender.close();
      } catch (SQLException | RuntimeException e) {
        // failure path: the files are deleted below
      }
      closeQuietly(conn);
    }
    if (!committed) {
      deleteDb();
      AtomicFiles.deleteQuietly(tempParquet);
    }
  }

  private void deleteDb() {
    AtomicFiles.deleteQuietly(db);
    AtomicFiles.deleteQuietly(db.resolveSibling(db.getFileName() + ".wal"));
    Path tmpDir = db.resolveSibling(db.getFileName() + ".tmp");
    if (Files.isDirectory(tmpDir)) {
      try (Stream<Path> s = Files.walk(tmpDir)) {
        s.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
      } catch (IOException e) {
        // best effort
      }
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // failure path
      }
    }
  }

  static String quoteIdent(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  static String quoteString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
