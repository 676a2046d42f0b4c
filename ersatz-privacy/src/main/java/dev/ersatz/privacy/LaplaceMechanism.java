package dev.ersatz.privacy;

import dev.ersatz.core.random.RandomSource;

/**
 * Adds Laplace(0, b) noise to a query of L1 sensitivity {@code Delta} with
 * {@code b = Delta / epsilon}: pure epsilon-DP (Dwork, McSherry, Nissim, Smith 2006), hence
 * {@code epsilon^2 / 2}-zCDP (Bun and Steinke 2016, Proposition 1.4). Given a zCDP budget rho,
 * {@code epsilon = sqrt(2 rho)}.
 */
public final class LaplaceMechanism {
  private final double epsilon;
  private final double sensitivity;
  private final double scale;

  private LaplaceMechanism(double epsilon, double sensitivity) {
    if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be > 0 but was " + epsilon);
    }
    if (!(sensitivity > 0) || !Double.isFinite(sensitivity)) {
      throw new IllegalArgumentException("sensitivity must be > 0 but was " + sensitivity);
    }
    this.epsilon = epsilon;
    this.sensitivity = sensitivity;
    this.scale = sensitivity / epsilon;
  }

  /** The pure epsilon-DP mechanism for a query of this L1 sensitivity. */
  public static LaplaceMechanism ofEpsilon(double epsilon, double l1Sensitivity) {
    return new LaplaceMechanism(epsilon, l1Sensitivity);
  }

  /** The mechanism that is {@code rho}-zCDP: epsilon = sqrt(2 rho). */
  public static LaplaceMechanism ofRho(double rho, double l1Sensitivity) {
    if (!(rho > 0)) {
      throw new IllegalArgumentException("rho must be > 0 but was " + rho);
    }
    return new LaplaceMechanism(Math.sqrt(2 * rho), l1Sensitivity);
  }

  public double epsilon() {
    return epsilon;
  }

  /** Its zCDP cost, {@code epsilon^2 / 2}. */
  public double rho() {
    return epsilon * epsilon / 2;
  }

  /** The Laplace scale {@code b = Delta / epsilon}; the variance is {@code 2 b^2}. */
  public double scale() {
    return scale;
  }

  /** Returns {@code value} plus Laplace noise (inverse CDF of an open uniform). */
  public double release(double value, RandomSource rng) {
    double u = rng.nextOpenDouble() - 0.5;
    return value - scale * Math.signum(u) * Math.log1p(-2 * Math.abs(u));
  }

  /** Returns a noisy copy of {@code values}. */
  public double[] release(double[] values, RandomSource rng) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = release(values[i], rng);
    }
    return out;
  }
}
