package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetTest {
  @TempDir Path tmp;

  static final String MIXED = TestTables.csv(
      "id,age,fare,sex,alive,visit,stamp,city,code,score", 30, i ->
          (i + 1) + "," + (i % 7 == 0 ? "NA" : String.valueOf(20 + i)) + ","
              + (i % 5 == 0 ? "" : (i * 1.5) + "0") + "," + (i % 2 == 0 ? "m" : "f") + ","
              + (i % 3 == 0 ? "yes" : "no") + "," + (10 + i % 18) + ".0" + (1 + i % 9) + ".2021,"
              + "2021-03-0" + (1 + i % 9) + " 10:1" + (i % 10) + ":00,"
              + (i % 4 == 0 ? "\"Paris, FR\"" : "Lyon") + ",?,"
              + (i % 3 == 0 ? "-1.25" : "3"));

  @Test
  void roundTripThroughParquetSinkKeepsSchemaAndValues() throws Exception {
    Path csv = TestTables.write(tmp, "mixed.csv", MIXED);
    ReadResult in = TableReader.read(csv, ReadOptions.defaults());
    Schema s = in.table().schema();
    assertThat(s.column(1).missingToken()).isEqualTo("NA");
    assertThat(s.column(5).type()).isEqualTo(new ColumnType.Datetime("dd.MM.yyyy", true));
    Path out = tmp.resolve("mixed.parquet");
    try (TableSink sink = Sinks.open(out, s)) {
      sink.write(sink.encode(in.table()));
      sink.commit();
    }
    assertThat(out).exists();
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("mixed.csv", "mixed.parquet");
    }
    Table back = TableReader.read(out, ReadOptions.defaults()).table();
    assertThat(back.schema()).isEqualTo(s);
    for (int c = 0; c < s.size(); c++) {
      assertThat(back.column(c)).as(s.column(c).name()).isEqualTo(in.table().column(c));
    }
    // and the Parquet file prints the same CSV as the original
    Path again = tmp.resolve("again.csv");
    try (TableSink sink = Sinks.open(again, back.schema())) {
      sink.write(sink.encode(back));
      sink.commit();
    }
    Path first = tmp.resolve("first.csv");
    try (TableSink sink = Sinks.open(first, s)) {
      sink.write(sink.encode(in.table()));
      sink.commit();
    }
    assertThat(Files.readString(again)).isEqualTo(Files.readString(first));
  }

  /** A Parquet file written by DuckDB (a foreign writer) from a query. */
  private Path duckParquet(String name, String query) throws Exception {
    Path p = tmp.resolve(name);
    try (Connection c = DuckDb.connect(null); Statement st = c.createStatement()) {
      st.execute("COPY (" + query + ") TO " + TestTables.sqlString(p.toString())
          + " (FORMAT PARQUET)");
    }
    return p;
  }

  @Test
  void foreignParquetUsesPhysicalTypesAsHints() throws Exception {
    Path p = duckParquet("foreign.parquet", "SELECT i AS n, CAST(i * 1.5 AS DOUBLE) AS d, "
        + "CAST(i AS DOUBLE) AS whole, i % 2 = 0 AS b, "
        + "DATE '2020-01-01' + CAST(i AS INTEGER) AS day, "
        + "TIMESTAMP '2020-01-01 10:00:00' + INTERVAL (i) HOUR AS ts, "
        + "CAST(i * 1.25 AS DECIMAL(10,2)) AS money, 'k' || (i % 3) AS cat "
        + "FROM range(40) r(i)");
    Schema s = TableReader.read(p, ReadOptions.defaults()).table().schema();
    assertThat(s.column(0).type()).isInstanceOf(ColumnType.Identifier.class); // 0..39 unique, dense
    assertThat(s.column(1).type()).isEqualTo(ColumnType.Numeric.ofDecimal(1, false));
    assertThat(s.column(2).type()).isEqualTo(ColumnType.Numeric.ofDecimal(0, false));
    assertThat(s.column(3).type()).isEqualTo(new ColumnType.Bool("true", "false"));
    assertThat(s.column(4).type()).isEqualTo(new ColumnType.Datetime("yyyy-MM-dd", true));
    assertThat(s.column(5).type()).isEqualTo(new ColumnType.Datetime("yyyy-MM-dd HH:mm:ss", false));
    assertThat(s.column(6).type()).isEqualTo(ColumnType.Numeric.ofDecimal(2, true));
    assertThat(s.column(7).type()).isInstanceOf(ColumnType.Categorical.class);
  }

  @Test
  void timestampsKeepEveryFieldAndTheirMilliseconds() throws Exception {
    Path p = duckParquet("ts.parquet",
        "SELECT TIMESTAMP '1987-11-09 03:04:05' + INTERVAL (i * 7) MINUTE AS s, "
        + "TIMESTAMP '2001-02-03 04:05:06.007' + INTERVAL (i * 250) MILLISECOND AS ms "
        + "FROM range(30) r(i)");
    dev.ersatz.core.table.Table t = TableReader.read(p, ReadOptions.defaults()).table();
    assertThat(t.schema().column(0).type())
        .isEqualTo(new ColumnType.Datetime("yyyy-MM-dd HH:mm:ss", false));
    assertThat(t.schema().column(1).type())
        .isEqualTo(new ColumnType.Datetime("yyyy-MM-dd HH:mm:ss.SSS", false));
    double s0 = java.time.LocalDateTime.of(1987, 11, 9, 3, 4, 5)
        .toEpochSecond(java.time.ZoneOffset.UTC);
    assertThat(((dev.ersatz.core.table.ColumnData.Numbers) t.column(0)).get(29))
        .isEqualTo(s0 + 29 * 7 * 60);
    double m0 = java.time.LocalDateTime.of(2001, 2, 3, 4, 5, 6)
        .toEpochSecond(java.time.ZoneOffset.UTC) + 0.007;
    assertThat(((dev.ersatz.core.table.ColumnData.Numbers) t.column(1)).get(3))
        .isCloseTo(m0 + 0.75, org.assertj.core.data.Offset.offset(1e-6));
  }

  /**
   * A time of day goes to Parquet as TIME (microseconds since midnight), comes back with its
   * pattern, and a foreign TIME column is read as a time of day.
   */
  @Test
  void timesOfDayAreParquetTimes() throws Exception {
    Path csv = TestTables.write(tmp, "times.csv", TestTables.csv("at,n", 30,
        i -> String.format(java.util.Locale.ROOT, "%02d:%02d,%d", (i * 7) % 24, (i * 13) % 60, i)));
    Table in = TableReader.read(csv, ReadOptions.defaults()).table();
    assertThat(in.schema().column(0).type()).isEqualTo(new ColumnType.Datetime("HH:mm", false));
    Path out = tmp.resolve("times.parquet");
    try (TableSink sink = Sinks.open(out, in.schema())) {
      sink.write(sink.encode(in));
      sink.commit();
    }
    try (Connection c = DuckDb.connect(null); Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT \"at\" FROM read_parquet("
            + TestTables.sqlString(out.toString()) + ") LIMIT 2")) {
      assertThat(rs.getMetaData().getColumnTypeName(1)).isEqualTo("TIME");
      rs.next();
      rs.next();
      assertThat(rs.getObject(1, java.time.LocalTime.class))
          .isEqualTo(java.time.LocalTime.of(7, 13));
    }
    Table back = TableReader.read(out, ReadOptions.defaults()).table();
    assertThat(back.schema()).isEqualTo(in.schema());
    assertThat(back.column(0)).isEqualTo(in.column(0));

    Path p = duckParquet("t.parquet", "SELECT TIME '08:00:00' + INTERVAL (i * 7) MINUTE AS s, "
        + "TIME '23:00:00.250' + INTERVAL (i * 250) MILLISECOND AS ms FROM range(30) r(i)");
    Table t = TableReader.read(p, ReadOptions.defaults()).table();
    assertThat(t.schema().column(0).type()).isEqualTo(new ColumnType.Datetime("HH:mm:ss", false));
    assertThat(t.schema().column(1).type())
        .isEqualTo(new ColumnType.Datetime("HH:mm:ss.SSS", false));
    assertThat(((dev.ersatz.core.table.ColumnData.Numbers) t.column(0)).get(29))
        .isEqualTo(8 * 3600 + 29 * 7 * 60.0);
    assertThat(((dev.ersatz.core.table.ColumnData.Numbers) t.column(1)).get(3))
        .isCloseTo(23 * 3600 + 1.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void notParquetIsAUserError() {
    Path p = TestTables.write(tmp, "fake.parquet", "a,b\n1,2\n");
    assertThatThrownBy(() -> TableReader.read(p, ReadOptions.defaults()))
        .isInstanceOf(UserInputException.class).hasMessageContaining("fake.parquet");
  }
}
