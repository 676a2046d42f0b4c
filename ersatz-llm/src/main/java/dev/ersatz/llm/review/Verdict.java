package dev.ersatz.llm.review;

/**
 * A reviewer's verdict on one example. Edits count as accepted (with the corrected text).
 *
 * @param exampleId the example
 * @param kind {@code accept}, {@code reject} or {@code edit}
 * @param reviewer who reviewed
 * @param reason optional reason (rejections)
 * @param instruction corrected instruction (edits), else null
 * @param input corrected input (edits), else null
 * @param output corrected output (edits), else null
 */
public record Verdict(String exampleId, String kind, String reviewer, String reason, String instruction, String input,
    String output) {
  /** @return true for a rejection */
  public boolean rejected() {
    return kind.equals("reject");
  }
}
