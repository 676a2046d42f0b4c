package dev.ersatz.models;

import dev.ersatz.core.random.RandomSource;

/** Sampling from finite distributions by cumulative tables. */
public final class Discrete {
  private Discrete() {}

  /** Cumulative sums of {@code p}, normalised so the last entry is exactly 1. */
  public static double[] cumulative(double[] p) {
    double[] c = new double[p.length];
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += Math.max(0, p[i]);
      c[i] = s;
    }
    if (s <= 0) {
      for (int i = 0; i < c.length; i++) {
        c[i] = (i + 1) / (double) c.length;
      }
      return c;
    }
    for (int i = 0; i < c.length; i++) {
      c[i] /= s;
    }
    c[c.length - 1] = 1.0;
    return c;
  }

  /** Index {@code i} with probability {@code cum[i] - cum[i-1]}, found by binary search. */
  public static int sample(double[] cum, int from, int length, double u) {
    int lo = from;
    int hi = from + length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cum[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo - from;
  }

  public static int sample(double[] cum, RandomSource rng) {
    return sample(cum, 0, cum.length, rng.nextDouble());
  }
}
