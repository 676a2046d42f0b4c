package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet writer read back by hyparquet, a second independent implementation (pure
 * JavaScript, its own Thrift decoder, Snappy decompressor and page decoders), through
 * {@code src/test/js/read-parquet.mjs}: every value, and the footer as hyparquet parses it
 * (schema elements, row groups, column chunk offsets and sizes, statistics, key-value metadata).
 *
 * <p>Optional: skipped with a message when {@code node} is not installed or the pinned hyparquet
 * package cannot be installed (it goes to {@code target/hyparquet-check} through {@code npm ci}).
 * DuckDB's checks in {@link ParquetSinkTest} always run.
 */
class HyparquetReadTest {
  private static Path work;
  @TempDir Path tmp;

  @BeforeAll
  static void installHyparquet() throws IOException, InterruptedException {
    Path src = Path.of("src", "test", "js").toAbsolutePath();
    Assumptions.assumeTrue(Files.isRegularFile(src.resolve("read-parquet.mjs")),
        "hyparquet check skipped: " + src + " not found (run the tests from ersatz-io)");
    Assumptions.assumeTrue(run(List.of("node", "--version"), null, 30) == 0,
        "hyparquet check skipped: node is not installed (the DuckDB checks still run)");
    work = Path.of("target", "hyparquet-check").toAbsolutePath();
    Files.createDirectories(work);
    for (String f : List.of("package.json", "package-lock.json", "read-parquet.mjs")) {
      Files.copy(src.resolve(f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isRegularFile(work.resolve("node_modules/hyparquet/package.json"))) {
      int rc = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error",
          "--fetch-timeout=30000", "--fetch-retries=1"), work, 180);
      Assumptions.assumeTrue(rc == 0,
          "hyparquet check skipped: 'npm ci' in " + work + " failed (exit " + rc
              + "; no npm registry?)");
    }
  }

