package dev.ersatz.llm.endpoint;

import dev.ersatz.core.ErsatzException;

/** Thrown when the run's token or cost budget is spent; the pipeline stops cleanly on it. */
public class BudgetExhaustedException extends ErsatzException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was exhausted, with the numbers
   */
  public BudgetExhaustedException(String message) {
    super(message);
  }
}
