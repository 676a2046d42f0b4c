package dev.ersatz.llm.endpoint;

/**
 * The outcome of one chat request: either text or a failure reason, never null.
 *
 * @param endpoint the endpoint's configured name
 * @param model the model name
 * @param text the completion text; empty when failed
 * @param failure null when ok, else why the call produced no usable text (after retries)
 * @param truncated true when the model stopped at the token limit
 * @param inputTokens prompt tokens reported by the server (0 if unknown)
 * @param outputTokens completion tokens reported by the server (0 if unknown)
 * @param cost cost from the endpoint's configured prices
 */
public record Completion(
    String endpoint, String model, String text, String failure, boolean truncated,
    long inputTokens, long outputTokens, double cost) {

  /** @return true when the call produced text */
  public boolean ok() {
    return failure == null;
  }

  static Completion failed(String endpoint, String model, String reason) {
    return new Completion(endpoint, model, "", reason, false, 0, 0, 0);
  }
}
