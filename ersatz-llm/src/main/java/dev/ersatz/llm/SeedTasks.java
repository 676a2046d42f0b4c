package dev.ersatz.llm;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads human seed tasks from JSONL, in Self-Instruct's {@code seed_tasks.jsonl} format
 * ({@code id}, {@code instruction}, {@code instances: [{input, output}]}, {@code is_classification})
 * or flat ({@code instruction}, {@code input}, {@code output}).
 */
public final class SeedTasks {
  private SeedTasks() {}

  /**
   * Reads seed tasks.
   *
   * @param file the JSONL file
   * @return the seeds as round-0 examples with {@code human} lineage
   * @throws UserInputException naming the file and line when a line is invalid
   */
  @SuppressWarnings("unchecked")
  public static List<Example> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserInputException("cannot read seed tasks " + file + ": " + e.getMessage(), e);
    }
    List<Example> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      Map<String, Object> m;
      try {
        m = Json.parseObject(line).raw();
      } catch (RuntimeException e) {
        throw new UserInputException(file + ": line " + (i + 1) + " is not a JSON object: " + e.getMessage());
      }
      Object ins = m.get("instruction");
      if (!(ins instanceof String s) || s.isBlank()) {
        throw new UserInputException(file + ": line " + (i + 1) + ": field 'instruction' is missing or empty");
      }
      String id = m.get("id") == null ? "seed-" + (i + 1) : String.valueOf(m.get("id"));
      if (!ids.add(id)) {
        throw new UserInputException(file + ": line " + (i + 1) + ": id '" + id + "' is used twice");
      }
      String input = "";
      String output = "";
      if (m.get("instances") instanceof List<?> inst && !inst.isEmpty() && inst.get(0) instanceof Map<?, ?> first) {
        input = String.valueOf(((Map<String, Object>) first).getOrDefault("input", ""));
        output = String.valueOf(((Map<String, Object>) first).getOrDefault("output", ""));
      } else {
        input = m.get("input") == null ? "" : String.valueOf(m.get("input"));
        output = m.get("output") == null ? "" : String.valueOf(m.get("output"));
      }
      boolean cls = Boolean.TRUE.equals(m.get("is_classification"));
      Lineage l = new Lineage("human", "human", "human", Map.of(), List.of(), null, 0,
          cls ? "classification" : "generation", List.of(), Map.of(), null, "human");
      out.add(new Example(id, s.strip(), input, output, l));
    }
    if (out.isEmpty()) {
      throw new UserInputException(file + " has no seed tasks");
    }
    return out;
  }
}
