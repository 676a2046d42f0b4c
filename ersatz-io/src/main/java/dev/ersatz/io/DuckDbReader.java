package dev.ersatz.io;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads Parquet ({@code SELECT * FROM read_parquet(?)}) and JSON ({@code read_json_auto}: an
 * array of records, or one record per line, JSON Lines) through DuckDB into the same string
 * cells as a CSV file, so that inference treats all alike. Physical types become hints:
 * BOOLEAN cells are {@code true}/{@code false} and the column is boolean; DATE cells are
 * {@code yyyy-MM-dd}, TIMESTAMP cells {@code yyyy-MM-dd HH:mm:ss} (with {@code .SSS} when some
 * value has milliseconds) and the column is a date, TIME cells {@code HH:mm:ss} (likewise) and
 * the column is a time of day; DOUBLE, REAL and DECIMAL columns are
 * decimals (DOUBLE cells in their shortest form, DECIMAL cells with their declared scale). A
 * JSON null is a missing cell; a nested object or list is kept as DuckDB writes it
 * ({@code {'k': 2}}), one text value.
 */
final class DuckDbReader {
  private DuckDbReader() {}

  /** Reads a Parquet file (restoring a schema that Ersatz's own sink stored in it). */
  static TableReader.Raw parquet(Path file, int maxRows) {
    return read(file, maxRows, "read_parquet(?)", "Parquet",
        "check that it is a Parquet file, or give the data as CSV");
  }

  /**
   * Reads a JSON file: an array of records ({@code [{"age": 41, ...}, ...]}) or one record per
   * line. Every row is scanned for the column types ({@code sample_size = -1}), so a key whose
   * values change type late in the file does not fail the read. Strings stay strings (DuckDB's
   * own date detection is off), and inference types them as it does CSV cells.
   */
  static TableReader.Raw json(Path file, int maxRows) {
    // DuckDB's date detection is off (a format that never matches): JSON strings are typed by
    // TypeInference as CSV cells are, so dates keep their own spelling in the output
    return read(file, maxRows, "read_json_auto(?, sample_size = -1, dateformat = '%%NEVER', "
        + "timestampformat = '%%NEVER')", "JSON",
        "give an array of records ([{\"name\": value, ...}, ...]) or one record per line "
        + "(JSON Lines), or give the data as CSV");
  }

