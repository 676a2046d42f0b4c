/** Deterministic, parallel, memory-bounded streaming of synthetic row batches. */
package dev.ersatz.core.sampling;
