/**
 * The privacy budget ledger: for each source dataset (by content fingerprint) a total epsilon
 * budget and every DP fit that spent part of it, with who, when and what, kept in a small
 * embedded H2 database file (or any JDBC database when configured) so that the budget is spent
 * once across processes, users and crashes.
 */
package dev.ersatz.privacy.ledger;
