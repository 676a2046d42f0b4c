/** Per-round diversity and quality metrics (distinct-n, self-similarity, Vendi score, seed coverage). */
package dev.ersatz.llm.metrics;
