package dev.ersatz.provenance;

/**
 * Exact tail probabilities of the Binomial(n, 1/2) distribution, in double precision, for the
 * watermark's p-values. Log-gamma by Stirling's series with upward recurrence below 10
 * (Abramowitz and Stegun 6.1.40); checked against scipy.stats.binom.sf in the tests.
 */
final class Binomial {
  private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

  private Binomial() {}

  /** ln Gamma(x) for x > 0. */
  static double logGamma(double x) {
    double shift = 0;
    while (x < 10) {
      shift += Math.log(x);
      x += 1;
    }
    double x2 = x * x;
    double series = 1 / (12 * x) - 1 / (360 * x * x2) + 1 / (1260 * x * x2 * x2)
        - 1 / (1680 * x * x2 * x2 * x2);
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series - shift;
  }

  /**
   * P(X >= k) for X ~ Binomial(n, 1/2).
   *
   * @param n trials, >= 0
   * @param k threshold; <= 0 gives 1, > n gives 0
   */
  static double upperTailHalf(long n, long k) {
    if (k <= 0) {
      return 1.0;
    }
    if (k > n) {
      return 0.0;
    }
    if (2 * k <= n) {
      // the tail holds at least half the mass: sum the smaller side instead
      return 1.0 - lowerTailHalf(n, k - 1);
    }
    double logFirst = logGamma(n + 1.0) - logGamma(k + 1.0) - logGamma(n - k + 1.0)
        - n * Math.log(2);
    double sum = 0;
    double term = 1;
    for (long i = k; i <= n; i++) {
      sum += term;
      term *= (double) (n - i) / (i + 1);
      if (term < 1e-17 * sum) {
        break;
      }
    }
    return Math.min(1.0, Math.exp(logFirst + Math.log(sum)));
  }

  /** P(X <= k) for X ~ Binomial(n, 1/2), by symmetry. */
  static double lowerTailHalf(long n, long k) {
    return upperTailHalf(n, n - k);
  }
}
