package dev.ersatz.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Small helpers to write test input files. */
final class TestTables {
  private TestTables() {}

  static Path write(Path dir, String name, String text) {
    return writeBytes(dir, name, text.getBytes(StandardCharsets.UTF_8));
  }

  static Path writeBytes(Path dir, String name, byte[] bytes) {
    try {
      Path p = dir.resolve(name);
      Files.write(p, bytes);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path writeGz(Path dir, String name, String text) {
    try {
      Path p = dir.resolve(name);
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A CSV text with a header and {@code rows} rows produced by {@code row}. */
  static String csv(String header, int rows, java.util.function.IntFunction<String> row) {
    StringBuilder sb = new StringBuilder(header).append('\n');
    for (int i = 0; i < rows; i++) {
      sb.append(row.apply(i)).append('\n');
    }
    return sb.toString();
  }

  /** A SQL string literal for DuckDB. */
  static String sqlString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
