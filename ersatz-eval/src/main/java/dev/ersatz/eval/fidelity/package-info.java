/**
 * Fidelity metrics: how closely a table reproduces the real table's columns and column pairs
 * (SDMetrics 0.13 quality report definitions, mostlyai-qa-style binned accuracy, missing rates,
 * invented values).
 */
package dev.ersatz.eval.fidelity;
