package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON input: an array of records or JSON Lines, read through DuckDB like Parquet. */
class JsonReadingTest {
  @TempDir Path tmp;

  private static final String RECORDS = """
      [{"age": 41, "income": 52000.5, "city": "Köln", "member": true, "joined": "2020-01-05",
        "tags": {"tier": 2}},
       {"age": 35, "income": null, "city": "Zürich", "member": false, "joined": "2021-03-17",
        "tags": {"tier": 1}},
       {"age": 58, "income": 61000.25, "city": "Köln", "member": true, "joined": "2019-11-30",
        "tags": {"tier": 3}}]
      """;

  private static ColumnType type(Schema s, String name) {
    return s.column(s.require(name, "test")).type();
  }

  @Test
  void anArrayOfRecordsIsReadWithItsTypes() {
    Path p = TestTables.write(tmp, "people.json", RECORDS);
    Table t = TableReader.read(p, ReadOptions.defaults()).table();
    Schema s = t.schema();
    assertThat(t.rowCount()).isEqualTo(3);
    assertThat(s.names()).containsExactly("age", "income", "city", "member", "joined", "tags");
    assertThat(type(s, "age")).isInstanceOf(ColumnType.Numeric.class);
    assertThat(((ColumnType.Numeric) type(s, "age")).integer()).isTrue();
    assertThat(((ColumnType.Numeric) type(s, "income")).integer()).isFalse();
    assertThat(type(s, "member")).isInstanceOf(ColumnType.Bool.class);
    assertThat(type(s, "joined")).isInstanceOf(ColumnType.Datetime.class);
    // typed from the strings as a CSV cell is, so the spelling is kept
    assertThat(((ColumnType.Datetime) type(s, "joined")).pattern()).isEqualTo("yyyy-MM-dd");
    // a JSON null is a missing cell
    assertThat(t.column("income").isMissing(1)).isTrue();
    assertThat(((ColumnData.Numbers) t.column("income")).get(2)).isEqualTo(61000.25);
  }

  @Test
  void jsonLinesAndGzippedJsonLinesReadTheSameRows() throws IOException {
    String lines = """
        {"age": 41, "city": "Köln"}
        {"age": 35, "city": "Zürich"}
        {"age": 58, "city": null}
        """;
    Path plain = TestTables.write(tmp, "people.jsonl", lines);
    Path gz = tmp.resolve("people.ndjson.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write(lines.getBytes(StandardCharsets.UTF_8));
    }
    Table a = TableReader.read(plain, ReadOptions.defaults()).table();
    Table b = TableReader.read(gz, ReadOptions.defaults()).table();
    assertThat(a.rowCount()).isEqualTo(3);
    assertThat(b.rowCount()).isEqualTo(3);
    assertThat(a.schema().names()).containsExactly("age", "city");
    assertThat(b.schema()).isEqualTo(a.schema());
    assertThat(a.column("city").isMissing(2)).isTrue();
  }

  @Test
  void aKeyWhoseValuesChangeTypeLateIsReadAsText() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 30_000; i++) {
      sb.append("{\"code\": ").append(i).append("},");
    }
    sb.append("{\"code\": \"A7\"}]");
    Path p = TestTables.write(tmp, "codes.json", sb.toString());
    Table t = TableReader.read(p, ReadOptions.defaults()).table();
    assertThat(t.rowCount()).isEqualTo(30_001);
    assertThat(type(t.schema(), "code")).isNotInstanceOf(ColumnType.Numeric.class);
  }

  @Test
  void recordsWrappedInAnObjectAreAUserErrorNamingTheField() {
    Path p = TestTables.write(tmp, "wrapped.json",
        "{\"data\": [{\"a\": 1}, {\"a\": 2}, {\"a\": 3}]}");
    assertThatThrownBy(() -> TableReader.read(p, ReadOptions.defaults()))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("wrapped.json is one JSON object whose field 'data' holds a list")
        .hasMessageContaining("array of objects");
  }

  @Test
  void notJsonIsAUserErrorNamingTheFileAndTheFix() {
    Path p = TestTables.write(tmp, "broken.json", "{\"a\": 1,,}\n");
    assertThatThrownBy(() -> TableReader.read(p, ReadOptions.defaults()))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("broken.json cannot be read as JSON")
        .hasMessageContaining("JSON Lines");
  }
}
