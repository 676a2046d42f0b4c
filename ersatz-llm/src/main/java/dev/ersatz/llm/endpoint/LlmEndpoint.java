package dev.ersatz.llm.endpoint;

import java.util.Map;

/**
 * A chat model endpoint with its reliability policy (retries, rate and concurrency limits,
 * budget, record/replay) built in. Implementations are thread-safe.
 */
public interface LlmEndpoint {
  /** @return the endpoint's configured name */
  String name();

  /** @return the model name */
  String model();

  /**
   * Sends one chat request. Never returns null and never hangs: transport failures, timeouts
   * and malformed responses come back as a failed {@link Completion} with a reason.
   *
   * @param prompt the request
   * @return the completion or a failure
   * @throws BudgetExhaustedException when the run's token or cost budget is spent
   */
  Completion complete(Prompt prompt);

  /**
   * Describes the endpoint for lineage and manifests, without any secret.
   *
   * @return plain JSON values
   */
  Map<String, Object> describe();
}
