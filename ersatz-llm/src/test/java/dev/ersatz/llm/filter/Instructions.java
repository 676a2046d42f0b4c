package dev.ersatz.llm.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads the shared benchmark file {@code instructions_100k.jsonl.gz}, in id order. */
final class Instructions {
  private Instructions() {}

  static Path sharedFile() {
    String dir = System.getProperty("ersatz.shared.data", "../shared/data");
    return Path.of(dir, "instructions_100k.jsonl.gz");
  }

  static List<String> read(Path file, int limit) throws IOException {
    ObjectMapper om = new ObjectMapper();
    List<long[]> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = om.readTree(line);
        ids.add(new long[] {n.get("id").asLong(), texts.size()});
        texts.add(n.get("instruction").asText());
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
