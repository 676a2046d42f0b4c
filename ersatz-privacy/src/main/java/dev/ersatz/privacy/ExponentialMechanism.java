package dev.ersatz.privacy;

import dev.ersatz.core.random.RandomSource;

/**
 * Chooses one of several candidates with probability proportional to
 * {@code exp(epsilon * score / (2 Delta))} (McSherry and Talwar 2007), where {@code Delta} is
 * the sensitivity of every score. It is epsilon-DP and, being a bounded-range mechanism,
 * {@code epsilon^2 / 8}-zCDP (Cesar and Rogers, "Bounding, Concentrating, and Truncating:
 * Unifying Privacy Loss Composition for Data Analytics", ALT 2021); MST uses the same
 * accounting. Given rho, {@code epsilon = sqrt(8 rho)}. Implemented by the Gumbel-max trick.
 */
public final class ExponentialMechanism {
  private final double epsilon;
  private final double sensitivity;

  private ExponentialMechanism(double epsilon, double sensitivity) {
    if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be > 0 but was " + epsilon);
    }
    if (!(sensitivity > 0) || !Double.isFinite(sensitivity)) {
      throw new IllegalArgumentException("sensitivity must be > 0 but was " + sensitivity);
    }
    this.epsilon = epsilon;
    this.sensitivity = sensitivity;
  }

  /** The mechanism that is {@code rho}-zCDP: epsilon = sqrt(8 rho). */
  public static ExponentialMechanism ofRho(double rho, double sensitivity) {
    if (!(rho > 0)) {
      throw new IllegalArgumentException("rho must be > 0 but was " + rho);
    }
    return new ExponentialMechanism(Math.sqrt(8 * rho), sensitivity);
  }

  public double epsilon() {
    return epsilon;
  }

  /** Its zCDP cost, {@code epsilon^2 / 8}. */
  public double rho() {
    return epsilon * epsilon / 8;
  }

  /** The selection probabilities for {@code scores} (for tests and documentation). */
  public double[] probabilities(double[] scores) {
    double max = Double.NEGATIVE_INFINITY;
    for (double s : scores) {
      max = Math.max(max, s);
    }
    double[] p = new double[scores.length];
    double sum = 0;
    for (int i = 0; i < scores.length; i++) {
      p[i] = Math.exp(epsilon * (scores[i] - max) / (2 * sensitivity));
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /**
   * Picks the index of one candidate (higher score, more likely).
   *
   * @param scores one per candidate, each of sensitivity at most {@code Delta}; not empty
   */
  public int select(double[] scores, RandomSource rng) {
    if (scores.length == 0) {
      throw new IllegalArgumentException("the exponential mechanism needs at least one candidate");
    }
    int best = -1;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < scores.length; i++) {
      double gumbel = -Math.log(-Math.log(rng.nextOpenDouble()));
      double v = epsilon * scores[i] / (2 * sensitivity) + gumbel;
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    return best;
  }
}
