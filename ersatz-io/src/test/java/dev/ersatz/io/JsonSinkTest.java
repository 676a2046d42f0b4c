package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JSON output (JSON Lines or one array) reads back as the table it was written from. */
class JsonSinkTest {
  @TempDir Path tmp;

  /** Every cell of column {@code c} as text (numbers as doubles, missing as null). */
  private static List<String> cells(Table t, int c) {
    ColumnData d = t.column(c);
    List<String> out = new ArrayList<>();
    for (int r = 0; r < t.rowCount(); r++) {
      if (d.isMissing(r)) {
        out.add(null);
      } else if (d instanceof ColumnData.Numbers n) {
        out.add(Double.toString(n.get(r)));
      } else if (d instanceof ColumnData.Codes k) {
        out.add(k.get(r));
      } else {
        out.add(((ColumnData.Strings) d).get(r));
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"out.jsonl", "out.ndjson", "out.json", "out.jsonl.gz", "out.json.gz"})
  void aMixedTableReadsBackCellForCell(String name) {
    Table in = TableReader.read(TestTables.write(tmp, "mixed.csv", ParquetTest.MIXED),
        ReadOptions.defaults()).table();
    Path out = tmp.resolve(name);
    CsvSinkTest.sink(out, in);
    Table back = TableReader.read(out, ReadOptions.defaults()).table();
    assertThat(back.schema().names()).isEqualTo(in.schema().names());
    assertThat(back.rowCount()).isEqualTo(in.rowCount());
    for (int c = 0; c < in.schema().size(); c++) {
      if (!in.schema().column(c).type().modelled()) {
        continue; // an identifier or text column: its values are regenerated, not compared
      }
      assertThat(cells(back, c)).as(in.schema().column(c).name()).isEqualTo(cells(in, c));
      assertThat(back.schema().column(c).type().getClass())
          .isEqualTo(in.schema().column(c).type().getClass());
    }
  }

  @Test
  void stringsAreEscapedAndTrueFalseBooleansAreLiterals() throws IOException {
    List<String> texts = List.of("say \"hi\"", "back\\slash", "two\nlines\ttab", "Zürich \u0001");
    Table t = Table.of(Schema.of(List.of(Column.of("note", new ColumnType.Categorical()),
            Column.of("ok", new ColumnType.Bool("true", "false")),
            Column.of("flag", new ColumnType.Bool("yes", "no")))),
        List.of(ColumnData.Codes.adopt(new int[] {0, 1, 2, 3}, texts),
            ColumnData.Codes.adopt(new int[] {0, 1, -1, 0}, List.of("true", "false")),
            ColumnData.Codes.adopt(new int[] {0, 1, 0, 1}, List.of("yes", "no"))));
    Path out = tmp.resolve("notes.jsonl");
    CsvSinkTest.sink(out, t);
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0))
        .isEqualTo("{\"note\":\"say \\\"hi\\\"\",\"ok\":true,\"flag\":\"yes\"}");
    assertThat(lines.get(2)).isEqualTo(
        "{\"note\":\"two\\nlines\\ttab\",\"ok\":null,\"flag\":\"yes\"}");
    assertThat(lines.get(3)).contains("\"Zürich \\u0001\"");
    Table back = TableReader.read(out, ReadOptions.defaults()).table();
    assertThat(cells(back, 0)).isEqualTo(texts);
  }

  private static Table rows(Table t, int from, int to) {
    return dev.ersatz.core.table.Tables.select(t,
        java.util.stream.IntStream.range(from, to).toArray());
  }

  /** The table written in three batches (the middle one empty), as a sink is used. */
  private static void sinkInBatches(Path out, Table t) {
    int half = t.rowCount() / 2;
    try (TableSink sink = Sinks.open(out, t.schema())) {
      sink.write(sink.encode(rows(t, 0, half)));
      sink.write(sink.encode(rows(t, half, half)));
      sink.write(sink.encode(rows(t, half, t.rowCount())));
      sink.commit();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"jsonl", "json"})
  void gzippedOutputHoldsThePlainBytes(String ext) throws IOException {
    Table in = TableReader.read(TestTables.write(tmp, "mixed.csv", ParquetTest.MIXED),
        ReadOptions.defaults()).table();
    Path plain = tmp.resolve("plain." + ext);
    Path gz = tmp.resolve("packed." + ext + ".gz");
    sinkInBatches(plain, in);
    sinkInBatches(gz, in);
    byte[] unpacked;
    try (var z = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
      unpacked = z.readAllBytes();
    }
    assertThat(new String(unpacked, java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(Files.readString(plain));
    // batches are joined without a stray separator for the empty one
    Table back = TableReader.read(gz, ReadOptions.defaults()).table();
    assertThat(back.rowCount()).isEqualTo(in.rowCount());
  }

  @Test
  void jsonLinesToAStreamAreTheFilesBytes() throws IOException {
    Table in = TableReader.read(TestTables.write(tmp, "mixed.csv", ParquetTest.MIXED),
        ReadOptions.defaults()).table();
    Path file = tmp.resolve("file.jsonl");
    CsvSinkTest.sink(file, in);
    var bytes = new java.io.ByteArrayOutputStream();
    try (TableSink sink = Sinks.toStream(bytes, "a stream", in.schema(),
        Sinks.StreamFormat.JSONL)) {
      sink.write(sink.encode(in));
      sink.commit();
    }
    assertThat(bytes.toByteArray()).isEqualTo(Files.readAllBytes(file));
  }
}
