/** The human review gate: stratified samples per round, verdicts, promotion with a confidence bound. */
package dev.ersatz.llm.review;
