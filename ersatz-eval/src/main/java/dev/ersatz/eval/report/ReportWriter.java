package dev.ersatz.eval.report;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.json.Json;
import dev.ersatz.eval.EvaluationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes {@code report.json} (every figure, canonical JSON) and {@code report.html} (one file
 * with inline SVG pictures and no external resources) into a folder. Each file is written to a
 * temporary file beside it and renamed, so a reader never sees half a report.
 */
public final class ReportWriter {
  private ReportWriter() {}

  /**
   * Writes both files, creating {@code dir} if needed.
   *
   * @throws ErsatzException when the folder cannot be created or written
   */
  public static void write(EvaluationReport report, Path dir) {
    try {
      Files.createDirectories(dir);
      atomicWrite(dir.resolve("report.json"), Json.writePretty(report.toJson()));
      atomicWrite(dir.resolve("report.html"), Html.render(report));
    } catch (IOException e) {
      throw new ErsatzException("cannot write the report into " + dir + ": " + e.getMessage(),
          e);
    }
  }

  static void atomicWrite(Path target, String text) throws IOException {
    // a unique name beside the target (same file system, so the rename is atomic); created
    // with the default permissions, unlike Files.createTempFile's owner-only ones
    Path tmp = target.resolveSibling("." + target.getFileName() + "."
        + Long.toHexString(System.nanoTime()) + "-" + Thread.currentThread().getId() + ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
