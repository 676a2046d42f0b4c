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
    return Math.exp(logUpperTailHalf(n, k));
  }

  /**
   * ln P(X >= k) for X ~ Binomial(n, 1/2), finite however small the tail (no underflow).
   *
   * @param n trials, >= 0
   * @param k threshold; <= 0 gives 0, > n gives negative infinity
   */
  static double logUpperTailHalf(long n, long k) {
    if (k <= 0) {
      return 0.0;
    }
    if (k > n) {
      return Double.NEGATIVE_INFINITY;
    }
    if (2 * k <= n) {
      return Math.log1p(-lowerTailHalf(n, k - 1));
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
    return Math.min(0.0, logFirst + Math.log(sum));
  }

  /**
   * The standard normal score z with upper tail P(Z >= z) = exp(logP), for reporting p-values
   * on a familiar scale: Acklam's rational approximation (relative error 1.2e-9) while the tail
   * is representable, then the asymptotic Mills-ratio series ln P = -z^2/2 - ln z - ln(2 pi)/2
   * + ln(1 - 1/z^2 + 3/z^4 - 15/z^6) solved by fixed-point iteration (z > 37 there).
   *
   * @param logP natural log of a tail probability, <= 0
   * @return z; 0 for logP = ln(1/2), and also for logP = 0 (no evidence at all); negative for
   *     tails above 1/2
   */
  static double normalScore(double logP) {
    if (logP >= 0) {
      return 0;
    }
    if (logP > -700) {
      double p = Math.exp(logP);
      return p > 0.5 ? -acklam(1 - p) : acklam(p);
    }
    double lp = -logP;
    double z = Math.sqrt(2 * lp);
    for (int i = 0; i < 50; i++) {
      double z2 = z * z;
      // Mills ratio series: P = phi(z) / z * (1 - 1/z^2 + 3/z^4 - 15/z^6 + ...)
      double series = Math.log(1 - 1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2));
      z = Math.sqrt(2 * (lp - Math.log(z) - HALF_LOG_2PI + series));
    }
    return z;
  }

  /** z with upper tail p, for 0 < p <= 1/2 (Acklam 2003). */
  private static double acklam(double p) {
    double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};
    if (p < 0.02425) {
      double q = Math.sqrt(-2 * Math.log(p));
      return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double q = p - 0.5;
    double r = q * q;
    return -(((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }

  /** P(X <= k) for X ~ Binomial(n, 1/2), by symmetry. */
  static double lowerTailHalf(long n, long k) {
    return upperTailHalf(n, n - k);
  }
}