  private static TableReader.Raw read(Path file, int maxRows, String source, String format,
      String fix) {
    String label = file.getFileName().toString();
    try (Connection c = DuckDb.connect(null)) {
      TableReader.Raw raw = new TableReader.Raw();
      raw.embeddedSchema = format.equals("Parquet") ? embeddedSchema(c, file) : null;
      String sql = "SELECT * FROM " + source + (maxRows > 0 ? " LIMIT " + maxRows : "");
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, file.toAbsolutePath().toString());
        try (ResultSet rs = ps.executeQuery()) {
          ResultSetMetaData md = rs.getMetaData();
          int n = md.getColumnCount();
          raw.header = new ArrayList<>();
          int[] kinds = new int[n];
          raw.hints = new String[n];
          for (int i = 0; i < n; i++) {
            raw.header.add(md.getColumnLabel(i + 1));
            kinds[i] = kind(md.getColumnType(i + 1), md.getColumnTypeName(i + 1));
            raw.hints[i] = kinds[i] == BOOL ? "boolean"
                : kinds[i] == DOUBLE || kinds[i] == DECIMAL ? "decimal" : null;
          }
          boolean[] millis = new boolean[n];
          int cap = 1024;
          String[][] cells = new String[n][cap];
          int rows = 0;
          while (rs.next()) {
            if (rows == cap) {
              cap *= 2;
              for (int i = 0; i < n; i++) {
                cells[i] = Arrays.copyOf(cells[i], cap);
              }
            }
            for (int i = 0; i < n; i++) {
              cells[i][rows] = cell(rs, i + 1, kinds[i], millis, i);
            }
            rows++;
          }
          if (rows == 0) {
            throw new UserInputException(label + " has no rows; give a " + format
                + " file with at least one row");
          }
          if (format.equals("JSON") && rows == 1) {
            // {"data": [{...}, ...]}: one object wrapping the records, which would be read as
            // a table of one row
            for (int i = 0; i < n; i++) {
              if (md.getColumnTypeName(i + 1).endsWith("[]")) {
                throw new UserInputException(label + " is one JSON object whose field '"
                    + raw.header.get(i) + "' holds a list; give the records themselves: an "
                    + "array of objects ([{...}, {...}]) or one object per line (JSON Lines)");
              }
            }
          }
          for (int i = 0; i < n; i++) {
            if (kinds[i] == DATE) {
              raw.hints[i] = "pattern:yyyy-MM-dd";
            } else if (kinds[i] == TIMESTAMP || kinds[i] == TIME) {
              String p = kinds[i] == TIME ? "HH:mm:ss" : "yyyy-MM-dd HH:mm:ss";
              raw.hints[i] = "pattern:" + p + (millis[i] ? ".SSS" : "");
              if (millis[i]) {
                for (int r = 0; r < rows; r++) {
                  String v = cells[i][r];
                  if (!v.isEmpty() && v.length() == p.length()) {
                    cells[i][r] = v + ".000";
                  }
                }
              }
            }
          }
          raw.cells = cells;
          raw.rows = rows;
          return raw;
        }
      }
    } catch (SQLException e) {
      throw new UserInputException(label + " cannot be read as " + format + " ("
          + firstLine(e) + "); " + fix);
    }
  }

  private static final int OTHER = 0;
  private static final int BOOL = 1;
  private static final int LONG = 2;
  private static final int DOUBLE = 3;
  private static final int DECIMAL = 4;
  private static final int DATE = 5;
  private static final int TIMESTAMP = 6;
  private static final int TIME = 7;

  private static int kind(int sqlType, String typeName) {
    String t = typeName.toUpperCase(Locale.ROOT);
    if (t.equals("BOOLEAN")) {
      return BOOL;
    }
    if (t.equals("DATE")) {
      return DATE;
    }
    if (t.startsWith("TIMESTAMP") && !t.contains("TIME ZONE")) {
      return TIMESTAMP;
    }
    if (t.equals("TIME")) {
      return TIME;
    }
    if (t.equals("DOUBLE") || t.equals("FLOAT") || t.equals("REAL")) {
      return DOUBLE;
    }
    if (t.startsWith("DECIMAL")) {
      return DECIMAL;
    }
    if (sqlType == Types.BIGINT || sqlType == Types.INTEGER || sqlType == Types.SMALLINT
        || sqlType == Types.TINYINT) {
      return LONG;
    }
    return OTHER;
  }

  private static String cell(ResultSet rs, int col, int kind, boolean[] millis, int i)
      throws SQLException {
    switch (kind) {
      case BOOL: {
        boolean b = rs.getBoolean(col);
        return rs.wasNull() ? "" : (b ? "true" : "false");
      }
      case LONG: {
        long v = rs.getLong(col);
        return rs.wasNull() ? "" : Long.toString(v);
      }
      case DOUBLE: {
        double v = rs.getDouble(col);
        if (rs.wasNull() || !Double.isFinite(v)) {
          return "";
        }
        String s = BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
      }
      case DECIMAL: {
        BigDecimal v = rs.getBigDecimal(col);
        return v == null ? "" : v.toPlainString();
      }
      case TIMESTAMP: {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        if (t == null) {
          return "";
        }
        int ms = t.getNano() / 1_000_000;
        boolean withMs = ms != 0 || millis[i];
        millis[i] = withMs;
        int year = t.getYear();
        if (year < 0 || year > 9999) {
          // beyond four digits (no date pattern reads these; the cell is kept as text)
          return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d", year,
              t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond())
              + (withMs ? String.format(Locale.ROOT, ".%03d", ms) : "");
        }
        // by hand: String.format took half the read time of a 3-million-row file
        char[] out = new char[23];
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, t.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, t.getDayOfMonth(), 2);
        out[10] = ' ';
        digits(out, 11, t.getHour(), 2);
        out[13] = ':';
        digits(out, 14, t.getMinute(), 2);
        out[16] = ':';
        digits(out, 17, t.getSecond(), 2);
        if (withMs) {
          out[19] = '.';
          digits(out, 20, ms, 3);
          return new String(out, 0, 23);
        }
        return new String(out, 0, 19);
      }
      case TIME: {
        LocalTime t = rs.getObject(col, LocalTime.class);
        if (t == null) {
          return "";
        }
        int ms = t.getNano() / 1_000_000;
        millis[i] |= ms != 0;
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(),
            t.getSecond());
        return millis[i] ? hms + String.format(Locale.ROOT, ".%03d", ms) : hms;
      }
      default: {
        String s = rs.getString(col);
        return s == null ? "" : s;
      }
    }
  }

  /** Writes {@code v} (non-negative) as {@code width} digits, zero-padded, at {@code at}. */
  private static void digits(char[] out, int at, int v, int width) {
    for (int k = at + width - 1; k >= at; k--) {
      out[k] = (char) ('0' + v % 10);
      v /= 10;
    }
  }

  /** The column objects of a schema written by {@link ParquetSink}, or null. */
  private static List<JsonMap> embeddedSchema(Connection c, Path file) {
    String sql = "SELECT decode(value) FROM parquet_kv_metadata(?) WHERE decode(key) = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, file.toAbsolutePath().toString());
      ps.setString(2, ParquetSink.SCHEMA_KEY);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return Json.parseObject(rs.getString(1)).objects("columns");
      }
    } catch (SQLException | Json.JsonException e) {
      return null; // no usable embedded schema: infer as for any Parquet file
    }
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
