/**
 * The generator SPI: {@link dev.ersatz.core.spi.Synthesizer} fits, {@link
 * dev.ersatz.core.spi.FittedModel} samples, capability mix-ins such as {@link
 * dev.ersatz.core.spi.SupportsConditionalSampling} add what only some models can do, and {@link
 * dev.ersatz.core.spi.SynthesizerProvider} registers a generator under a name.
 */
package dev.ersatz.core.spi;
