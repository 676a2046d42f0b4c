package dev.ersatz.privacy.ledger;

/**
 * A spend recorded by {@link BudgetLedger#reserve}: it already counts against the budget.
 * Call {@link #commit()} once the model is released, or {@link #abort()} if the fit failed
 * before anything left the process. If neither happens (the process dies), it stays reserved
 * and keeps counting as spent, which is the safe side.
 */
public interface Reservation {

  /** The ledger id of this spend. */
  long id();

  /** Marks the spend as committed (final). Idempotent. */
  void commit();

  /**
   * Returns the budget: only for a fit that failed before releasing any output.
   *
   * @throws dev.ersatz.core.ErsatzException if it was already committed
   */
  void abort();
}
