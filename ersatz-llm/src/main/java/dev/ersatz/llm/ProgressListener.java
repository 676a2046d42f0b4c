package dev.ersatz.llm;

import java.util.Map;

/** Receives progress of a pipeline run (for a progress bar and live counts). Methods may be called from worker threads. */
public interface ProgressListener {
  /** A listener that ignores everything. */
  ProgressListener NONE = new ProgressListener() {};

  /**
   * A round starts.
   *
   * @param round the round, from 1
   * @param rounds total rounds
   * @param candidates candidates to generate
   */
  default void roundStarted(int round, int rounds, int candidates) {}

  /**
   * A candidate was generated.
   *
   * @param round the round
   * @param generated candidates generated so far this round
   * @param total candidates this round
   */
  default void generated(int round, int generated, int total) {}

  /**
   * A candidate went through the filters.
   *
   * @param round the round
   * @param kept kept so far this round
   * @param rejected rejected so far this round
   */
  default void filtered(int round, int kept, int rejected) {}

  /**
   * A round finished.
   *
   * @param round the round
   * @param metrics its metrics (as in the manifest)
   */
  default void roundFinished(int round, Map<String, Object> metrics) {}

  /**
   * Something the user should know (diversity falling, budget exhausted).
   *
   * @param message the warning
   */
  default void warning(String message) {}
}
