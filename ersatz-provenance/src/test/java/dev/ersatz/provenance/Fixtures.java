package dev.ersatz.provenance;

import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.core.spi.SourceInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** Small files standing in for sources, models and outputs. */
final class Fixtures {
  private Fixtures() {}

  /** A CSV of {@code rows} lines (about 30 bytes each) whose content depends on {@code salt}. */
  static Path csv(Path dir, String name, int rows, long salt) throws IOException {
    StringBuilder sb = new StringBuilder("id,age,city\n");
    for (int i = 0; i < rows; i++) {
      sb.append(String.format(Locale.ROOT, "%d,%d,city-%d%n", i, 18 + (i * 7 + salt) % 60,
          (i + salt) % 13));
    }
    Path p = dir.resolve(name);
    Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
    return p;
  }

  static Path model(Path dir, String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "{\"format\":\"ersatz-model\",\"fitted\":\"" + content + "\"}",
        StandardCharsets.UTF_8);
    return p;
  }

  static ModelProvenance provenance(Path source, long rows, long fitSeed) {
    return new ModelProvenance("gaussian-copula", Map.of("rareThreshold", 5),
        new SourceInfo(source.getFileName().toString(), Hashes.sha256(source), "", rows),
        fitSeed, Map.of("rareCategoryThreshold", 5), "0.1.0-test", "17", "amd64",
        "2026-11-01T10:00:00Z");
  }

  /** One generation: fit a "model" on {@code source}, sample {@code out}, write its manifest. */
  static Manifest generation(Path dir, Path source, String out, String model, int rows,
      long seed, SigningKey key) throws IOException {
    Path m = model(dir, model, out);
    Path o = csv(dir, out, rows, seed);
    Manifest man = Manifests.builder(o).provenance(provenance(source, 100, seed))
        .modelFile(m).sourceFile(source).seed(seed).rows(rows)
        .createdAt(Instant.parse("2026-11-02T10:00:00Z")).build();
    Manifests.write(o, man, key);
    return man;
  }
}
