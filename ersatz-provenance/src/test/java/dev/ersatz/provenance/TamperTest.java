package dev.ersatz.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.json.Json;
import dev.ersatz.provenance.VerificationResult.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of change is detected and named. */
class TamperTest {
  @TempDir Path dir;
  SigningKey key;
  PublicKey trusted;
  Path out;
  Path model;

  @BeforeEach
  void setUp() throws IOException {
    key = Keys.init(dir.resolve("keys"));
    trusted = key.publicKey();
    Path source = Fixtures.csv(dir, "real.csv", 100, 0);
    model = Fixtures.model(dir, "model.ersatz", "params");
    // ~300 KB: several 64 KiB chunks, so a change can be located
    out = Fixtures.csv(dir, "out.csv", 12_000, 42);
    Manifest m = Manifests.builder(out).provenance(Fixtures.provenance(source, 100, 7))
        .modelFile(model).sourceFile(source).seed(42).rows(12_000).epsilonSpent(1.5).build();
    Manifests.write(out, m, key);
  }

  VerificationResult verify() {
    return Verifier.verify(out, trusted);
  }

  @Test
  void untouchedOutputVerifies() {
    VerificationResult r = verify();
    assertThat(r.ok()).as(r.report()).isTrue();
    assertThat(r.errors()).isEmpty();
    assertThat(r.keyId()).isEqualTo(key.keyId());
    assertThat(r.report()).contains("OK").contains("signed by trusted key " + key.keyId());
  }

  @Test
  void flippedByteInTheDataIsLocated() throws IOException {
    byte[] b = Files.readAllBytes(out);
    b[100_000] ^= 0x01;
    Files.write(out, b);
    VerificationResult r = verify();
    assertThat(r.ok()).isFalse();
    assertThat(r.errors()).extracting(VerificationResult.Finding::kind)
        .containsExactly(Kind.OUTPUT_CHANGED);
    String msg = r.errors().get(0).message();
    assertThat(msg).contains("same size").contains("[65536, 131072)").contains("line");
  }

  @Test
  void appendedRowsChangeTheSize() throws IOException {
    Files.writeString(out, "99999,30,city-1\n", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    VerificationResult r = verify();
    assertThat(r.has(Kind.OUTPUT_CHANGED)).isTrue();
    assertThat(r.errors().get(0).message()).contains("size changed").contains("(+16)");
  }

  @Test
  void editedManifestIsNamed() throws IOException {
    Path mf = Manifests.manifestPath(out);
    String text = Files.readString(mf, StandardCharsets.UTF_8);
    Files.writeString(mf, text.replace("\"rows\": 12000", "\"rows\": 24000"),
        StandardCharsets.UTF_8);
    VerificationResult r = verify();
    assertThat(r.errors()).extracting(VerificationResult.Finding::kind)
        .containsExactly(Kind.MANIFEST_EDITED);
    assertThat(r.errors().get(0).message()).contains("edited after it was signed");
  }

  @Test
  void editedDataWithUpdatedHashIsStillCaught() throws IOException {
    byte[] b = Files.readAllBytes(out);
    b[10] ^= 0x02;
    Files.write(out, b);
    Path mf = Manifests.manifestPath(out);
    String text = Files.readString(mf, StandardCharsets.UTF_8);
    Manifest m = Manifests.read(out);
    Files.writeString(mf, text.replace(m.primaryOutput().sha256(), Hashes.sha256(out)),
        StandardCharsets.UTF_8);
    VerificationResult r = verify();
    assertThat(r.has(Kind.MANIFEST_EDITED)).isTrue();
  }

  @Test
  void reformattingTheManifestIsHarmless() throws IOException {
    Path mf = Manifests.manifestPath(out);
    Object parsed = Json.parse(Files.readString(mf, StandardCharsets.UTF_8));
    Files.writeString(mf, Json.write(parsed), StandardCharsets.UTF_8);
    assertThat(verify().ok()).isTrue();
  }

  @Test
  void swappedModelIsNamed() throws IOException {
    Files.writeString(model, "{\"format\":\"ersatz-model\",\"fitted\":\"other\"}",
        StandardCharsets.UTF_8);
    VerificationResult r = verify();
    assertThat(r.errors()).extracting(VerificationResult.Finding::kind)
        .containsExactly(Kind.MODEL_CHANGED);
    assertThat(r.errors().get(0).message()).contains("swapped or modified");
  }

  @Test
  void absentModelIsReportedButNotAnError() throws IOException {
    Files.delete(model);
    VerificationResult r = verify();
    assertThat(r.ok()).isTrue();
    assertThat(r.has(Kind.MODEL_NOT_FOUND)).isTrue();
  }

  @Test
  void wrongKeyIsNamed() {
    SigningKey other = Keys.init(dir.resolve("other-keys"));
    Manifests.write(out, Manifests.read(out), other);
    VerificationResult r = verify();
    assertThat(r.errors()).extracting(VerificationResult.Finding::kind)
        .containsExactly(Kind.UNTRUSTED_KEY);
    assertThat(r.errors().get(0).message()).contains(other.keyId()).contains(key.keyId());
    // without a trusted key the signature still checks, with a warning
    VerificationResult loose = Verifier.verify(out, List.of());
    assertThat(loose.ok()).isTrue();
    assertThat(loose.has(Kind.KEY_NOT_CHECKED)).isTrue();
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    Files.delete(out);
    assertThat(Verifier.verify(Manifests.manifestPath(out), trusted).has(Kind.OUTPUT_MISSING))
        .isTrue();
    Files.delete(Manifests.manifestPath(out));
    assertThat(verify().has(Kind.MANIFEST_MISSING)).isTrue();
  }

  @Test
  void malformedOrFutureManifestsAreNamed() throws IOException {
    Path mf = Manifests.manifestPath(out);
    String text = Files.readString(mf, StandardCharsets.UTF_8);
    Files.writeString(mf, text.replace("\"formatVersion\": 1", "\"formatVersion\": 9"),
        StandardCharsets.UTF_8);
    VerificationResult r = verify();
    assertThat(r.has(Kind.MANIFEST_MALFORMED)).isTrue();
    assertThat(r.errors().get(0).message()).contains("version 9");
    Files.writeString(mf, "{not json", StandardCharsets.UTF_8);
    assertThat(verify().has(Kind.MANIFEST_MALFORMED)).isTrue();
  }
}
