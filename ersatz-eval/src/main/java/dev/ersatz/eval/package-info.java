/**
 * Evaluation of synthetic tables: {@link dev.ersatz.eval.Evaluation} runs fidelity, utility,
 * detection and privacy metrics into an {@link dev.ersatz.eval.EvaluationReport};
 * {@link dev.ersatz.eval.Gates} turns thresholds into pass/fail for CI; the report package
 * writes {@code report.json} and a self-contained {@code report.html}.
 */
package dev.ersatz.eval;
