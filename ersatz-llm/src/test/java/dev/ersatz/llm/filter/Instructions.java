package dev.ersatz.llm.filter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads the shared benchmark file {@code instructions_100k.jsonl.gz}, in id order (JDK + ersatz-core only). */
final class Instructions {
  private Instructions() {}

  static Path sharedFile() {
    String dir = System.getProperty("ersatz.shared.data", "../shared/data");
    return Path.of(dir, "instructions_100k.jsonl.gz");
  }

  static List<String> read(Path file, int limit) throws IOException {
    List<long[]> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        var n = dev.ersatz.core.json.Json.parseObject(line).raw();
        ids.add(new long[] {((Number) n.get("id")).longValue(), texts.size()});
        texts.add((String) n.get("instruction"));
      }
    }
    ids.sort((a, b) -> Long.compare(a[0], b[0]));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, ids.size()); i++) {
      out.add(texts.get((int) ids.get(i)[1]));
    }
    return out;
  }
}
