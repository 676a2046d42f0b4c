package dev.ersatz.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.cli.CliTest.Run;
import dev.ersatz.provenance.Watermark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end tests of the governance commands through the real command line: keys, signed
 * manifests from sample, verify and its tamper findings, the watermark, lineage over three
 * generations, dataset cards. Every command gets its own key directory and catalog, so nothing
 * touches ~/.ersatz or the working directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GovernanceCliTest {
  @TempDir
  static Path dir;

  Path real;
  Path keys;
  String catalog;

  /** The command line as CliTest runs it. */
  static Run run(String... args) {
    return CliTest.run(args);
  }

  /** Runs a command with this test's key directory and catalog. */
  Run gov(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    if (List.of("sample", "verify").contains(args[0])) {
      a.add("--key-dir");
      a.add(keys.toString());
    }
    if (List.of("fit", "sample", "lineage").contains(args[0])) {
      a.add("--catalog");
      a.add(catalog);
    }
    return run(a.toArray(String[]::new));
  }

  Run fit(Path data, Path model) {
    return gov("fit", data.toString(), "-o", model.toString(), "-q");
  }

  Run sample(Path model, Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of("sample", model.toString(), "-n", "3000", "-o",
        out.toString(), "-q"));
    a.addAll(List.of(extra));
    return gov(a.toArray(String[]::new));
  }

  static void ok(Run r) {
    assertThat(r.code()).as(r.out() + r.err()).isZero();
  }

  @BeforeAll
  void makeData() {
    Run demo = run("demo", "--out", dir.resolve("demo").toString(), "--rows", "3000", "-q");
    ok(demo);
    real = dir.resolve("demo/clinic_patients.csv");
    keys = dir.resolve("keys");
    catalog = "jdbc:h2:file:" + dir.resolve("catalog/lineage").toAbsolutePath();
  }

  @Test
  void keysInitCreatesAPairNeverOverwritesAndNeverPrintsTheSecret() throws IOException {
    Path k = dir.resolve("own-keys");
    Run init = run("keys", "init", "--key-dir", k.toString());
    ok(init);
    assertThat(init.out()).contains("created signing key").contains("ersatz-ed25519.pub");
    Path priv = k.resolve("ersatz-ed25519.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)))
        .isEqualTo("rw-------");
    Run again = run("keys", "init", "--key-dir", k.toString());
    assertCleanError(again, "already exists", "never overwritten");
    Run wm = run("keys", "init", "--watermark", "--key-dir", k.toString());
    ok(wm);
    assertThat(wm.out()).contains("kept").contains("created watermark key");
    Run show = run("keys", "show", "--key-dir", k.toString());
    ok(show);
    assertThat(show.out()).contains("signing key:").contains("watermark key:");
    String secret = secretBody(priv);
    String wmSecret = Files.readString(k.resolve("watermark.key")).strip();
    for (Run r : List.of(init, again, wm, show)) {
      assertThat(r.out() + r.err()).doesNotContain(secret).doesNotContain(wmSecret)
          .doesNotContain("PRIVATE KEY");
    }
  }

  private static String secretBody(Path pem) throws IOException {
    return Files.readAllLines(pem).stream().filter(l -> !l.startsWith("-----"))
        .collect(Collectors.joining());
  }

  @Test
  void sampleSignsAManifestAndVerifyNamesEveryKindOfTampering() throws IOException {
    Path model = dir.resolve("t.ersatz");
    ok(fit(real, model));
    Path out = dir.resolve("t.csv");
    Run s = sample(model, out);
    ok(s);
    Path mf = dir.resolve("t.csv.manifest.json");
    assertThat(s.out()).contains("manifest " + mf).contains("signed by key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mf)))
        .isEqualTo("rw-r--r--");
    Run v = gov("verify", out.toString());
    ok(v);
    assertThat(v.out()).contains("signature valid, signed by trusted key")
        .contains("SHA-256 matches").contains("model SHA-256 matches").endsWith("OK\n");

    byte[] original = Files.readAllBytes(out);
    byte[] flipped = original.clone();
    flipped[original.length / 2] ^= 1;
    Files.write(out, flipped);
    Run flip = gov("verify", out.toString());
    assertThat(flip.code()).isEqualTo(Main.CHECK_FAILED);
    assertThat(flip.out()).contains("OUTPUT_CHANGED").contains("bytes edited in place")
        .contains("changed byte range").contains("FAILED: 1 problem(s)");
    Files.write(out, original);

    String manifest = Files.readString(mf);
    Files.writeString(mf, manifest.replace("\"rows\": 3000", "\"rows\": 2999"));
    Run edited = gov("verify", out.toString());
    assertThat(edited.code()).isEqualTo(Main.CHECK_FAILED);
    assertThat(edited.out()).contains("MANIFEST_EDITED").contains("edited after it was signed");
    Files.writeString(mf, manifest);

    Path other = dir.resolve("other.ersatz");
    ok(gov("fit", real.toString(), "-o", other.toString(), "-q", "--seed", "7", "-g",
        "copula"));
    byte[] modelBytes = Files.readAllBytes(model);
    Files.copy(other, model, StandardCopyOption.REPLACE_EXISTING);
    Run swapped = gov("verify", out.toString(), "--json");
    assertThat(swapped.code()).isEqualTo(Main.CHECK_FAILED);
    JsonMap j = Json.parseObject(swapped.out());
    assertThat(j.bool("ok", true)).isFalse();
    assertThat(j.objects("findings").stream().map(f -> f.str("kind")))
        .contains("MODEL_CHANGED").doesNotContain("OUTPUT_CHANGED", "MANIFEST_EDITED");
    assertThat(swapped.out()).contains("swapped or modified");
    Files.write(model, modelBytes);
    ok(gov("verify", out.toString()));

    // a signature by a key that is not the trusted one
    Path strangers = dir.resolve("stranger-keys");
    ok(run("keys", "init", "--key-dir", strangers.toString()));
    Run untrusted = gov("verify", out.toString(), "--public-key",
        strangers.resolve("ersatz-ed25519.pub").toString());
    assertThat(untrusted.code()).isEqualTo(Main.CHECK_FAILED);
    assertThat(untrusted.out()).contains("UNTRUSTED_KEY");
  }

  @Test
  void lineageShowsAllThreeGenerationsUpToTheRealSource() {
    Path m1 = dir.resolve("m1.ersatz");
    Path m2 = dir.resolve("m2.ersatz");
    Path m3 = dir.resolve("m3.ersatz");
    Path g1 = dir.resolve("gen1.csv");
    Path g2 = dir.resolve("gen2.csv");
    Path g3 = dir.resolve("gen3.csv");
    ok(fit(real, m1));
    ok(sample(m1, g1, "--seed", "1"));
    ok(fit(g1, m2));
    ok(sample(m2, g2, "--seed", "2"));
    ok(fit(g2, m3));
    ok(sample(m3, g3, "--seed", "3"));
    Run text = gov("lineage", g3.toString());
    ok(text);
    List<String> lines = text.out().lines().toList();
    assertThat(lines).hasSize(7);
    assertThat(lines.get(0)).startsWith("synthetic dataset d-").contains("gen3.csv");
    assertThat(lines.get(1)).contains("sampled from model m-").contains("m3.ersatz");
    assertThat(lines.get(2)).contains("trained on synthetic dataset").contains("gen2.csv");
    assertThat(lines.get(3)).contains("m2.ersatz");
    assertThat(lines.get(4)).contains("gen1.csv");
    assertThat(lines.get(5)).contains("m1.ersatz");
    assertThat(lines.get(6)).contains("trained on source dataset")
        .contains("clinic_patients.csv");
    // by id, and in W3C PROV-JSON
    String id = lines.get(0).split(" ")[2];
    assertThat(gov("lineage", id).out()).isEqualTo(text.out());
    Run prov = gov("lineage", g3.toString(), "--format", "prov-json");
    ok(prov);
    JsonMap p = Json.parseObject(prov.out());
    assertThat(p.obj("entity").raw()).hasSize(7);
    assertThat(p.obj("activity").raw()).hasSize(6);
    assertThat(p.obj("wasDerivedFrom").raw()).hasSize(6);
    // the manifest alone carries the same chain, for whoever receives the file
    assertThat(dev.ersatz.provenance.Lineage.fromManifest(g3).nodes()).hasSize(7);
  }

  @Test
  void watermarkIsEmbeddedAndDetectedWithAPValue() throws IOException {
    Path model = dir.resolve("w.ersatz");
    ok(fit(real, model));
    Path wm = dir.resolve("w.csv");
    Run s = sample(model, wm, "--watermark");
    ok(s);
    assertThat(s.out()).contains("watermark " + Watermark.SCHEME + " embedded with key");
    Run v = gov("verify", wm.toString(), "--watermark");
    ok(v);
    assertThat(v.out()).contains("watermark PRESENT: p = ").endsWith("OK\n");
    assertThat(Files.readString(dir.resolve("w.csv.manifest.json"))).contains(Watermark.SCHEME);

    Path plain = dir.resolve("plain.csv");
    ok(sample(model, plain));
    Run none = gov("verify", plain.toString(), "--watermark");
    assertThat(none.code()).isEqualTo(Main.CHECK_FAILED);
    assertThat(none.out()).contains("watermark NOT DETECTED");

    // a copy found in the wild: no manifest, a subset of rows and columns
    List<String> lines = Files.readAllLines(wm);
    List<String> wild = new ArrayList<>();
    for (int i = 0; i < lines.size(); i += 2) {
      String[] cells = lines.get(i).split(",", -1);
      wild.add(String.join(",", java.util.Arrays.copyOfRange(cells, 1, cells.length)));
    }
    Path found = dir.resolve("found/w.csv");
    Files.createDirectories(found.getParent());
    Files.write(found, wild, StandardCharsets.UTF_8);
    Run f = gov("verify", found.toString(), "--watermark", "--json");
    ok(f);
    JsonMap j = Json.parseObject(f.out());
    assertThat(j.obj("watermark").bool("detected", false)).isTrue();
    assertThat(j.obj("watermark").num("pValue")).isLessThan(1e-6);
    assertThat(j.has("findings")).isFalse();

    assertCleanError(gov("sample", model.toString(), "-n", "10", "-o",
        dir.resolve("x.csv").toString(), "--watermark", "--watermark-key",
        dir.resolve("no-such.key").toString()), "no-such.key");
    assertThat(dir.resolve("x.csv")).doesNotExist();
  }

  @Test
  void cardSummarisesTheManifestAndTheEvaluation() throws IOException {
    Path model = dir.resolve("c.ersatz");
    ok(fit(real, model));
    Path out = dir.resolve("c.csv");
    ok(sample(model, out, "--where", "sex=F"));
    JsonMap sampling = Json.parseObject(Files.readString(dir.resolve("c.csv.manifest.json")))
        .obj("manifest").obj("sampling");
    assertThat(sampling.strings("where")).containsExactly("sex=F");
    Run e = run("evaluate", "--real", real.toString(), "--synthetic", out.toString(),
        "--no-utility", "--no-detection", "-o", dir.resolve("c-report").toString());
    ok(e);
    assertThat(dir.resolve("c.csv.report.json")).exists();
    Run c = gov("card", out.toString());
    ok(c);
    String md = Files.readString(dir.resolve("c.csv.card.md"));
    assertThat(md).contains("This dataset is synthetic").contains("## Intended use")
        .contains("No formal guarantee").contains("| quality |").contains("| exact_match |");
    JsonMap cr = Json.parseObject(Files.readString(dir.resolve("c.csv.croissant.json")));
    assertThat(cr.str("@type")).isEqualTo("sc:Dataset");
    assertThat(cr.str("conformsTo")).isEqualTo("http://mlcommons.org/croissant/1.0");
    assertThat(Files.readString(dir.resolve("c.csv.croissant.json")))
        .contains("\"sc:Integer\"").contains("\"sc:Date\"");
  }

  @Test
  void badInputGivesOneClearLine() throws IOException {
    assertCleanError(gov("verify", dir.resolve("missing.csv").toString()), "missing.csv",
        "no such file");
    assertCleanError(gov("lineage", "d-0000000000000000"), "d-0000000000000000",
        "not in the catalog");
    assertCleanError(gov("lineage", real.toString(), "--format", "xml"), "xml", "prov-json");
    assertCleanError(gov("card", real.toString()), "no manifest");
    Path notADir = Files.writeString(dir.resolve("keys-file"), "x");
    Path model = dir.resolve("b.ersatz");
    ok(fit(real, model));
    Run r = run("sample", model.toString(), "-n", "10", "-o", dir.resolve("b.csv").toString(),
        "--key-dir", notADir.toString(), "--catalog", catalog);
    assertCleanError(r, "keys-file", "--no-sign");
    assertThat(dir.resolve("b.csv")).doesNotExist();
    ok(run("sample", model.toString(), "-n", "10", "-o", dir.resolve("b.csv").toString(),
        "--key-dir", notADir.toString(), "--no-sign", "-q"));
    assertThat(dir.resolve("b.csv.manifest.json")).doesNotExist();
    Run unsigned = gov("verify", dir.resolve("b.csv").toString());
    assertThat(unsigned.code()).isEqualTo(Main.CHECK_FAILED);
    assertThat(unsigned.out()).contains("MANIFEST_MISSING");
  }

  private static void assertCleanError(Run r, String... fragments) {
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).startsWith("error: ");
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.err().strip().lines().count()).as(r.err()).isLessThanOrEqualTo(2);
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
  }
}
