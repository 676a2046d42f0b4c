package dev.ersatz.provenance;

import dev.ersatz.core.table.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a table and its watermarked copy as CSV, to score both with the shared
 * {@code score.py} and compare (see BENCHMARKS-gov.md for the commands and figures).
 *
 * <p>Arguments: input CSV (gz allowed), output folder, key seed (default 0). Writes
 * {@code plain.csv} and {@code watermarked.csv}.
 */
public final class WatermarkQuality {
  private WatermarkQuality() {}

  public static void main(String[] args) throws IOException {
    Path in = Path.of(args[0]);
    Path dir = Path.of(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
    Files.createDirectories(dir);
    Table t = TestCsv.read(in);
    WatermarkKey key = WatermarkBench.key(seed);
    Table wm = Watermark.embed(t, key);
    TestCsv.write(t, dir.resolve("plain.csv"));
    TestCsv.write(wm, dir.resolve("watermarked.csv"));
    int changed = 0;
    int cells = 0;
    for (int j = 0; j < t.schema().size(); j++) {
      for (int r = 0; r < t.rowCount(); r++) {
        cells++;
        if (!TestCsv.cell(t, j, r).equals(TestCsv.cell(wm, j, r))) {
          changed++;
        }
      }
    }
    System.out.printf(java.util.Locale.ROOT, "changed cells: %d of %d (%.2f%%); p-value %.3g%n",
        changed, cells, 100.0 * changed / cells, Watermark.detect(wm, key).pValue());
  }
}