  /** Runs a command, its output to the log; the exit code, or -1 when it cannot start. */
  private static int run(List<String> cmd, Path dir, int seconds) throws InterruptedException {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      Process p = pb.start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    }
  }

  /** hyparquet's reading of {@code file}: {"metadata": ..., "rows": [[...], ...]}. */
  private Map<String, Object> read(Path file) throws IOException, InterruptedException {
    Path out = tmp.resolve(file.getFileName() + ".json");
    Path err = tmp.resolve(file.getFileName() + ".err");
    Process p = new ProcessBuilder("node", work.resolve("read-parquet.mjs").toString(),
        file.toAbsolutePath().toString()).directory(work.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("hyparquet finished").isTrue();
    assertThat(p.exitValue()).as("hyparquet failed: %s",
        Files.readString(err, StandardCharsets.UTF_8)).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(out,
        StandardCharsets.UTF_8));
    return m;
  }

  @Test
  void readsEveryValueAndTheFooterOfSnappyAndUncompressedFiles() throws Exception {
    Table t = ParquetFixture.table(30_000, 11);
    for (Codec codec : List.of(Codec.SNAPPY, Codec.UNCOMPRESSED)) {
      Path file = tmp.resolve(codec + ".parquet");
      ParquetFixture.write(new ParquetSink(file, t.schema(), codec, 10_000, 64L << 20),
          ParquetFixture.batches(t, 3000, 1, 8192, 0, 4000));
      Map<String, Object> got = read(file);
      assertRows(got, t);
      assertFooter(got, t, file, codec);
    }
  }

  @Test
  void readsAFileWithoutRows() throws Exception {
    Schema s = ParquetFixture.schema();
    Path file = tmp.resolve("empty.parquet");
    ParquetFixture.write(new ParquetSink(file, s), List.of());
    Map<String, Object> got = read(file);
    assertRows(got, ParquetFixture.table(0, 1));
    assertFooter(got, ParquetFixture.table(0, 1), file, Codec.SNAPPY);
  }

  @Test
  void readsRowGroupsWithDifferentDictionaries() throws Exception {
    Schema s = Schema.of(List.of(dev.ersatz.core.schema.Column.of("c",
        new ColumnType.Categorical())));
    List<Table> batches = List.of(
        Table.of(s, List.of(ColumnData.Codes.adopt(new int[] {0, 1, -1}, List.of("a", "b")))),
        Table.of(s, List.of(ColumnData.Codes.adopt(new int[] {2, 0}, List.of("x", "y", "ζ")))));
    Path file = tmp.resolve("dicts.parquet");
    ParquetFixture.write(new ParquetSink(file, s), batches);
    assertThat(rows(read(file))).containsExactly(List.of("a"), List.of("b"),
        java.util.Collections.singletonList(null), List.of("ζ"), List.of("x"));
  }

  @SuppressWarnings("unchecked")
  private static List<List<Object>> rows(Map<String, Object> got) {
    return (List<List<Object>>) got.get("rows");
  }

  private static void assertRows(Map<String, Object> got, Table t) {
    List<List<Object>> rows = rows(got);
    assertThat(rows).hasSize(t.rowCount());
    Schema s = t.schema();
    for (int r = 0; r < rows.size(); r++) {
      List<Object> row = rows.get(r);
      assertThat(row).hasSize(s.size());
      for (int c = 0; c < s.size(); c++) {
        Object v = row.get(c);
        Object value = v == null ? null : switch (ParquetFixture.DUCKDB_TYPES.get(c)) {
          case "BIGINT", "DATE", "TIMESTAMP" -> lng(v); // INT64 as text, days as a number
          case "DOUBLE" -> ((Number) v).doubleValue();
          default -> v; // Boolean, String
        };
        Object expected = ParquetFixture.expected(t, c, r);
        if (!Objects.equals(value, expected)) {
          assertThat(value).as("row %d, column %s", r, s.column(c).name()).isEqualTo(expected);
        }
      }
    }
  }

  private static long lng(Object v) {
    return v instanceof Number n ? n.longValue() : Long.parseLong((String) v);
  }

  @SuppressWarnings("unchecked")
  private static void assertFooter(Map<String, Object> got, Table t, Path file, Codec codec)
      throws IOException {
    Schema s = t.schema();
    Map<String, Object> md = (Map<String, Object>) got.get("metadata");
    assertThat(lng(md.get("version"))).isEqualTo(1);
    assertThat(md.get("created_by")).isEqualTo("ersatz version "
        + dev.ersatz.core.spi.Version.get());
    assertThat(lng(md.get("num_rows"))).isEqualTo(t.rowCount());
    List<Map<String, Object>> schema = (List<Map<String, Object>>) md.get("schema");
    assertThat(schema).hasSize(s.size() + 1);
    assertThat(schema.get(0)).containsOnly(Map.entry("name", "schema"),
        Map.entry("num_children", (long) s.size()));
    for (int c = 0; c < s.size(); c++) {
      Map<String, Object> e = schema.get(c + 1);
      assertThat(e.get("name")).isEqualTo(s.column(c).name());
      assertThat(e.get("repetition_type")).isEqualTo("OPTIONAL");
      assertThat(e).doesNotContainKey("num_children");
      String type = (String) e.get("type");
      switch (ParquetFixture.DUCKDB_TYPES.get(c)) {
        case "BIGINT" -> assertThat(type).isEqualTo("INT64");
        case "DOUBLE" -> assertThat(type).isEqualTo("DOUBLE");
        case "BOOLEAN" -> assertThat(type).isEqualTo("BOOLEAN");
        case "DATE" -> {
          assertThat(type).isEqualTo("INT32");
          assertThat(e.get("converted_type")).isEqualTo("DATE");
          assertThat(e.get("logical_type")).isEqualTo(Map.of("type", "DATE"));
        }
        case "TIMESTAMP" -> {
          assertThat(type).isEqualTo("INT64");
          assertThat(e.get("converted_type")).isEqualTo("TIMESTAMP_MICROS");
          assertThat(e.get("logical_type")).isEqualTo(Map.of("type", "TIMESTAMP",
              "isAdjustedToUTC", false, "unit", "MICROS"));
        }
        default -> {
          assertThat(type).isEqualTo("BYTE_ARRAY");
          assertThat(e.get("converted_type")).isEqualTo("UTF8");
          assertThat(e.get("logical_type")).isEqualTo(Map.of("type", "STRING"));
        }
      }
    }
    List<Map<String, Object>> kv = (List<Map<String, Object>>) md.get("key_value_metadata");
    assertThat(kv).containsExactly(Map.of("key", ParquetSink.SCHEMA_KEY,
        "value", Json.write(SchemaJson.toJson(s))));

    long expectedStart = 4;
    long firstRow = 0;
    List<Map<String, Object>> groups = (List<Map<String, Object>>) md.get("row_groups");
    for (int g = 0; g < groups.size(); g++) {
      Map<String, Object> rg = groups.get(g);
      long rows = lng(rg.get("num_rows"));
      assertThat(lng(rg.get("ordinal"))).isEqualTo(g);
      assertThat(lng(rg.get("file_offset"))).isEqualTo(expectedStart);
      long compressed = 0;
      long uncompressed = 0;
      List<Map<String, Object>> chunks = (List<Map<String, Object>>) rg.get("columns");
      assertThat(chunks).hasSize(s.size());
      for (int c = 0; c < s.size(); c++) {
        String name = s.column(c).name();
        Map<String, Object> cm = (Map<String, Object>) chunks.get(c).get("meta_data");
        assertThat(cm.get("path_in_schema")).isEqualTo(List.of(name));
        assertThat(cm.get("codec")).isEqualTo(codec.name());
        assertThat(lng(cm.get("num_values"))).as(name).isEqualTo(rows);
        Object dict = cm.get("dictionary_page_offset");
        long data = lng(cm.get("data_page_offset"));
        long start = dict == null ? data : lng(dict);
        assertThat(start).as("%s in row group %d starts where the previous chunk ends", name, g)
            .isEqualTo(expectedStart);
        long size = lng(cm.get("total_compressed_size"));
        expectedStart = start + size;
        compressed += size;
        uncompressed += lng(cm.get("total_uncompressed_size"));
        if (codec == Codec.UNCOMPRESSED) {
          assertThat(lng(cm.get("total_uncompressed_size"))).isEqualTo(size);
        }
        boolean dictionary = dict != null;
        assertThat(cm.get("encodings")).isEqualTo(dictionary
            ? List.of("PLAIN", "RLE", "RLE_DICTIONARY") : List.of("PLAIN", "RLE"));
        Map<String, Object> stats = (Map<String, Object>) cm.get("statistics");
        long nulls = 0;
        for (long r = firstRow; r < firstRow + rows; r++) {
          nulls += ParquetFixture.expected(t, c, (int) r) == null ? 1 : 0;
        }
        assertThat(lng(stats.get("null_count"))).as(name).isEqualTo(nulls);
      }
      assertThat(lng(rg.get("total_compressed_size"))).isEqualTo(compressed);
      assertThat(lng(rg.get("total_byte_size"))).isEqualTo(uncompressed);
      firstRow += rows;
    }
    assertThat(firstRow).isEqualTo(t.rowCount());
    long footer = lng(md.get("metadata_length"));
    assertThat(expectedStart).as("the footer follows the last chunk")
        .isEqualTo(Files.size(file) - 8 - footer);
  }
}
