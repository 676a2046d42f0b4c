/** Candidate filters: heuristics, exact ROUGE-L novelty, semantic dedup, LLM judge, JSON schema. */
package dev.ersatz.llm.filter;
