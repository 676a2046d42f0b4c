package dev.ersatz.privacy;

/**
 * Conversions between zero-concentrated differential privacy (rho-zCDP, Bun and Steinke,
 * "Concentrated Differential Privacy: Simplifications, Extensions, and Lower Bounds", TCC 2016)
 * and approximate (epsilon, delta)-DP.
 *
 * <p>The conversion used everywhere in Ersatz is the tight one of Canonne, Kamath and Steinke,
 * "The Discrete Gaussian for Differential Privacy", NeurIPS 2020, Proposition 12 (as Corollary
 * 13 with the optimising order found numerically): a rho-zCDP mechanism is (epsilon, delta)-DP
 * for
 * <pre>
 *   delta = inf over alpha &gt; 1 of exp((alpha - 1)(alpha rho - epsilon)) / (alpha - 1)
 *           * (1 - 1/alpha)^alpha.
 * </pre>
 * It is the same computation as {@code cdp_rho} in the MST reference implementation
 * (McKenna et al. 2021). The simpler bound {@code epsilon = rho + 2 sqrt(rho ln(1/delta))}
 * (Bun and Steinke 2016, Proposition 1.3) is offered by {@link #epsilonSimple} for comparison;
 * it is never tighter.
 */
public final class Zcdp {
  private Zcdp() {}

  /**
   * The delta at which a rho-zCDP mechanism is (epsilon, delta)-DP (Canonne, Kamath, Steinke
   * 2020, Prop. 12). Any order alpha gives a valid bound; a bisection on the derivative finds
   * the best one, so inaccuracy in the search only makes delta larger (still valid).
   *
   * @param rho {@code >= 0}
   * @param epsilon {@code >= 0}
   * @return delta in [0, 1]
   */
  public static double delta(double rho, double epsilon) {
    check(rho >= 0 && !Double.isNaN(rho), "rho must be >= 0 but was " + rho);
    check(epsilon >= 0 && !Double.isNaN(epsilon), "epsilon must be >= 0 but was " + epsilon);
    if (rho == 0) {
      return 0;
    }
    double amin = 1.01;
    double amax = (epsilon + 1) / (2 * rho) + 2;
    double alpha = amin;
    for (int i = 0; i < 1000; i++) {
      alpha = (amin + amax) / 2;
      double derivative = (2 * alpha - 1) * rho - epsilon + Math.log1p(-1.0 / alpha);
      if (derivative < 0) {
        amin = alpha;
      } else {
        amax = alpha;
      }
    }
    double delta = Math.exp((alpha - 1) * (alpha * rho - epsilon) + alpha * Math.log1p(-1 / alpha))
        / (alpha - 1.0);
    return Math.min(delta, 1.0);
  }

  /**
   * The smallest epsilon at which a rho-zCDP mechanism is (epsilon, delta)-DP.
   *
   * @param rho {@code >= 0}
   * @param delta in (0, 1)
   */
  public static double epsilon(double rho, double delta) {
    checkDelta(delta);
    check(rho >= 0, "rho must be >= 0 but was " + rho);
    if (rho == 0) {
      return 0;
    }
    double lo = 0;
    double hi = epsilonSimple(rho, delta);
    for (int i = 0; i < 1000; i++) {
      double mid = (lo + hi) / 2;
      if (delta(rho, mid) <= delta) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  /**
   * The largest rho such that rho-zCDP implies (epsilon, delta)-DP: the zCDP budget of an
   * (epsilon, delta) target.
   *
   * @param epsilon {@code > 0}
   * @param delta in (0, 1)
   */
  public static double rho(double epsilon, double delta) {
    checkDelta(delta);
    check(epsilon > 0 && Double.isFinite(epsilon), "epsilon must be > 0 but was " + epsilon);
    double lo = 0;
    double hi = epsilon + 1;
    for (int i = 0; i < 1000; i++) {
      double mid = (lo + hi) / 2;
      if (delta(mid, epsilon) <= delta) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The simple bound {@code rho + 2 sqrt(rho ln(1/delta))} (Bun and Steinke 2016, Prop. 1.3).
   */
  public static double epsilonSimple(double rho, double delta) {
    checkDelta(delta);
    return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
  }

  private static void checkDelta(double delta) {
    check(delta > 0 && delta < 1, "delta must be in (0, 1) but was " + delta);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
