/** Generation strategies (Self-Instruct, Evol-Instruct, topic grids) and their prompt templates. */
package dev.ersatz.llm.strategy;
