/**
 * LLM data pipelines: generate instruction data with model endpoints in rounds, filter it for
 * quality and novelty, gate it through human review and record the lineage of every example.
 */
package dev.ersatz.llm;
