package dev.ersatz.llm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instruction-tuning example.
 *
 * @param id stable id ({@code r<round>-<slot>} for generated, the seed's id for human seeds)
 * @param instruction the instruction
 * @param input the optional input (empty when none)
 * @param output the response
 * @param lineage where it came from
 */
public record Example(String id, String instruction, String input, String output, Lineage lineage) {
  /** Normalizes nulls to empty strings. */
  public Example {
    input = input == null ? "" : input;
    output = output == null ? "" : output;
  }

  /** @return plain JSON values */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("instruction", instruction);
    m.put("input", input);
    m.put("output", output);
    m.put("lineage", lineage.toJson());
    return m;
  }

  /**
   * Reads {@link #toJson()} output.
   *
   * @param m the map
   * @return the example
   */
  @SuppressWarnings("unchecked")
  public static Example fromJson(Map<String, Object> m) {
    return new Example((String) m.get("id"), (String) m.get("instruction"), (String) m.get("input"),
        (String) m.get("output"), Lineage.fromJson((Map<String, Object>) m.get("lineage")));
  }

  /** @return the instruction followed by the input, as a single user turn */
  public String userTurn() {
    return input.isBlank() ? instruction : instruction + "\n\n" + input;
  }
}
