package dev.ersatz.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.random.RandomSource;
import org.junit.jupiter.api.Test;

/**
 * Each mechanism's noise against its formula. Tolerances are 5 standard errors of the
 * estimator, so each check falsely fails with probability below about 6e-7 (two-sided normal
 * tail at 5 sigma); the seeds are fixed, so a run is reproducible.
 */
class MechanismNoiseTest {
  private static final int N = 400_000;

  @Test
  void gaussianVarianceIsSensitivitySquaredOverTwoRho() {
    double rho = 0.05;
    double sens = 2.0;
    GaussianMechanism g = GaussianMechanism.ofRho(rho, sens);
    double sigma2 = sens * sens / (2 * rho); // Bun and Steinke 2016, Prop. 1.6
    assertThat(g.sigma() * g.sigma()).isCloseTo(sigma2, org.assertj.core.data.Offset.offset(1e-9));
    RandomSource rng = RandomSource.of(11);
    double[] x = new double[N];
    for (int i = 0; i < N; i++) {
      x[i] = g.release(10.0, rng) - 10.0;
    }
    double mean = mean(x);
    double var = variance(x, mean);
    // sample variance of a normal: standard error sigma^2 sqrt(2 / (n - 1))
    assertThat(Math.abs(var - sigma2)).isLessThan(5 * sigma2 * Math.sqrt(2.0 / (N - 1)));
    assertThat(Math.abs(mean)).isLessThan(5 * Math.sqrt(sigma2 / N));
  }

  @Test
  void laplaceVarianceIsTwoScaleSquared() {
    double rho = 0.08; // epsilon = sqrt(2 rho) = 0.4
    double sens = 1.0;
    LaplaceMechanism l = LaplaceMechanism.ofRho(rho, sens);
    double b = sens / Math.sqrt(2 * rho);
    assertThat(l.scale()).isCloseTo(b, org.assertj.core.data.Offset.offset(1e-12));
    RandomSource rng = RandomSource.of(12);
    double[] x = new double[N];
    for (int i = 0; i < N; i++) {
      x[i] = l.release(0, rng);
    }
    double mean = mean(x);
    double var = variance(x, mean);
    double v = 2 * b * b;
    // Laplace: fourth central moment 24 b^4, so Var(s^2) ~ (24 b^4 - v^2) / n = 20 b^4 / n
    assertThat(Math.abs(var - v)).isLessThan(5 * Math.sqrt(20 * Math.pow(b, 4) / N));
    assertThat(Math.abs(mean)).isLessThan(5 * Math.sqrt(v / N));
  }

  @Test
  void exponentialMechanismFrequenciesFollowExpEpsilonScoreOverTwoDelta() {
    ExponentialMechanism em = ExponentialMechanism.ofRho(0.125, 1.0); // epsilon = 1
    double[] scores = {0, 1, 2, 4};
    double[] p = new double[scores.length];
    double z = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(scores[i] / 2); // McSherry-Talwar: exp(eps u / (2 Delta))
      z += p[i];
    }
    int[] hits = new int[scores.length];
    RandomSource rng = RandomSource.of(13);
    for (int i = 0; i < N; i++) {
      hits[em.select(scores, rng)]++;
    }
    double[] formula = em.probabilities(scores);
    for (int i = 0; i < p.length; i++) {
      p[i] /= z;
      assertThat(formula[i]).isCloseTo(p[i], org.assertj.core.data.Offset.offset(1e-12));
      double se = Math.sqrt(p[i] * (1 - p[i]) / N);
      assertThat(Math.abs(hits[i] / (double) N - p[i])).isLessThan(5 * se);
    }
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  static double variance(double[] x, double mean) {
    double s = 0;
    for (double v : x) {
      s += (v - mean) * (v - mean);
    }
    return s / (x.length - 1);
  }
}
