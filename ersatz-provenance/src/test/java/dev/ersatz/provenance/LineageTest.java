package dev.ersatz.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.spi.ModelProvenance;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog on embedded H2 and on a real PostgreSQL, and lineage over three generations. */
class LineageTest {
  @TempDir Path dir;

  record Chain(Path real, Manifest g1, Manifest g2, Manifest g3) {}

  Chain threeGenerations() throws IOException {
    SigningKey key = Keys.init(dir.resolve("keys"));
    Path real = Fixtures.csv(dir, "real.csv", 100, 0);
    Manifest g1 = Fixtures.generation(dir, real, "gen1.csv", "m1.ersatz", 100, 1, key);
    Manifest g2 = Fixtures.generation(dir, dir.resolve("gen1.csv"), "gen2.csv", "m2.ersatz",
        100, 2, key);
    Manifest g3 = Fixtures.generation(dir, dir.resolve("gen2.csv"), "gen3.csv", "m3.ersatz",
        100, 3, key);
    return new Chain(real, g1, g2, g3);
  }

  void checkCatalog(Catalog c, Chain ch) {
    // record out of order, twice: the result must not depend on it
    c.record(ch.g3(), dir.resolve("gen3.csv"));
    c.record(ch.g1(), dir.resolve("gen1.csv"));
    c.record(ch.g2(), dir.resolve("gen2.csv"));
    c.record(ch.g3(), dir.resolve("gen3.csv"));
    assertThat(c.counts()).containsExactly(4, 3, 6);
    LineageGraph g = Lineage.graph(c, dir.resolve("gen3.csv").toString());
    assertThat(g.rootId()).isEqualTo(ch.g3().id());
    assertThat(g.nodes()).hasSize(7);
    assertThat(g.edges()).hasSize(6);
    String text = g.toText();
    for (Manifest m : List.of(ch.g1(), ch.g2(), ch.g3())) {
      assertThat(text).contains(m.id()).contains(m.model().id());
    }
    assertThat(text).contains("source dataset").contains("real.csv")
        .contains("trained on").contains("sampled from");
    assertThat(text.lines().count()).isEqualTo(7);
    // the same graph by id, and from the middle generation
    assertThat(Lineage.graph(c, ch.g3().id()).nodes().keySet())
        .isEqualTo(g.nodes().keySet());
    assertThat(Lineage.graph(c, ch.g2().id()).nodes()).hasSize(5);
    checkProv(g);
  }

  static void checkProv(LineageGraph g) {
    JsonMap prov = Json.parseObject(g.toProvJsonString());
    assertThat(prov.obj("prefix").str("prov")).isEqualTo("http://www.w3.org/ns/prov#");
    assertThat(prov.obj("entity").raw()).hasSize(7);
    assertThat(prov.obj("activity").raw()).hasSize(6);
    assertThat(prov.obj("wasGeneratedBy").raw()).hasSize(6);
    assertThat(prov.obj("used").raw()).hasSize(6);
    assertThat(prov.obj("wasDerivedFrom").raw()).hasSize(6);
    JsonMap d0 = prov.obj("wasDerivedFrom").obj("_:d0");
    assertThat(d0.str("prov:generatedEntity")).startsWith("ersatz:");
    assertThat(prov.obj("entity").raw().toString()).contains("ersatz:SourceDataset")
        .contains("ersatz:Model").contains("ersatz:SyntheticDataset");
  }

  @Test
  void h2CatalogShowsAllThreeGenerations() throws IOException {
    Chain ch = threeGenerations();
    try (Catalog c = Catalog.openDefault(dir)) {
      checkCatalog(c, ch);
    }
    // reopening runs no migration twice and keeps the data
    try (Catalog c = Catalog.openDefault(dir)) {
      assertThat(c.counts()).containsExactly(4, 3, 6);
    }
    assertThat(dir.resolve(".ersatz/catalog.mv.db")).exists();
  }

  @Test
  void theNewestMigrationIsTheOneOpenChecksFor() {
    String url = Catalog.defaultUrl(dir.resolve("fresh"));
    var info = Flyway.configure(Catalog.class.getClassLoader()).dataSource(url, "", "")
        .locations(Catalog.MIGRATIONS).table("ersatz_schema_history").load().info();
    var all = info.all();
    assertThat(all[all.length - 1].getVersion().getVersion())
        .as("Catalog.LATEST_MIGRATION must name the newest migration, or open skips it")
        .isEqualTo(Catalog.LATEST_MIGRATION);
  }

