package dev.ersatz.privacy;

import dev.ersatz.core.random.RandomSource;

/**
 * Adds N(0, sigma^2) noise to a query of L2 sensitivity {@code Delta}: rho-zCDP with
 * {@code rho = Delta^2 / (2 sigma^2)} (Bun and Steinke 2016, Proposition 1.6), so
 * {@code sigma = Delta / sqrt(2 rho)}.
 *
 * <p>Sensitivity is for add/remove-one-row neighbours: a histogram where each row falls in one
 * cell has L2 sensitivity 1. Noise is drawn from the caller's seeded {@link RandomSource}
 * (a pseudo-random double-precision sampler: see docs/differential-privacy.md for the usual
 * floating-point caveat).
 */
public final class GaussianMechanism {
  private final double rho;
  private final double sensitivity;
  private final double sigma;

  private GaussianMechanism(double rho, double sensitivity) {
    if (!(rho > 0) || !Double.isFinite(rho)) {
      throw new IllegalArgumentException("rho must be > 0 but was " + rho);
    }
    if (!(sensitivity > 0) || !Double.isFinite(sensitivity)) {
      throw new IllegalArgumentException("sensitivity must be > 0 but was " + sensitivity);
    }
    this.rho = rho;
    this.sensitivity = sensitivity;
    this.sigma = sensitivity / Math.sqrt(2 * rho);
  }

  /** The mechanism that is {@code rho}-zCDP for a query of this L2 sensitivity. */
  public static GaussianMechanism ofRho(double rho, double l2Sensitivity) {
    return new GaussianMechanism(rho, l2Sensitivity);
  }

  public double rho() {
    return rho;
  }

  public double sensitivity() {
    return sensitivity;
  }

  /** The noise standard deviation, {@code Delta / sqrt(2 rho)}. */
  public double sigma() {
    return sigma;
  }

  /** Returns {@code value} plus noise. */
  public double release(double value, RandomSource rng) {
    return value + sigma * rng.nextGaussian();
  }

  /** Returns a noisy copy of {@code values} (independent noise per entry). */
  public double[] release(double[] values, RandomSource rng) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] + sigma * rng.nextGaussian();
    }
    return out;
  }
}
