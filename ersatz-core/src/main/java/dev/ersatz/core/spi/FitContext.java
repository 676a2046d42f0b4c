package dev.ersatz.core.spi;

import java.util.Objects;

/**
 * What a fit needs besides the data.
 *
 * @param seed every random choice of the fit flows from this
 * @param progress told about long steps; {@link Progress#NONE} to stay quiet
 * @param source fingerprint of the training data, recorded in the model's provenance
 */
public record FitContext(long seed, Progress progress, SourceInfo source) {
  public FitContext {
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(source, "source");
  }

  public static FitContext of(long seed) {
    return new FitContext(seed, Progress.NONE, SourceInfo.UNKNOWN);
  }
}
