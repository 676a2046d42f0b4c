package dev.ersatz.eval.drift;

/**
 * Distribution tails needed by the drift tests, in double precision.
 */
public final class Stats {
  private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851,
      -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
      -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};

  private Stats() {}

  /**
   * Kolmogorov's limiting survival function {@code Q(z) = 2 sum_{k>=1} (-1)^{k-1}
   * exp(-2 k^2 z^2)}; for small z the equivalent theta-function form
   * {@code 1 - sqrt(2 pi)/z sum exp(-(2k-1)^2 pi^2 / (8 z^2))} is used, which converges fast
   * there.
   */
  public static double kolmogorovSf(double z) {
    if (z <= 0) {
      return 1;
    }
    if (z < 1.0) {
      double s = 0;
      for (int k = 1; k <= 20; k++) {
        double t = (2 * k - 1) * Math.PI / z;
        s += Math.exp(-t * t / 8);
      }
      return 1 - Math.sqrt(2 * Math.PI) / z * s;
    }
    double s = 0;
    for (int k = 1; k <= 100; k++) {
      double t = Math.exp(-2.0 * k * k * z * z);
      s += (k % 2 == 1 ? t : -t);
      if (t < 1e-300) {
        break;
      }
    }
    return Math.max(0, Math.min(1, 2 * s));
  }

  /** Upper tail of the chi-square distribution: {@code Q(dof / 2, x / 2)}. */
  public static double chiSquareSf(double x, int dof) {
    if (x <= 0) {
      return 1;
    }
    return regularizedGammaQ(dof / 2.0, x / 2.0);
  }

  /** ln Gamma(x) for x > 0 (Lanczos, g = 7, n = 9; relative error about 1e-15). */
  public static double logGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    x -= 1;
    double a = LANCZOS[0];
    double t = x + 7.5;
    for (int i = 1; i < 9; i++) {
      a += LANCZOS[i] / (x + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }

  /**
   * Regularized upper incomplete gamma Q(a, x), by the power series below x < a + 1 and the
   * Lentz continued fraction above (Press et al., "Numerical Recipes", 3rd ed., section 6.2).
   */
  public static double regularizedGammaQ(double a, double x) {
    if (x <= 0) {
      return 1;
    }
    double lnPre = -x + a * Math.log(x) - logGamma(a);
    if (x < a + 1) {
      double ap = a;
      double sum = 1 / a;
      double del = sum;
      for (int i = 0; i < 10_000; i++) {
        ap += 1;
        del *= x / ap;
        sum += del;
        if (Math.abs(del) < Math.abs(sum) * 1e-17) {
          break;
        }
      }
      return Math.max(0, 1 - sum * Math.exp(lnPre));
    }
    double tiny = 1e-300;
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 10_000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < tiny) {
        d = tiny;
      }
      c = b + an / c;
      if (Math.abs(c) < tiny) {
        c = tiny;
      }
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(lnPre) * h;
  }
}
