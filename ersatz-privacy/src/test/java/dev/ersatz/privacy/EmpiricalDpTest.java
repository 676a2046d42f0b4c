package dev.ersatz.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.random.RandomSource;
import org.junit.jupiter.api.Test;

/**
 * Empirical differential privacy checks of the count mechanisms on neighbouring datasets
 * (true counts 100 and 101: one row added).
 *
 * <p>Laplace: the privacy loss ln(P[out in bin | D] / P[out in bin | D']) is estimated on
 * output bins from {@value #TRIALS} seeded trials per dataset and must not exceed epsilon by
 * more than {@value #Z} standard errors (delta-method s.e. of a log ratio of counts,
 * sqrt(1/c + 1/c'), an overestimate). Gaussian: for every half-line S = (t, inf) and
 * (-inf, t), P[out in S | D'] &lt;= e^epsilon P[out in S | D] + delta must hold within
 * {@value #Z} standard errors, where (epsilon, delta) is what {@link Zcdp} claims for the
 * mechanism's rho (half-lines are the worst sets for a Gaussian shift, by the monotone
 * likelihood ratio). With Z = 6 and fewer than 100 comparisons per check, the Bonferroni bound
 * on a false failure is below 100 * 1e-9 = 1e-7 per check.
 *
 * <p>Each check also runs a negative control (noise scale 1/4 of the correct one), which the
 * same test must flag: this shows the check has power.
 */
class EmpiricalDpTest {
  static final int TRIALS = 1_000_000;
  static final double Z = 6;

  @Test
  void laplaceCountPrivacyLossStaysWithinEpsilon() {
    double eps = 1.0;
    LaplaceMechanism good = LaplaceMechanism.ofEpsilon(eps, 1);
    assertThat(maxLossLowerBound(good, 1)).isLessThanOrEqualTo(eps);
    LaplaceMechanism bad = LaplaceMechanism.ofEpsilon(4 * eps, 1);
    assertThat(maxLossLowerBound(bad, 2)).isGreaterThan(eps);
  }

  /** The largest lower confidence bound of |privacy loss| over well-populated bins. */
  private static double maxLossLowerBound(LaplaceMechanism m, long seed) {
    double width = 0.25;
    double lo = 90;
    int bins = 88;
    long[] a = histogram(x -> m.release(100, x), RandomSource.of(seed * 2), lo, width, bins);
    long[] b = histogram(x -> m.release(101, x), RandomSource.of(seed * 2 + 1), lo, width, bins);
    double worst = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < bins; i++) {
      if (a[i] < 2000 || b[i] < 2000) {
        continue;
      }
      double loss = Math.abs(Math.log((double) a[i] / b[i]));
      double se = Math.sqrt(1.0 / a[i] + 1.0 / b[i]);
      worst = Math.max(worst, loss - Z * se);
    }
    return worst;
  }

  @Test
  void gaussianCountSatisfiesTheClaimedEpsilonDelta() {
    double rho = 0.5;
    double delta = 1e-3;
    double eps = Zcdp.epsilon(rho, delta);
    GaussianMechanism good = GaussianMechanism.ofRho(rho, 1);
    assertThat(worstViolation(good.sigma(), eps, delta, 3)).isLessThanOrEqualTo(0);
    assertThat(worstViolation(good.sigma() / 4, eps, delta, 4)).isGreaterThan(0);
  }

  /** max over half-lines of P'(S) - e^eps P(S) - delta - Z * s.e.; must be <= 0. */
  private static double worstViolation(double sigma, double eps, double delta, long seed) {
    double lo = 90;
    double width = 0.25;
    int bins = 88;
    long[] a = histogram(r -> 100 + sigma * r.nextGaussian(), RandomSource.of(seed * 2), lo,
        width, bins);
    long[] b = histogram(r -> 101 + sigma * r.nextGaussian(), RandomSource.of(seed * 2 + 1), lo,
        width, bins);
    double worst = Double.NEGATIVE_INFINITY;
    double e = Math.exp(eps);
    for (int dir = 0; dir < 2; dir++) {
      long ca = 0;
      long cb = 0;
      for (int k = 0; k < bins; k++) {
        int i = dir == 0 ? bins - 1 - k : k;
        ca += a[i];
        cb += b[i];
        double pa = ca / (double) TRIALS;
        double pb = cb / (double) TRIALS;
        double se = Math.sqrt(pb * (1 - pb) / TRIALS + e * e * pa * (1 - pa) / TRIALS);
        // both neighbour orders: D' vs D and D vs D'
        worst = Math.max(worst, pb - e * pa - delta - Z * se);
        double se2 = Math.sqrt(pa * (1 - pa) / TRIALS + e * e * pb * (1 - pb) / TRIALS);
        worst = Math.max(worst, pa - e * pb - delta - Z * se2);
      }
    }
    return worst;
  }

  interface Draw {
    double next(RandomSource rng);
  }

  private static long[] histogram(Draw d, RandomSource rng, double lo, double width, int bins) {
    long[] h = new long[bins];
    for (int t = 0; t < TRIALS; t++) {
      int i = (int) Math.floor((d.next(rng) - lo) / width);
      h[Math.max(0, Math.min(bins - 1, i))]++;
    }
    return h;
  }
}
