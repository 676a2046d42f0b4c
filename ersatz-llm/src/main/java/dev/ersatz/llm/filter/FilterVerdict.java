package dev.ersatz.llm.filter;

/**
 * A filter's verdict on one candidate.
 *
 * @param pass true to keep the candidate
 * @param score the filter's score (a number, or a short label), recorded in lineage
 * @param reason why it was rejected, or null when it passed
 */
public record FilterVerdict(boolean pass, Object score, String reason) {
  /**
   * A pass.
   *
   * @param score the score
   * @return the verdict
   */
  public static FilterVerdict pass(Object score) {
    return new FilterVerdict(true, score, null);
  }

  /**
   * A rejection.
   *
   * @param score the score
   * @param reason why
   * @return the verdict
   */
  public static FilterVerdict reject(Object score, String reason) {
    return new FilterVerdict(false, score, reason);
  }
}
