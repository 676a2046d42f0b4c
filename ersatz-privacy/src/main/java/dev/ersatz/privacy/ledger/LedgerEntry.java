package dev.ersatz.privacy.ledger;

import java.time.Instant;

/**
 * One recorded spend.
 *
 * @param id the ledger's id for it
 * @param fingerprint SHA-256 of the source dataset
 * @param status {@code reserved} (counts as spent: the fit may have released its model, or
 *     crashed after reserving), {@code committed} (spent, model released) or {@code aborted}
 *     (returned: the fit failed before releasing anything)
 * @param who the user name of the process that reserved it
 * @param at when it was reserved
 * @param generator the generator's name
 * @param parameters the generator's settings as text (no data values)
 * @param description free text from the caller
 * @param epsilon the epsilon spent
 * @param delta the delta spent
 */
public record LedgerEntry(long id, String fingerprint, String status, String who, Instant at,
    String generator, String parameters, String description, double epsilon, double delta) {

  /** Whether this entry counts against the budget. */
  public boolean counts() {
    return !status.equals(BudgetLedger.ABORTED);
  }
}
