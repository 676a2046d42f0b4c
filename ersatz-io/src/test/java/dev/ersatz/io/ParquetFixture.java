package dev.ersatz.io;

import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded table with every Ersatz column type and the awkward values a Parquet writer must get
 * right (nulls, empty strings, non-ASCII text, negative numbers, dates before 1970, ties in
 * decimal rounding, all-null columns, a categorical column without levels), and the value each
 * cell must read back as from the Parquet file. Shared by the DuckDB and hyparquet reader tests.
 */
final class ParquetFixture {
  private ParquetFixture() {}

  static final List<String> CITIES = List.of("", "Lyon", "Paris, FR", "Zürich", "東京",
      "🙂 smile", "quote\"d", "new\nline");

  static Schema schema() {
    return Schema.of(List.of(
        Column.of("int", ColumnType.Numeric.ofInteger()),
        Column.of("dec", ColumnType.Numeric.ofDecimal(2, false)),
        Column.of("whole", ColumnType.Numeric.ofDecimal(0, false)),
        Column.of("day", new ColumnType.Datetime("dd.MM.yyyy", true)),
        Column.of("stamp", new ColumnType.Datetime("yyyy-MM-dd HH:mm:ss.SSS", false)),
        Column.of("flag", new ColumnType.Bool("Y", "N")),
        Column.of("city", new ColumnType.Categorical()),
        Column.of("ref", new ColumnType.Identifier("AA-9999", 1)),
        Column.of("note", new ColumnType.Text()),
        Column.of("nothing", ColumnType.Numeric.ofDecimal(3, true)),
        Column.of("gone", new ColumnType.Categorical()),
        Column.of("nolevels", new ColumnType.Categorical())));
  }

  /** The SQL types DuckDB must read, column by column. */
  static final List<String> DUCKDB_TYPES = List.of("BIGINT", "DOUBLE", "DOUBLE", "DATE",
      "TIMESTAMP", "BOOLEAN", "VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE", "VARCHAR", "VARCHAR");

  static Table table(int rows, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] ints = new double[rows];
    double[] decs = new double[rows];
    double[] wholes = new double[rows];
    double[] days = new double[rows];
    double[] stamps = new double[rows];
    int[] flags = new int[rows];
    int[] cities = new int[rows];
    String[] refs = new String[rows];
    String[] notes = new String[rows];
    double[] nothing = new double[rows];
    int[] gone = new int[rows];
    int[] nolevels = new int[rows];
    double[] specialDecs = {-0.001, 0.125, 2.675, -2.675, 1e15 + 0.5, -1234.565, 0.005};
    double[] specialInts = {0, -1, 1L << 53, -(1L << 53), 9.0e18, -9.2e18, 2.5, -2.5};
    for (int r = 0; r < rows; r++) {
      ints[r] = r % 11 == 0 ? Double.NaN : r % 97 == 5 ? Double.POSITIVE_INFINITY
          : r % 13 == 0 ? specialInts[(r / 13) % specialInts.length]
          : Math.floor(rng.nextGaussian() * 1e6);
      decs[r] = r % 17 == 0 ? Double.NaN : r % 7 == 0 ? specialDecs[(r / 7) % specialDecs.length]
          : rng.nextGaussian() * 1000;
      wholes[r] = r % 19 == 0 ? Double.NaN : (r % 5) - 2.5 + (r % 3 == 0 ? 0.0001 : 0);
      // days from 1888 to 2052, some with a time of day (date-only columns drop it)
      days[r] = r % 23 == 0 ? Double.NaN
          : 86400.0 * rng.nextInt(-30000, 30000) + (r % 4 == 0 ? rng.nextInt(86400) : 0);
      stamps[r] = r % 29 == 0 ? Double.NaN
          : rng.nextInt(-2_000_000_000, 2_000_000_000) + rng.nextInt(1000) / 1000.0;
      flags[r] = r % 31 == 0 ? -1 : rng.nextInt(2);
      cities[r] = r % 37 == 0 ? -1 : rng.nextInt(CITIES.size());
      refs[r] = switch (r % 41) {
        case 0 -> null;
        case 1 -> "";
        case 2 -> "é-" + r + "-ünïcødé-🙂";
        case 3 -> "x".repeat(600 + r % 7); // beyond the statistics cut-off
        default -> "AB-" + r;
      };
      notes[r] = null;
      nothing[r] = Double.NaN;
      gone[r] = -1;
      nolevels[r] = -1;
    }
    List<ColumnData> data = new ArrayList<>(List.of(
        ColumnData.Numbers.adopt(ints), ColumnData.Numbers.adopt(decs),
        ColumnData.Numbers.adopt(wholes), ColumnData.Numbers.adopt(days),
        ColumnData.Numbers.adopt(stamps), ColumnData.Codes.adopt(flags, List.of("N", "Y")),
        ColumnData.Codes.adopt(cities, CITIES), ColumnData.Strings.adopt(refs),
        ColumnData.Strings.adopt(notes), ColumnData.Numbers.adopt(nothing),
        ColumnData.Codes.adopt(gone, List.of("a", "b")),
        ColumnData.Codes.adopt(nolevels, List.of())));
    return Table.of(schema(), data);
  }

  /**
   * The value cell ({@code row}, {@code col}) must read back as: Long for integers, DATE (epoch
   * day) and TIMESTAMP (epoch microseconds), Double for decimals (the decimal the CSV sink
   * prints), Boolean, String, or null for a missing value.
   */
  static Object expected(Table t, int col, int row) {
    ColumnType type = t.schema().column(col).type();
    ColumnData d = t.column(col);
    if (d.isMissing(row)) {
      return null;
    }
    if (d instanceof ColumnData.Numbers n) {
      double v = n.get(row);
      if (!Double.isFinite(v)) {
        return null;
      }
      if (type instanceof ColumnType.Numeric num) {
        return num.integer() ? (Object) (long) Math.rint(v)
            : (Object) Double.parseDouble(CsvSink.formatDecimal(v, num.scale(), false));
      }
      ColumnType.Datetime dt = (ColumnType.Datetime) type;
      if (dt.dateOnly()) {
        return LocalDateTime.ofEpochSecond(Math.round(v), 0, ZoneOffset.UTC).toLocalDate()
            .toEpochDay();
      }
      return Math.round(v * 1000) * 1000;
    }
    if (d instanceof ColumnData.Codes c) {
      String level = c.get(row);
      return type instanceof ColumnType.Bool b ? (Object) level.equals(b.trueToken()) : level;
    }
    return ((ColumnData.Strings) d).get(row);
  }

  /** {@code t} cut into batches of the given sizes, cycled until every row is used. */
  static List<Table> batches(Table t, int... sizes) {
    List<Table> out = new ArrayList<>();
    int at = 0;
    for (int i = 0; at < t.rowCount(); i++) {
      int n = Math.min(sizes[i % sizes.length], t.rowCount() - at);
      int[] idx = new int[n];
      for (int k = 0; k < n; k++) {
        idx[k] = at + k;
      }
      out.add(Tables.select(t, idx));
      at += n;
    }
    return out;
  }

  /** Writes {@code batches} with {@code sink} and commits. */
  static void write(TableSink sink, List<Table> batches) {
    try (sink) {
      for (Table b : batches) {
        sink.write(sink.encode(b));
      }
      sink.commit();
    }
  }
}
