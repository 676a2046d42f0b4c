package dev.ersatz.privacy.ledger;

import java.time.Instant;

/**
 * A change of a dataset's total epsilon, as the ledger recorded it: who changed it, when, and
 * from what to what. Raising a total is how more can be spent on the same data, so the ledger
 * keeps every change next to the spends.
 *
 * @param fingerprint the dataset's content fingerprint
 * @param who the operating-system user who made the change
 * @param at when
 * @param before the total before (the default total if none had been set)
 * @param after the total after
 */
public record BudgetChange(String fingerprint, String who, Instant at, double before,
    double after) {}
