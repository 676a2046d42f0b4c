package dev.ersatz.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.json.JsonMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardsTest {
  @TempDir Path dir;

  @Test
  void writesMarkdownAndCroissant() throws IOException {
    SigningKey key = Keys.init(dir.resolve("keys"));
    Path real = Fixtures.csv(dir, "real.csv", 100, 0);
    Manifest m = Fixtures.generation(dir, real, "out.csv", "model.ersatz", 300, 9, key);
    Path out = dir.resolve("out.csv");
    Cards.Written w = Cards.write(out);
    String md = Files.readString(w.markdown(), StandardCharsets.UTF_8);
    assertThat(md).contains("# Dataset card: out.csv").contains("## How it was generated")
        .contains("## Intended use").contains("## Privacy guarantees")
        .contains("No formal guarantee").contains("## Evaluation summary")
        .contains("No evaluation report").contains(m.id()).contains("gaussian-copula");
    JsonMap cr = Cards.readCroissant(w.croissant());
    assertThat(cr.str("@type")).isEqualTo("sc:Dataset");
    assertThat(cr.str("conformsTo")).isEqualTo("http://mlcommons.org/croissant/1.0");
    assertThat(cr.obj("@context").str("cr")).isEqualTo("http://mlcommons.org/croissant/");
    JsonMap file = cr.objects("distribution").get(0);
    assertThat(file.str("@type")).isEqualTo("cr:FileObject");
    assertThat(file.str("sha256")).isEqualTo(Hashes.sha256(out));
    JsonMap rs = cr.objects("recordSet").get(0);
    assertThat(rs.objects("field")).extracting(f -> f.str("name"))
        .containsExactly("id", "age", "city");
    assertThat(rs.objects("field").get(0).str("dataType")).isEqualTo("sc:Text");
  }

  @Test
  void usesTheSchemaAndTheReport() throws IOException {
    SigningKey key = Keys.init(dir.resolve("keys"));
    Path real = Fixtures.csv(dir, "real.csv", 100, 0);
    Fixtures.generation(dir, real, "out.csv", "model.ersatz", 300, 9, key);
    Path out = dir.resolve("out.csv");
    Files.writeString(dir.resolve("report.json"),
        "{\"quality_overall\": 0.91, \"column_shapes\": 0.95, \"tstr_hgb_auc\": 0.88, "
            + "\"dcr_share\": 0.55, \"dcr_share_marginals\": 0.56}",
        StandardCharsets.UTF_8);
    var schema = TestCsv.read(out).schema();
    Cards.Written w = Cards.write(out, schema);
    String md = Files.readString(w.markdown(), StandardCharsets.UTF_8);
    assertThat(md).contains("| quality_overall | 0.9100 |").contains("| tstr_hgb_auc | 0.8800 |")
        .contains("| dcr_share | 0.5500 |\n| dcr_share_marginals | 0.5600 |");
    JsonMap rs = Cards.readCroissant(w.croissant()).objects("recordSet").get(0);
    assertThat(rs.objects("field").get(1).str("dataType")).isEqualTo("sc:Integer");
    assertThat(rs.objects("field").get(2).str("dataType")).isEqualTo("sc:Text");
  }
}
