/**
 * Ersatz core: the vocabulary every other module speaks.
 *
 * <p>Data enters as a {@link dev.ersatz.core.table.Table} described by a
 * {@link dev.ersatz.core.schema.Schema}; a {@link dev.ersatz.core.spi.Synthesizer} fits it and
 * returns an immutable {@link dev.ersatz.core.spi.FittedModel}, which samples row batches from an
 * explicit {@link dev.ersatz.core.random.RandomSource}. This module depends on the JDK only.
 */
package dev.ersatz.core;