  @Test
  void anOlderCatalogIsMigratedOnOpen() throws Exception {
    Path wd = dir.resolve("old");
    java.nio.file.Files.createDirectories(wd.resolve(".ersatz"));
    String url = Catalog.defaultUrl(wd);
    Flyway.configure(Catalog.class.getClassLoader()).dataSource(url, "", "")
        .locations(Catalog.MIGRATIONS).table("ersatz_schema_history").target("1").load()
        .migrate();
    try (Catalog c = Catalog.openDefault(wd)) {
      assertThat(c.counts()).containsExactly(0, 0, 0);
    }
    try (java.sql.Connection k = java.sql.DriverManager.getConnection(url, "", "");
        java.sql.ResultSet rs = k.createStatement().executeQuery(
            "SELECT \"version\" FROM \"ersatz_schema_history\" WHERE \"success\" AND"
                + " \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
      List<String> applied = new java.util.ArrayList<>();
      while (rs.next()) {
        applied.add(rs.getString(1));
      }
      assertThat(applied).containsExactly("1", Catalog.LATEST_MIGRATION);
    }
  }

  @Test
  void lineageFromTheManifestAloneMatchesTheCatalog() throws IOException {
    Chain ch = threeGenerations();
    LineageGraph g = Lineage.fromManifest(dir.resolve("gen3.csv"));
    assertThat(g.nodes()).hasSize(7);
    assertThat(g.edges()).hasSize(6);
    checkProv(g);
    try (Catalog c = Catalog.openDefault(dir)) {
      c.record(ch.g3(), dir.resolve("gen3.csv"));
      assertThat(Lineage.graph(c, ch.g3().id()).nodes().keySet())
          .isEqualTo(g.nodes().keySet());
    }
  }

  @Test
  void postgresCatalogRunsTheSameMigrations() throws IOException {
    Chain ch = threeGenerations();
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(dir.resolve("pg").toFile()).start()) {
      String url = pg.getJdbcUrl("postgres", "postgres");
      try (Catalog c = Catalog.open(url, "postgres", "postgres")) {
        checkCatalog(c, ch);
      }
      try (Catalog c = Catalog.open(url, "postgres", "postgres")) {
        assertThat(c.counts()).containsExactly(4, 3, 6);
      }
    }
  }

  @Test
  void aDifferentiallyPrivateModelCarriesItsEpsilon() throws IOException {
    Path real = Fixtures.csv(dir, "dpreal.csv", 100, 0);
    Path dp = Fixtures.model(dir, "dp.ersatz", "dp");
    Path notDp = Fixtures.model(dir, "notdp.ersatz", "not dp");
    ModelProvenance base = Fixtures.provenance(real, 100, 1);
    try (Catalog c = Catalog.openDefault(dir.resolve("dpcat"))) {
      String id = c.recordModel(dp, withPrivacy(base, Map.of("dp", true, "epsilon", 0.5)), real);
      assertThat(c.node(id).orElseThrow().epsilon()).isEqualTo(0.5);
      assertThat(Lineage.graph(c, id).toText()).contains("differentially private, epsilon 0.5");
      // reproducible noise: the generator is DP but the model is not, and spent nothing real
      String id2 = c.recordModel(notDp, withPrivacy(base, Map.of("dp", false, "epsilon", 0.5)),
          real);
      assertThat(c.node(id2).orElseThrow().epsilon()).isNull();
    }
  }

  private static ModelProvenance withPrivacy(ModelProvenance p, Map<String, Object> privacy) {
    return new ModelProvenance("dp", p.parameters(), p.source(), p.seed(), privacy,
        p.ersatzVersion(), p.javaVersion(), p.osArch(), p.createdAt());
  }

  @Test
  void fittedModelsAreRecordedWithTheirTrainingTable() throws IOException {
    SigningKey key = Keys.init(dir.resolve("keys"));
    Path real = Fixtures.csv(dir, "real.csv", 100, 0);
    Path m1 = Fixtures.model(dir, "m1.ersatz", "one");
    try (Catalog c = Catalog.openDefault(dir)) {
      String id1 = c.recordModel(m1, Fixtures.provenance(real, 100, 1), real);
      assertThat(id1).isEqualTo(Manifests.modelId(Hashes.sha256(m1)));
      assertThat(c.trainingFile(id1)).contains(real.toAbsolutePath().normalize());
      assertThat(c.recordModel(m1, Fixtures.provenance(real, 100, 1), real)).isEqualTo(id1);
      assertThat(c.counts()).containsExactly(1, 1, 1);
      // a model fitted on a synthetic output: the output's own manifest is recorded with it
      Path gen1 = Fixtures.csv(dir, "gen1.csv", 100, 1);
      Manifest g1 = Manifests.builder(gen1).provenance(Fixtures.provenance(real, 100, 1))
          .modelFile(m1).sourceFile(real).seed(1).rows(100).build();
      Manifests.write(gen1, g1, key);
      Path m2 = Fixtures.model(dir, "m2.ersatz", "two");
      String id2 = c.recordModel(m2, Fixtures.provenance(gen1, 100, 2), gen1);
      LineageGraph g = Lineage.graph(c, id2);
      assertThat(g.nodes()).containsKeys(id2, g1.id(), id1,
          Manifests.datasetId(Hashes.sha256(real), "real.csv"));
      assertThat(g.toText()).contains("trained on synthetic dataset " + g1.id())
          .contains("source dataset");
      assertThat(c.trainingFile(id2)).contains(gen1.toAbsolutePath().normalize());
      assertThat(c.trainingFile("m-0000000000000000")).isEmpty();
    }
  }

  @Test
  void passwordsAreRedacted() {
    assertThat(Catalog.redact("jdbc:postgresql://h/db?user=a&password=s3cret&ssl=true"))
        .doesNotContain("s3cret").contains("password=***").contains("ssl=true");
  }
}
