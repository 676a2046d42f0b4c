package dev.ersatz.llm;

import dev.ersatz.llm.review.ReviewQueue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's append-only journal ({@code journal.jsonl}): a header, then every kept example and a
 * record per finished round, each line forced to disk before the run moves on. A killed run
 * resumes from it: finished rounds are restored, the unfinished round is regenerated (its model
 * calls replay from the cassette) and examples already journaled are not written again.
 */
final class Journal {
  final Path file;
  Map<String, Object> header;
  final Map<String, Example> examples = new LinkedHashMap<>();
  final Map<Integer, Map<String, Object>> rounds = new LinkedHashMap<>();

  private Journal(Path file) {
    this.file = file;
  }

  @SuppressWarnings("unchecked")
  static Journal open(Path runDir) {
    Journal j = new Journal(runDir.resolve("journal.jsonl"));
    Jsonl.repair(j.file);
    for (Map<String, Object> m : Jsonl.read(j.file)) {
      Object type = m.get("type");
      if ("header".equals(type)) {
        j.header = m;
      } else if ("example".equals(type)) {
        Example e = Example.fromJson((Map<String, Object>) m.get("example"));
        j.examples.put(e.id(), e);
      } else if ("round".equals(type)) {
        j.rounds.put(((Number) m.get("round")).intValue(), (Map<String, Object>) m.get("metrics"));
      }
    }
    return j;
  }

  void writeHeader(Map<String, Object> h) {
    Map<String, Object> m = new LinkedHashMap<>(h);
    m.put("type", "header");
    ReviewQueue.appendSynced(file, dev.ersatz.core.json.Json.write(m) + "\n");
    header = m;
  }

  void append(Example e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "example");
    m.put("example", e.toJson());
    ReviewQueue.appendSynced(file, dev.ersatz.core.json.Json.write(m) + "\n");
    examples.put(e.id(), e);
  }

  void finishRound(int round, Map<String, Object> metrics) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "round");
    m.put("round", (long) round);
    m.put("metrics", metrics);
    ReviewQueue.appendSynced(file, dev.ersatz.core.json.Json.write(m) + "\n");
    rounds.put(round, metrics);
  }

  List<Example> examplesOfRound(int round) {
    List<Example> out = new ArrayList<>();
    for (Example e : examples.values()) {
      if (e.lineage().round() == round) {
        out.add(e);
      }
    }
    return out;
  }
}
