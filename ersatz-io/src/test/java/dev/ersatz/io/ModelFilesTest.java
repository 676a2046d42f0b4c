package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.core.spi.SourceInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
  @TempDir Path tmp;

  static FakeProvider.Model model() {
    Schema s = Schema.of(List.of(Column.of("a", ColumnType.Numeric.ofDecimal(2, false)),
        Column.of("b", ColumnType.Numeric.ofInteger())));
    ModelProvenance p = new ModelProvenance(FakeProvider.NAME, Map.of("k", "5"),
        new SourceInfo("x.csv", "ab", "cd", 10), 42, Map.of(), "0.1.0", "17", "amd64",
        "2026-01-01T00:00:00Z");
    return new FakeProvider.Model(s, new double[] {1.25, 3}, p);
  }

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bos.toByteArray();
  }

  static String content(Path p) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void roundTrip() throws IOException {
    Path f = tmp.resolve("m.ersatz");
    ModelFiles.write(f, model());
    FittedModel back = ModelFiles.read(f);
    assertThat(back.schema()).isEqualTo(model().schema());
    assertThat(back.generator()).isEqualTo(FakeProvider.NAME);
    assertThat(back.provenance()).isEqualTo(model().provenance());
    assertThat(((FakeProvider.Model) back).means()).containsExactly(1.25, 3);
    assertThat(back.sampleBatch(3, 0, RandomSource.of(1)).column(0))
        .isEqualTo(model().sampleBatch(3, 0, RandomSource.of(1)).column(0));
    var env = Json.parseObject(content(f));
    assertThat(env.str("format")).isEqualTo("ersatz-model");
    assertThat(env.lng("formatVersion")).isEqualTo(1);
    assertThat(env.str("createdBy")).startsWith("Ersatz ");
    try (var files = Files.list(tmp)) {
      assertThat(files).containsExactly(f); // no temporary file left
    }
  }

  @Test
  void bytesAreDeterministicAndTheGzipHeaderHasNoTime() {
    byte[] a = ModelFiles.toBytes(model());
    byte[] b = ModelFiles.toBytes(model());
    assertThat(a).isEqualTo(b);
    assertThat(Arrays.copyOfRange(a, 4, 8)).containsExactly(0, 0, 0, 0); // MTIME
  }

  @Test
  void aNewerFormatVersionIsRejectedAndEveryOlderOneRead() throws IOException {
    Path f = tmp.resolve("m.ersatz");
    ModelFiles.write(f, model());
    String v1 = content(f);
    String text = v1.replace("\"formatVersion\":1", "\"formatVersion\":3");
    Files.write(f, gzip(text));
    assertThatThrownBy(() -> ModelFiles.read(f))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("model file m.ersatz has format version 3 but this Ersatz reads versions 1 to "
            + "2; re-fit the model with this version");
    Files.write(f, gzip(v1.replace("\"formatVersion\":1", "\"formatVersion\":2")));
    assertThat(ModelFiles.read(f).generator()).isEqualTo(FakeProvider.NAME);
  }

  @Test
  void truncatedFile() throws IOException {
    Path f = tmp.resolve("m.ersatz");
    ModelFiles.write(f, model());
    byte[] all = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(all, all.length / 2));
    assertThatThrownBy(() -> ModelFiles.read(f))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageStartingWith("m.ersatz is not an Ersatz model file or is damaged (")
        .hasMessageEndingWith("); re-create it with `ersatz fit`");
  }

  @Test
  void notGzipNotJsonWrongFormatBadParameters() throws IOException {
    Path csv = TestTables.write(tmp, "data.csv", "a,b\n1,2\n");
    assertThatThrownBy(() -> ModelFiles.read(csv))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("data.csv is not an Ersatz model file or is damaged (it is not "
            + "gzip-compressed)");
    Path notJson = TestTables.writeBytes(tmp, "nj.ersatz", gzip("hello"));
    assertThatThrownBy(() -> ModelFiles.read(notJson))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("not valid JSON");
    Path other = TestTables.writeBytes(tmp, "o.ersatz",
        gzip("{\"format\":\"something-else\",\"formatVersion\":1}"));
    assertThatThrownBy(() -> ModelFiles.read(other))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("o.ersatz is not an Ersatz model file")
        .hasMessageContaining("something-else");
    Path f = tmp.resolve("m.ersatz");
    ModelFiles.write(f, model());
    Files.write(f, gzip(content(f).replace("\"means\":[1.25,3]", "\"means\":[1.25]")));
    assertThatThrownBy(() -> ModelFiles.read(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("expected 2 means");
    Files.write(f, gzip(content(f).replace("\"schema\":", "\"schemaX\":")));
    assertThatThrownBy(() -> ModelFiles.read(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("missing field 'schema'");
  }

  @Test
  void unknownGeneratorOrMissingFile() throws IOException {
    Path f = tmp.resolve("m.ersatz");
    ModelFiles.write(f, model());
    Files.write(f, gzip(content(f).replace("\"generator\":\"io-test-fake\"",
        "\"generator\":\"nope\"")));
    assertThatThrownBy(() -> ModelFiles.read(f))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("generator 'nope', which is not installed");
    assertThatThrownBy(() -> ModelFiles.read(tmp.resolve("none.ersatz")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("not found");
  }
}
