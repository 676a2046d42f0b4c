package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the shared real data sets (skipped when they are absent) and checks inferred types. */
class RealDataTest {
  @TempDir Path tmp;

  static Path data(String name) {
    String dir = System.getProperty("ersatz.shared.data", "../../shared/data");
    Path p = Path.of(dir).resolve(name);
    Assumptions.assumeTrue(Files.exists(p), "shared data not found: " + p + " (skipping)");
    return p;
  }

  static ColumnType type(Schema s, String name) {
    return s.column(s.require(name, "test")).type();
  }

  @Test
  void census() {
    ReadResult r = TableReader.read(data("census.csv.gz"), ReadOptions.defaults());
    Schema s = r.table().schema();
    assertThat(r.table().rowCount()).isEqualTo(48_842);
    assertThat(type(s, "age")).isEqualTo(ColumnType.Numeric.ofInteger());
    assertThat(type(s, "workclass")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(((ColumnData.Codes) r.table().column("workclass")).levels()).contains("?");
    assertThat(type(s, "income")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(type(s, "fnlwgt")).isEqualTo(ColumnType.Numeric.ofInteger());
    assertThat(r.source().name()).isEqualTo("census.csv.gz");
    assertThat(r.source().sha256()).hasSize(64);
    assertThat(r.source().rows()).isEqualTo(48_842);
  }

  @Test
  void creditcard() {
    ReadResult r = TableReader.read(data("creditcard_default.csv.gz"), ReadOptions.defaults());
    Schema s = r.table().schema();
    for (Column c : s.columns()) {
      if (c.name().equals("has_default")) {
        assertThat(c.type()).isEqualTo(new ColumnType.Bool("1", "0"));
      } else {
        assertThat(c.type()).as(c.name()).isEqualTo(ColumnType.Numeric.ofInteger());
      }
    }
  }

  @Test
  void titanic() {
    ReadResult r = TableReader.read(data("titanic.csv"), ReadOptions.defaults());
    Schema s = r.table().schema();
    assertThat(type(s, "survived")).isEqualTo(new ColumnType.Bool("1", "0"));
    assertThat(type(s, "sex")).isInstanceOf(ColumnType.Categorical.class);
  }

  @Test
  void berka() {
    Schema account = TableReader.read(data("berka/account.csv.gz"), ReadOptions.defaults())
        .table().schema();
    assertThat(type(account, "date")).isEqualTo(new ColumnType.Datetime("yyyy-MM-dd", true));
    assertThat(type(account, "account_id")).isInstanceOf(ColumnType.Identifier.class);
    assertThat(type(account, "district_id")).isEqualTo(ColumnType.Numeric.ofInteger());
    Schema district = TableReader.read(data("berka/district.csv.gz"), ReadOptions.defaults())
        .table().schema();
    assertThat(type(district, "A10")).isEqualTo(ColumnType.Numeric.ofDecimal(1, true));
    assertThat(type(district, "district_id")).isInstanceOf(ColumnType.Identifier.class);
    Schema order = TableReader.read(data("berka/order.csv.gz"), ReadOptions.defaults())
        .table().schema();
    assertThat(type(order, "order_id")).isEqualTo(new ColumnType.Identifier("sequence", 1));
    assertThat(type(order, "account_id")).isEqualTo(ColumnType.Numeric.ofInteger());
    assertThat(type(order, "amount")).isInstanceOf(ColumnType.Numeric.class);
  }

  @Test
  void censusRoundTripsThroughCsvSink() {
    ReadResult r = TableReader.read(data("census.csv.gz"), ReadOptions.defaults());
    for (String ext : new String[] {"csv", "csv.gz"}) {
      Path out = tmp.resolve("census." + ext);
      try (TableSink sink = Sinks.open(out, r.table().schema())) {
        sink.write(sink.encode(r.table()));
        sink.commit();
      }
      Table back = TableReader.read(out, ReadOptions.defaults()).table();
      assertThat(back.schema()).isEqualTo(r.table().schema());
      for (int c = 0; c < back.schema().size(); c++) {
        assertThat(back.column(c)).as(back.schema().column(c).name()).isEqualTo(r.table().column(c));
      }
    }
  }
}
