package dev.ersatz.llm.endpoint;

import java.util.Objects;

/**
 * One chat request to an endpoint.
 *
 * @param requestId a deterministic id unique within the run (e.g. {@code r2/gen/17}); it keys the
 *     record/replay cassette and seeds the retry jitter
 * @param system the system message, may be empty
 * @param user the user message
 */
public record Prompt(String requestId, String system, String user) {
  /** Validates the fields. */
  public Prompt {
    Objects.requireNonNull(requestId, "requestId");
    system = system == null ? "" : system;
    Objects.requireNonNull(user, "user");
  }
}
