package dev.ersatz.llm.review;

/**
 * The one-sided Clopper-Pearson upper confidence bound for a binomial proportion (Clopper and
 * Pearson 1934, Biometrika 26(4)): the p at which observing k or fewer successes in n trials has
 * probability 1 - confidence, i.e. the confidence quantile of Beta(k + 1, n - k).
 */
public final class ClopperPearson {
  private ClopperPearson() {}

  /**
   * The upper bound.
   *
   * @param k observed rejects, 0 <= k <= n
   * @param n sample size, >= 0
   * @param confidence in (0, 1), e.g. 0.95
   * @return the upper bound in [0, 1]; 1 when n == 0 or k == n
   */
  public static double upper(int k, int n, double confidence) {
    if (k < 0 || k > n || !(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("need 0 <= k <= n and 0 < confidence < 1 but got k=" + k + ", n=" + n
          + ", confidence=" + confidence);
    }
    if (k == n) {
      return 1.0;
    }
    double alpha = 1 - confidence;
    double lo = (double) k / n;
    double hi = 1.0;
    for (int it = 0; it < 200; it++) {
      double mid = 0.5 * (lo + hi);
      if (binomCdf(k, n, mid) > alpha) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** P(X <= k) for X ~ Binomial(n, p), summed in log space. */
  static double binomCdf(int k, int n, double p) {
    if (p <= 0) {
      return 1.0;
    }
    if (p >= 1) {
      return k >= n ? 1.0 : 0.0;
    }
    double logP = Math.log(p);
    double logQ = Math.log1p(-p);
    double logPmf = n * logQ;
    double sum = Math.exp(logPmf);
    for (int i = 0; i < k; i++) {
      logPmf += Math.log((double) (n - i) / (i + 1)) + logP - logQ;
      sum += Math.exp(logPmf);
    }
    return Math.min(1.0, sum);
  }
}
