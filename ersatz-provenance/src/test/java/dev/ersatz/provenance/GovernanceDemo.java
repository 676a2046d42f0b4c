package dev.ersatz.provenance;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints what the governance commands show, on three generations of small files in a temporary
 * folder: a verification report after a flipped byte, the lineage tree, and PROV-JSON.
 */
public final class GovernanceDemo {
  private GovernanceDemo() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("ersatz-gov-demo");
    SigningKey key = Keys.init(dir.resolve("keys"));
    Path real = Fixtures.csv(dir, "real.csv", 100, 0);
    Manifest g1 = Fixtures.generation(dir, real, "gen1.csv", "m1.ersatz", 100, 1, key);
    Manifest g2 = Fixtures.generation(dir, dir.resolve("gen1.csv"), "gen2.csv", "m2.ersatz",
        100, 2, key);
    Manifest g3 = Fixtures.generation(dir, dir.resolve("gen2.csv"), "gen3.csv", "m3.ersatz",
        12_000, 3, key);
    Path out = dir.resolve("gen3.csv");
    System.out.print(Verifier.verify(out, key.publicKey()).report());
    byte[] b = Files.readAllBytes(out);
    b[100_000] ^= 1;
    Files.write(out, b);
    System.out.print(Verifier.verify(out, key.publicKey()).report());
    b[100_000] ^= 1;
    Files.write(out, b);
    try (Catalog c = Catalog.openDefault(dir)) {
      c.record(g1, dir.resolve("gen1.csv"));
      c.record(g2, dir.resolve("gen2.csv"));
      c.record(g3, out);
      LineageGraph g = Lineage.graph(c, out.toString());
      System.out.print(g.toText());
      System.out.print(g.toProvJsonString());
    }
  }
}
