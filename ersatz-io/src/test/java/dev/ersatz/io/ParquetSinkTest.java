package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.sampling.BatchSampler;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.Progress;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet writer read back by DuckDB, an independent implementation: every value and type,
 * the file layout (offsets, sizes, counts, statistics) as DuckDB's {@code parquet_metadata}
 * reports it, determinism, row groups, and failures.
 */
class ParquetSinkTest {
  @TempDir Path tmp;

  private static final int ROWS = 40_000;

  /** Row groups of at most 10,000 rows, batches of irregular sizes (including empty ones). */
  private Path writeFixture(Path out, Table t, Codec codec) {
    ParquetFixture.write(new ParquetSink(out, t.schema(), codec, 10_000, 64L << 20),
        ParquetFixture.batches(t, 1, 0, 777, 8192, 3000, 5, 4096));
    return out;
  }

  @Test
  void duckDbReadsEveryValueAndType() throws Exception {
    Table t = ParquetFixture.table(ROWS, 1);
    for (Codec codec : Codec.values()) {
      Path out = writeFixture(tmp.resolve(codec + ".parquet"), t, codec);
      assertSameValues(out, t, codec.name());
    }
  }

  @Test
  void theLayoutIsWhatTheMetadataSays() throws Exception {
    Table t = ParquetFixture.table(ROWS, 2);
    Path out = writeFixture(tmp.resolve("layout.parquet"), t, Codec.SNAPPY);
    byte[] file = Files.readAllBytes(out);
    assertThat(new String(file, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("PAR1");
    assertThat(new String(file, file.length - 4, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("PAR1");
    int footer = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN)
        .getInt();
    long footerStart = file.length - 8L - footer;
    Schema s = t.schema();
    try (Connection c = DuckDb.connect(null); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT row_group_id, row_group_num_rows, column_id, "
            + "path_in_schema, num_values, dictionary_page_offset, data_page_offset, "
            + "total_compressed_size, total_uncompressed_size, compression, encodings, "
            + "stats_null_count, stats_min_value, stats_max_value, file_offset FROM "
            + "parquet_metadata(" + TestTables.sqlString(out.toString()) + ") "
            + "ORDER BY row_group_id, column_id")) {
      long expectedStart = 4; // after the leading magic
      long firstRow = 0;
      long groupRows = -1;
      int groups = 0;
      while (rs.next()) {
        int col = rs.getInt("column_id");
        if (col == 0) {
          firstRow += Math.max(0, groupRows);
          groupRows = rs.getLong("row_group_num_rows");
          groups++;
          assertThat(groupRows).isBetween(1L, 10_000L);
        }
        String name = s.column(col).name();
        assertThat(rs.getString("path_in_schema")).isEqualTo(name);
        assertThat(rs.getLong("num_values")).as(name).isEqualTo(groupRows);
        assertThat(rs.getString("compression")).isEqualTo("SNAPPY");
        assertThat(rs.getLong("file_offset")).isZero();
        long dict = rs.getLong("dictionary_page_offset");
        boolean hasDict = !rs.wasNull();
        long data = rs.getLong("data_page_offset");
        boolean categorical = s.column(col).type() instanceof ColumnType.Categorical
            && !name.equals("nolevels");
        assertThat(hasDict).as(name).isEqualTo(categorical);
        assertThat(rs.getString("encodings")).as(name)
            .isEqualTo(categorical ? "PLAIN, RLE, RLE_DICTIONARY" : "PLAIN, RLE");
        // column chunks are contiguous, each led by its dictionary page
        long start = hasDict ? dict : data;
        assertThat(start).as("start of %s in row group %d", name, groups - 1)
            .isEqualTo(expectedStart);
        assertThat(data).isGreaterThan(hasDict ? dict : data - 1);
        expectedStart = start + rs.getLong("total_compressed_size");
        assertThat(rs.getLong("total_uncompressed_size")).isPositive();
        // statistics
        long nulls = 0;
        for (long r = firstRow; r < firstRow + groupRows; r++) {
          nulls += ParquetFixture.expected(t, col, (int) r) == null ? 1 : 0;
        }
        assertThat(rs.getLong("stats_null_count")).as(name).isEqualTo(nulls);
        if (name.equals("int")) {
          long min = Long.MAX_VALUE;
          long max = Long.MIN_VALUE;
          for (long r = firstRow; r < firstRow + groupRows; r++) {
            Object v = ParquetFixture.expected(t, col, (int) r);
            if (v != null) {
              min = Math.min(min, (Long) v);
              max = Math.max(max, (Long) v);
            }
          }
          assertThat(rs.getString("stats_min_value")).isEqualTo(Long.toString(min));
          assertThat(rs.getString("stats_max_value")).isEqualTo(Long.toString(max));
        }
        if (nulls == groupRows) {
          assertThat(rs.getString("stats_min_value")).as(name).isNull();
        }
      }
      assertThat(groups).isGreaterThanOrEqualTo(ROWS / 10_000);
      assertThat(firstRow + groupRows).isEqualTo(ROWS);
      assertThat(expectedStart).as("the last chunk ends where the footer starts")
          .isEqualTo(footerStart);
    }
  }

  @Test
  void stringStatisticsUseUnsignedByteOrderAndLeaveOutLongValues() throws Exception {
    Schema s = Schema.of(List.of(Column.of("city", new ColumnType.Categorical()),
        Column.of("ref", new ColumnType.Identifier("A9", 1)),
        Column.of("big", new ColumnType.Identifier("A9", 1))));
    // "Z" < "é" (0xC3 0xA9) < "東" in UTF-8 byte order; level 0 ("b") is unused
    Table t = Table.of(s, List.of(
        ColumnData.Codes.adopt(new int[] {3, 1, -1, 2}, List.of("b", "é", "Z", "東")),
        ColumnData.Strings.adopt(new String[] {"é", null, "Z", "東"}),
        ColumnData.Strings.adopt(new String[] {"a", "x".repeat(513), null, "b"})));
    Path out = tmp.resolve("stats.parquet");
    ParquetFixture.write(new ParquetSink(out, s), List.of(t));
    List<List<String>> stats = query(out, "SELECT stats_min_value, stats_max_value, "
        + "stats_null_count FROM parquet_metadata(%s) ORDER BY column_id");
    assertThat(stats).containsExactly(List.of("Z", "東", "1"), List.of("Z", "東", "1"),
        Arrays.asList(null, null, "1"));
  }

  @Test
  void zeroRowsMakeAFileWithTheSchemaAndNoRowGroups() throws Exception {
    Schema s = ParquetFixture.schema();
    Path out = tmp.resolve("empty.parquet");
    ParquetFixture.write(new ParquetSink(out, s), List.of(ParquetFixture.table(0, 1)));
    assertThat(query(out, "SELECT count(*) FROM read_parquet(%s)")).containsExactly(List.of("0"));
    assertThat(query(out, "SELECT count(*) FROM parquet_metadata(%s)"))
        .containsExactly(List.of("0"));
    List<List<String>> cols = query(out, "DESCRIBE SELECT * FROM read_parquet(%s)");
    for (int c = 0; c < s.size(); c++) {
      assertThat(cols.get(c).subList(0, 2))
          .containsExactly(s.column(c).name(), ParquetFixture.DUCKDB_TYPES.get(c));
    }
  }

  @Test
  void moreThanOneDefaultRowGroupThroughTheSampler() throws Exception {
    Schema s = Schema.of(List.of(Column.of("n", ColumnType.Numeric.ofInteger()),
        Column.of("cat", new ColumnType.Categorical()),
        Column.of("t", new ColumnType.Datetime("yyyy-MM-dd HH:mm:ss", false))));
    List<String> levels = List.of("alpha", "beta", "gamma", "delta", "epsilon");
    BatchSampler.BatchFn fn = (n, first, rng) -> {
      double[] a = new double[n];
      int[] b = new int[n];
      double[] c = new double[n];
      for (int i = 0; i < n; i++) {
        long row = first + i;
        a[i] = row % 1000 == 0 ? Double.NaN : row * 3 - 1_000_000;
        b[i] = (int) (row % 7 == 0 ? -1 : (row / 3) % levels.size());
        c[i] = 1.6e9 + row;
      }
      return Table.of(s, List.of(ColumnData.Numbers.adopt(a), ColumnData.Codes.adopt(b, levels),
          ColumnData.Numbers.adopt(c)));
    };
    int rows = ParquetSink.ROW_GROUP_ROWS + 51_424;
    Path out = tmp.resolve("big.parquet");
    try (TableSink sink = Sinks.open(out, s)) {
      BatchSampler.run(fn, rows, 1, 2, sink::encode, sink::write, Progress.NONE);
      sink.commit();
    }
    assertThat(query(out, "SELECT row_group_num_rows FROM parquet_metadata(%s) "
        + "WHERE column_id = 0 ORDER BY row_group_id"))
        .containsExactly(List.of(Integer.toString(ParquetSink.ROW_GROUP_ROWS)),
            List.of("51424"));
    try (Connection c = DuckDb.connect(null); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT n, cat, t, file_row_number FROM read_parquet("
            + TestTables.sqlString(out.toString()) + ", file_row_number = true) "
            + "ORDER BY file_row_number")) {
      long row = 0;
      while (rs.next()) {
        assertThat(rs.getLong(4)).isEqualTo(row);
        long n = rs.getLong(1);
        if (row % 1000 == 0) {
          assertThat(rs.wasNull()).isTrue();
        } else {
          assertThat(n).isEqualTo(row * 3 - 1_000_000);
        }
        assertThat(rs.getString(2)).isEqualTo(row % 7 == 0 ? null
            : levels.get((int) ((row / 3) % levels.size())));
        assertThat(rs.getObject(3, LocalDateTime.class))
            .isEqualTo(LocalDateTime.ofEpochSecond(1_600_000_000L + row, 0, ZoneOffset.UTC));
        row++;
      }
      assertThat(row).isEqualTo(rows);
    }
  }

  @Test
  void sameBatchesGiveTheSameBytesWhateverTheThreads() throws Exception {
    Table t = ParquetFixture.table(3 * BatchSampler.BATCH_ROWS + 17, 3);
    byte[] first = null;
    for (int threads : new int[] {1, 2, 4, 1}) {
      Path out = tmp.resolve("det-" + threads + ".parquet");
      try (TableSink sink = Sinks.open(out, t.schema())) {
        BatchSampler.run((n, f, rng) -> ParquetFixture.batches(t, BatchSampler.BATCH_ROWS)
                .get((int) (f / BatchSampler.BATCH_ROWS)),
            t.rowCount(), 7, threads, sink::encode, sink::write, Progress.NONE);
        sink.commit();
      }
      byte[] bytes = Files.readAllBytes(out);
      if (first == null) {
        first = bytes;
      }
      assertThat(bytes).as("%d threads", threads).isEqualTo(first);
    }
  }

  @Test
  void aChangedLevelListStartsANewRowGroup() throws Exception {
    Schema s = Schema.of(List.of(Column.of("c", new ColumnType.Categorical())));
    List<Table> batches = List.of(
        Table.of(s, List.of(ColumnData.Codes.adopt(new int[] {0, 1, 1}, List.of("a", "b")))),
        Table.of(s, List.of(ColumnData.Codes.adopt(new int[] {1, 0}, List.of("a", "b")))),
        Table.of(s, List.of(ColumnData.Codes.adopt(new int[] {2, -1}, List.of("x", "y", "z")))),
        Table.of(s, List.of(ColumnData.Codes.adopt(new int[] {-1}, List.of()))),
        Table.of(s, List.of(ColumnData.Codes.adopt(new int[] {0}, List.of("a", "b")))));
    Path out = tmp.resolve("levels.parquet");
    ParquetFixture.write(new ParquetSink(out, s), batches);
    assertThat(query(out, "SELECT row_group_num_rows FROM parquet_metadata(%s) "
        + "ORDER BY row_group_id"))
        .containsExactly(List.of("5"), List.of("2"), List.of("1"), List.of("1"));
    assertThat(query(out, "SELECT c FROM read_parquet(%s)").stream().map(r -> r.get(0)))
        .containsExactly("a", "b", "b", "b", "a", "z", null, null, "a");
  }

  @Test
  void aRowGroupClosesAtItsByteLimit() throws Exception {
    Table t = ParquetFixture.table(5000, 4);
    Path out = tmp.resolve("bytes.parquet");
    ParquetFixture.write(new ParquetSink(out, t.schema(), Codec.SNAPPY, 1 << 20, 1),
        ParquetFixture.batches(t, 1000));
    assertThat(query(out, "SELECT DISTINCT row_group_id FROM parquet_metadata(%s)"))
        .hasSize(5);
    assertSameValues(out, t, "one batch per row group");
  }

  @Test
  void theErsatzSchemaIsStoredUnderItsKey() throws Exception {
    Table t = ParquetFixture.table(10, 5);
    Path out = writeFixture(tmp.resolve("kv.parquet"), t, Codec.SNAPPY);
    assertThat(query(out, "SELECT decode(value) FROM parquet_kv_metadata(%s) "
        + "WHERE decode(key) = 'ersatz_schema'"))
        .containsExactly(List.of(Json.write(SchemaJson.toJson(t.schema()))));
    assertThat(query(out, "SELECT created_by, format_version FROM parquet_file_metadata(%s)"))
        .containsExactly(List.of("ersatz version " + dev.ersatz.core.spi.Version.get(), "1"));
  }

  // ---------------------------------------------------------------- failures

  @Test
  void anIntegerBeyondInt64IsAClearErrorAndLeavesNoFile() throws IOException {
    Schema s = Schema.of(List.of(Column.of("n", ColumnType.Numeric.ofInteger())));
    Table t = Table.of(s, List.of(ColumnData.Numbers.adopt(new double[] {1, 1e19})));
    Path out = tmp.resolve("huge.parquet");
    assertThatThrownBy(() -> ParquetFixture.write(Sinks.open(out, s), List.of(t)))
        .isInstanceOf(ErsatzException.class)
        .hasMessageContaining("huge.parquet").hasMessageContaining("'n'")
        .hasMessageContaining("1.0E19");
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aFailedRenameNamesTheTargetAndLeavesNothing() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("gone"));
    Table t = ParquetFixture.table(10, 6);
    Path out = dir.resolve("x.parquet");
    TableSink sink = Sinks.open(out, t.schema());
    sink.write(sink.encode(t));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
    assertThatThrownBy(sink::commit).isInstanceOf(ErsatzException.class)
        .hasMessageContaining("x.parquet");
    sink.close();
    assertThat(dir).doesNotExist();
  }

  // ---------------------------------------------------------------- helpers

  /** Every cell of {@code out}, read by DuckDB, equals {@link ParquetFixture#expected}. */
  static void assertSameValues(Path out, Table t, String label) throws SQLException {
    Schema s = t.schema();
    try (Connection c = DuckDb.connect(null); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM read_parquet("
            + TestTables.sqlString(out.toString()) + ", file_row_number = true) "
            + "ORDER BY file_row_number")) {
      ResultSetMetaData md = rs.getMetaData();
      assertThat(md.getColumnCount()).isEqualTo(s.size() + 1);
      for (int col = 0; col < s.size(); col++) {
        assertThat(md.getColumnLabel(col + 1)).isEqualTo(s.column(col).name());
        assertThat(md.getColumnTypeName(col + 1)).as(s.column(col).name())
            .isEqualTo(ParquetFixture.DUCKDB_TYPES.get(col));
      }
      int row = 0;
      while (rs.next()) {
        for (int col = 0; col < s.size(); col++) {
          Object got = switch (ParquetFixture.DUCKDB_TYPES.get(col)) {
            case "BIGINT" -> rs.getObject(col + 1, Long.class);
            case "DOUBLE" -> rs.getObject(col + 1, Double.class);
            case "DATE" -> {
              LocalDate d = rs.getObject(col + 1, LocalDate.class);
              yield d == null ? null : d.toEpochDay();
            }
            case "TIMESTAMP" -> {
              LocalDateTime d = rs.getObject(col + 1, LocalDateTime.class);
              yield d == null ? null : d.toEpochSecond(ZoneOffset.UTC) * 1_000_000
                  + d.getNano() / 1000;
            }
            case "BOOLEAN" -> rs.getObject(col + 1, Boolean.class);
            default -> rs.getString(col + 1);
          };
          Object expected = ParquetFixture.expected(t, col, row);
          if (!java.util.Objects.equals(got, expected)) {
            assertThat(got).as("%s: row %d, column %s", label, row, s.column(col).name())
                .isEqualTo(expected);
          }
        }
        row++;
      }
      assertThat(row).isEqualTo(t.rowCount());
    }
  }

  /** Rows of a query with {@code %s} standing for the file, as strings. */
  static List<List<String>> query(Path file, String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = DuckDb.connect(null); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(String.format(java.util.Locale.ROOT, sql,
            TestTables.sqlString(file.toString())))) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }
}
