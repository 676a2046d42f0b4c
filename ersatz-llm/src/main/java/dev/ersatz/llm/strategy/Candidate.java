package dev.ersatz.llm.strategy;

import java.util.List;
import java.util.Map;

/**
 * One generated candidate before filtering.
 *
 * @param slot its position in the round (stable across reruns)
 * @param instruction the instruction (may be empty when generation failed)
 * @param input the input, empty when none
 * @param output the output
 * @param failure null, or why generation produced no usable candidate (malformed response, timeout,
 *     elimination rule, ...)
 * @param truncated true when a model response stopped at the token limit
 * @param stratum review stratum
 * @param parentId parent example id (evol-instruct), or null
 * @param contextIds in-context example ids
 * @param templates template name to hash for the templates used
 * @param requestIds the model calls made
 * @param endpoint generating endpoint name
 * @param model generating model
 */
public record Candidate(
    int slot, String instruction, String input, String output, String failure, boolean truncated,
    String stratum, String parentId, List<String> contextIds, Map<String, String> templates,
    List<String> requestIds, String endpoint, String model) {

  /** Copies collections and normalizes nulls. */
  public Candidate {
    instruction = instruction == null ? "" : instruction.strip();
    input = input == null ? "" : input.strip();
    output = output == null ? "" : output.strip();
    contextIds = List.copyOf(contextIds);
    templates = Map.copyOf(templates);
    requestIds = List.copyOf(requestIds);
  }
}
