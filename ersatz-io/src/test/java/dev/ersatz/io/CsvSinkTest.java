package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvSinkTest {
  @TempDir Path tmp;

  static String write(Path out, Table t) throws IOException {
    sink(out, t);
    return Files.readString(out);
  }

  static void sink(Path out, Table t) {
    try (TableSink sink = Sinks.open(out, t.schema())) {
      sink.write(sink.encode(t));
      sink.commit();
    }
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  // ---------------------------------------------------------------- number formatting

  @ParameterizedTest(name = "{0} at scale {1} fixed={2} -> {3}")
  @CsvSource({
    "1.5, 1, false, 1.5",
    "-1.5, 1, false, -1.5",
    "2.0, 2, false, 2",
    "2.0, 2, true, 2.00",
    "100, 1, true, 100.0",
    "0.30000000000000004, 2, false, 0.3",
    "0.125, 2, false, 0.12",         // exactly a tie in binary: half-even
    "0.375, 2, false, 0.38",         // exactly a tie: half-even goes up
    "2.675, 2, false, 2.67",         // 2.675 is 2.67499999... in binary
    "1.005, 2, false, 1",            // 1.00499999... in binary
    "-0.001, 2, false, 0",           // never -0
    "-0.001, 2, true, 0.00",
    "-0.0, 3, false, 0",
    "1e20, 2, false, 100000000000000000000",
    "-1.23456789e15, 3, false, -1234567890000000",
    "123456789.123, 3, false, 123456789.123",
    "9007199254740993, 1, false, 9007199254740992",
    "1e-7, 12, false, 0.0000001",
    "12.5, 0, false, 12",
    "13.5, 0, false, 14",
    "0.5, 12, true, 0.500000000000",
  })
  void decimals(double v, int scale, boolean fixed, String expected) {
    assertThat(CsvSink.formatDecimal(v, scale, fixed)).isEqualTo(expected);
  }

  @Test
  void decimalsMatchBigDecimalHalfEvenOnRandomValues() {
    RandomSource rng = RandomSource.of(7);
    for (int i = 0; i < 50_000; i++) {
      int scale = rng.nextInt(ColumnType.Numeric.MAX_SCALE + 1);
      double mag = Math.pow(10, rng.nextInt(16) - 6);
      double v = (rng.nextDouble() - 0.5) * mag;
      if (i % 3 == 0) {
        v = Math.round(v * Math.pow(10, scale) * 2) / 2.0 / Math.pow(10, scale); // near ties
      }
      boolean fixed = rng.nextInt(2) == 0;
      BigDecimal bd = new BigDecimal(v).setScale(scale, RoundingMode.HALF_EVEN);
      if (bd.signum() == 0) {
        bd = BigDecimal.ZERO.setScale(scale);
      }
      if (!fixed) {
        if (bd.precision() > 15) { // the fewest digits that read back as the same double
          double d = bd.doubleValue();
          for (int k = 1; k <= 17; k++) {
            BigDecimal r = new BigDecimal(d).round(new MathContext(k, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == d) {
              bd = r;
              break;
            }
          }
        }
        bd = bd.stripTrailingZeros();
        if (bd.scale() < 0) {
          bd = bd.setScale(0);
        }
      }
      assertThat(CsvSink.formatDecimal(v, scale, fixed)).as("%s scale %d", v, scale)
          .isEqualTo(bd.toPlainString());
    }
  }

  @Test
  void integersRoundHalfEvenAndNeverPrintMinusZero() throws IOException {
    Schema s = Schema.of(List.of(Column.of("n", ColumnType.Numeric.ofInteger())));
    Table t = Table.of(s, List.of(ColumnData.Numbers.adopt(new double[] {
      0, -0.0, -0.4, 2.5, 3.5, -42, 1e15, 123456789012345678.0, Double.NaN,
      Double.POSITIVE_INFINITY, Long.MIN_VALUE})));
    assertThat(write(tmp.resolve("i.csv"), t)).isEqualTo(
        "n\n0\n0\n0\n2\n4\n-42\n1000000000000000\n123456789012345680\n\"\"\n\"\"\n"
            + "-9223372036854775808\n");
  }

  // ---------------------------------------------------------------- other types

  @Test
  void labelsAreQuotedOnlyWhenNeeded() throws IOException {
    Schema s = Schema.of(List.of(Column.of("a,b", new ColumnType.Categorical()),
        new Column("t", new ColumnType.Text(), "NA")));
    Table t = Table.of(s, List.of(
        ColumnData.Codes.adopt(new int[] {0, 1, 2, 3, -1},
            List.of("plain", "with,comma", "say \"hi\"", "two\nlines")),
        ColumnData.Strings.adopt(new String[] {"x", null, "é, ü", "cr\r", ""})));
    assertThat(write(tmp.resolve("q.csv"), t)).isEqualTo("\"a,b\",t\nplain,x\n\"with,comma\",NA\n"
        + "\"say \"\"hi\"\"\",\"é, ü\"\n\"two\nlines\",\"cr\r\"\n,\n");
  }

  @Test
  void booleansAndMissingTokens() throws IOException {
    Schema s = Schema.of(List.of(new Column("b", new ColumnType.Bool("Y", "N"), "?"),
        new Column("n", ColumnType.Numeric.ofDecimal(1, true), "NA")));
    Table t = Table.of(s, List.of(ColumnData.Codes.adopt(new int[] {1, 0, -1}, List.of("N", "Y")),
        ColumnData.Numbers.adopt(new double[] {1, Double.NaN, 2.25})));
    assertThat(write(tmp.resolve("b.csv"), t)).isEqualTo("b,n\nY,1.0\nN,NA\n?,2.2\n");
  }

  @Test
  void datesWithTheirPatterns() throws IOException {
    Schema s = Schema.of(List.of(
        Column.of("d", new ColumnType.Datetime("yyyy-MM-dd", true)),
        Column.of("t", new ColumnType.Datetime("yyyy-MM-dd HH:mm:ss", false)),
        Column.of("e", new ColumnType.Datetime("dd.MM.yyyy", true)),
        Column.of("m", new ColumnType.Datetime("yyyy-MM-dd'T'HH:mm:ss.SSS", false)),
        Column.of("f", new ColumnType.Datetime("d MMM yyyy", true))));
    double leap = DatePattern.daysFromCivil(2020, 2, 29) * 86400.0;
    double old = DatePattern.daysFromCivil(1900, 1, 1) * 86400.0 + 3661;
    Table t = Table.of(s, List.of(
        ColumnData.Numbers.adopt(new double[] {leap + 86399, old}),
        ColumnData.Numbers.adopt(new double[] {leap + 3723.6, old}),
        ColumnData.Numbers.adopt(new double[] {leap, Double.NaN}),
        ColumnData.Numbers.adopt(new double[] {leap + 0.0125, old - 0.5}),
        ColumnData.Numbers.adopt(new double[] {leap, old})));
    assertThat(write(tmp.resolve("d.csv"), t)).isEqualTo("d,t,e,m,f\n"
        + "2020-02-29,2020-02-29 01:02:04,29.02.2020,2020-02-29T00:00:00.013,29 Feb 2020\n"
        + "1900-01-01,1900-01-01 01:01:01,,1900-01-01T01:01:00.500,1 Jan 1900\n");
  }

  @Test
  void singleColumnMissingValuesDoNotBecomeBlankLines() throws IOException {
    Schema s = Schema.of(List.of(Column.of("c", new ColumnType.Categorical())));
    Table t = Table.of(s, List.of(ColumnData.Codes.adopt(new int[] {0, -1, 0}, List.of("a"))));
    Path out = tmp.resolve("one.csv");
    assertThat(write(out, t)).isEqualTo("c\na\n\"\"\na\n");
    Table back = TableReader.read(out, ReadOptions.defaults()).table();
    assertThat(back.rowCount()).isEqualTo(3);
    assertThat(back.column(0)).isEqualTo(t.column(0));
  }

  // ---------------------------------------------------------------- round trips

  @Test
  void longDecimalsRoundTripByteForByte() throws IOException {
    // float32 values widened and written with 15 significant digits (R), and Python's
    // shortest round-trip spelling of computed ratios
    String csv = "unemp,ratio\n3.20000004768372,0.798611111111111\n3.09999990463257,"
        + "0.30000000000000004\n10.6000003814697,0.0000123456789\n2,1.5\n";
    Path in = TestTables.write(tmp, "long.csv", csv);
    ReadResult r = TableReader.read(in, ReadOptions.defaults());
    assertThat(write(tmp.resolve("long-out.csv"), r.table())).isEqualTo(csv);
  }

  @Test
  void formattedNumbersKeepTheirSignsAndGroups() throws IOException {
    ColumnType.Numeric money = ColumnType.Numeric.ofDecimal(2, true).withFormat("$", "", true);
    assertThat(CsvSink.formatNumber(-1234.5, money)).isEqualTo("-$1,234.50");
    assertThat(CsvSink.formatNumber(-0.001, money)).isEqualTo("$0.00");
    assertThat(CsvSink.formatNumber(999.994, money)).isEqualTo("$999.99");
    assertThat(CsvSink.formatNumber(1234567,
        ColumnType.Numeric.ofInteger().withFormat("", "", true))).isEqualTo("1,234,567");
    assertThat(CsvSink.formatNumber(16.25,
        ColumnType.Numeric.ofDecimal(1, false).withFormat("", "%", false))).isEqualTo("16.2%");
    // read, written back byte for byte: grouped numbers are quoted in a comma file
    String csv = "balance,rate\n\"$1,234.50\",16.3%\n-$20.00,2%\n$7.25,NA\n";
    ReadResult r = TableReader.read(TestTables.write(tmp, "money.csv", csv),
        ReadOptions.defaults());
    assertThat(write(tmp.resolve("money-out.csv"), r.table())).isEqualTo(csv);
  }

  @Test
  void canonicalInputRoundTripsByteForByte() throws IOException {
    Path in = TestTables.write(tmp, "mixed.csv", ParquetTest.MIXED);
    ReadResult r = TableReader.read(in, ReadOptions.defaults());
    Path out = tmp.resolve("out.csv");
    String text = write(out, r.table());
    assertThat(text).isEqualTo(ParquetTest.MIXED);
    ReadResult back = TableReader.read(out, ReadOptions.defaults());
    assertThat(back.table().schema()).isEqualTo(r.table().schema());
    for (int c = 0; c < r.table().schema().size(); c++) {
      assertThat(back.table().column(c)).isEqualTo(r.table().column(c));
    }
  }

  @Test
  void gzipOutputIsReadableByJavaAndDuckDb() throws Exception {
    Path in = TestTables.write(tmp, "mixed.csv", ParquetTest.MIXED);
    Table t = TableReader.read(in, ReadOptions.defaults()).table();
    Path out = tmp.resolve("out.csv.gz");
    try (TableSink sink = Sinks.open(out, t.schema())) {
      // several batches: several gzip members
      Table head = dev.ersatz.core.table.Tables.select(t, range(0, 10));
      Table tail = dev.ersatz.core.table.Tables.select(t, range(10, t.rowCount()));
      sink.write(sink.encode(head));
      sink.write(sink.encode(tail));
      sink.commit();
    }
    try (InputStream gz = new GZIPInputStream(Files.newInputStream(out))) {
      assertThat(new String(gz.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(ParquetTest.MIXED);
    }
    try (Connection c = DuckDb.connect(null); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM read_csv("
            + TestTables.sqlString(out.toString()) + ", header = true)")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(t.rowCount());
    }
  }

  static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  @Test
  void outputIsDeterministic() throws IOException {
    Table t = SinkThroughput.mixed(1000, 5);
    Path a = tmp.resolve("a.csv.gz");
    Path b = tmp.resolve("b.csv.gz");
    sink(a, t);
    sink(b, t);
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
  }

  @Test
  void batchSamplerPipelineGivesTheSameBytesOnAnyNumberOfThreads() throws IOException {
    Table batch = SinkThroughput.mixed(dev.ersatz.core.sampling.BatchSampler.BATCH_ROWS, 3);
    byte[] first = null;
    for (int threads : new int[] {1, 2, 3}) {
      for (String name : new String[] {"p.csv", "p.csv.gz"}) {
        Path out = tmp.resolve(threads + name);
        try (TableSink sink = Sinks.open(out, batch.schema())) {
          dev.ersatz.core.sampling.BatchSampler.run((n, firstRow, rng) ->
                  dev.ersatz.core.table.Tables.select(batch, range(0, n)),
              50_000, 9, threads, sink::encode, sink::write,
              dev.ersatz.core.spi.Progress.NONE);
          sink.commit();
        }
        Table back = TableReader.read(out, ReadOptions.defaults()).table();
        assertThat(back.rowCount()).isEqualTo(50_000);
        if (name.equals("p.csv")) {
          byte[] bytes = Files.readAllBytes(out);
          if (first == null) {
            first = bytes;
          }
          assertThat(bytes).isEqualTo(first);
        }
      }
    }
  }

  // ---------------------------------------------------------------- atomicity

  @Test
  void aFailedRunLeavesNoTargetAndNoTemporaryFile() throws IOException {
    Table t = SinkThroughput.censusLike(100, 1);
    for (String name : new String[] {"out.csv", "out.csv.gz", "out.parquet"}) {
      Path out = tmp.resolve(name);
      assertThatThrownBy(() -> {
        try (TableSink sink = Sinks.open(out, t.schema())) {
          sink.write(sink.encode(t));
          throw new ErsatzException("generator failed");
        }
      }).hasMessage("generator failed");
      assertThat(files()).as(name).isEmpty();
    }
  }

  @Test
  void aFailedRunKeepsTheOldTarget() throws IOException {
    Path out = TestTables.write(tmp, "keep.csv", "old\n");
    Table t = SinkThroughput.censusLike(10, 1);
    try (TableSink sink = Sinks.open(out, t.schema())) {
      sink.write(sink.encode(t));
    }
    assertThat(Files.readString(out)).isEqualTo("old\n");
    assertThat(files()).containsExactly("keep.csv");
  }

  @Test
  void encodeRejectsAnotherSchema() {
    Table t = SinkThroughput.censusLike(10, 1);
    Table other = SinkThroughput.mixed(10, 1);
    try (TableSink sink = Sinks.open(tmp.resolve("x.csv"), t.schema())) {
      assertThatThrownBy(() -> sink.encode(other)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void missingFolderOrUnknownExtension() {
    Schema s = SinkThroughput.censusLike(1, 1).schema();
    assertThatThrownBy(() -> Sinks.open(tmp.resolve("no/such/dir/out.csv"), s))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> Sinks.open(tmp.resolve("out.xlsx"), s))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining(".csv, .tsv, .jsonl or .json (each optionally followed by .gz) or .parquet");
  }
}
