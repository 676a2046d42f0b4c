package dev.ersatz.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysAndManifestTest {
  @TempDir Path dir;

  @Test
  void keyPairIsCreatedPrivatelyAndNeverOverwritten() throws IOException {
    Path kd = dir.resolve("keys");
    SigningKey k = Keys.init(kd);
    Path priv = kd.resolve(Keys.PRIVATE_FILE);
    assertThat(priv).exists();
    if (priv.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kd)))
          .isEqualTo("rwx------");
    }
    assertThatThrownBy(() -> Keys.init(kd)).isInstanceOf(UserInputException.class)
        .hasMessageContaining("never overwritten");
    WatermarkKey wk = Keys.initWatermark(kd);
    assertThat(Keys.loadWatermark(kd).keyId()).isEqualTo(wk.keyId());
    assertThatThrownBy(() -> Keys.initWatermark(kd)).isInstanceOf(UserInputException.class);
    SigningKey loaded = Keys.load(kd);
    assertThat(loaded.keyId()).isEqualTo(k.keyId());
    byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
    assertThat(loaded.sign(msg)).hasSize(64);
  }

  @Test
  void privateKeyNeverAppearsInTextOrErrors() throws IOException {
    Path kd = dir.resolve("keys");
    SigningKey k = Keys.init(kd);
    String pem = Files.readString(kd.resolve(Keys.PRIVATE_FILE), StandardCharsets.US_ASCII);
    String body = pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    assertThat(k.toString()).doesNotContain(body).contains(k.keyId());
    // a damaged private key file: the error names the file, never its content
    Files.writeString(kd.resolve(Keys.PRIVATE_FILE), pem.replace(body.substring(0, 8), "AAAA"),
        StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> Keys.load(kd)).isInstanceOf(UserInputException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body.substring(8, 30)));
    assertThatThrownBy(() -> Keys.load(dir.resolve("nowhere")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("keys init");
    WatermarkKey wk = WatermarkKey.of(new byte[32]);
    assertThat(wk.toString()).doesNotContain(Base64.getEncoder().encodeToString(new byte[32]))
        .contains(wk.keyId());
  }

  @Test
  void manifestRoundTripsAndRecordsEverything() throws IOException {
    SigningKey key = Keys.init(dir.resolve("keys"));
    Path src = Fixtures.csv(dir, "real.csv", 100, 0);
    Manifest m = Fixtures.generation(dir, src, "out.csv", "model.ersatz", 500, 11, key);
    Manifest back = Manifests.read(dir.resolve("out.csv"));
    // JSON numbers come back as Long, so compare the canonical form (what is signed)
    assertThat(Json.write(back.toJson())).isEqualTo(Json.write(m.toJson()));
    assertThat(back.outputs()).isEqualTo(m.outputs());
    assertThat(back.parents()).isEqualTo(m.parents());
    assertThat(m.id()).startsWith("d-").hasSize(18);
    assertThat(m.model().path()).isEqualTo("model.ersatz");
    assertThat(m.model().sha256()).isEqualTo(Hashes.sha256(dir.resolve("model.ersatz")));
    assertThat(m.sources().get(0).sha256()).isEqualTo(Hashes.sha256(src));
    assertThat(m.rows()).isEqualTo(500);
    assertThat(m.seed()).isEqualTo(11);
    assertThat(m.javaVersion()).isNotEmpty();
    assertThat(m.parents()).extracting(Manifest.Ancestor::kind)
        .containsExactly("model", "dataset");
    String text = Files.readString(Manifests.manifestPath(dir.resolve("out.csv")),
        StandardCharsets.UTF_8);
    assertThat(text).contains("\"format\": \"ersatz-manifest\"").contains("\"Ed25519\"")
        .doesNotContain("PRIVATE");
  }

  @Test
  void parentChainFollowsSyntheticSources() throws IOException {
    SigningKey key = Keys.init(dir.resolve("keys"));
    Path real = Fixtures.csv(dir, "real.csv", 100, 0);
    Manifest g1 = Fixtures.generation(dir, real, "gen1.csv", "m1.ersatz", 100, 1, key);
    Manifest g2 = Fixtures.generation(dir, dir.resolve("gen1.csv"), "gen2.csv", "m2.ersatz",
        100, 2, key);
    Manifest g3 = Fixtures.generation(dir, dir.resolve("gen2.csv"), "gen3.csv", "m3.ersatz",
        100, 3, key);
    assertThat(g3.parents()).extracting(Manifest.Ancestor::id).containsExactly(
        g3.model().id(), g2.id(), g2.model().id(), g1.id(), g1.model().id(),
        Manifests.datasetId(Hashes.sha256(real), "real.csv"));
    assertThat(g3.parents().get(1).derivedFrom()).containsExactly(g2.model().id());
    assertThat(g3.parents().get(5).generator()).isEmpty();
  }
}
