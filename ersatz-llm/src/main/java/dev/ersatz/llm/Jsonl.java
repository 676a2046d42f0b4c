package dev.ersatz.llm;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON-lines reading that tolerates a torn last line (an interrupted append). */
final class Jsonl {
  private Jsonl() {}

  /**
   * Drops a torn last line (bytes after the last newline) left by a killed append, so later
   * appends start on a fresh line.
   */
  static void repair(Path file) {
    if (!Files.exists(file)) {
      return;
    }
    try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
      long size = ch.size();
      long keep = size;
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      while (keep > 0) {
        b.clear();
        ch.read(b, keep - 1);
        if (b.get(0) == '\n') {
          break;
        }
        keep--;
      }
      if (keep < size) {
        ch.truncate(keep);
        ch.force(true);
      }
    } catch (IOException e) {
      throw new ErsatzException("cannot repair " + file + ": " + e.getMessage(), e);
    }
  }

  static List<Map<String, Object>> read(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ErsatzException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        out.add(Json.parseObject(lines.get(i)).raw());
      } catch (RuntimeException e) {
        if (i == lines.size() - 1) {
          break;
        }
        throw new UserInputException(file + ": line " + (i + 1) + " is not valid JSON");
      }
    }
    return out;
  }
}
