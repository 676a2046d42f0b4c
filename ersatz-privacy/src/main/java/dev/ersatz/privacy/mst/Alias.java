package dev.ersatz.privacy.mst;

import dev.ersatz.core.random.RandomSource;

/**
 * Walker's alias table (Vose's construction, "A linear algorithm for generating random numbers
 * with a given distribution", IEEE TSE 1991): draws one of {@code n} values in O(1) from one
 * uniform.
 */
final class Alias {
  private final double[] prob;
  private final int[] alias;
  private final int[] values;

  private Alias(double[] prob, int[] alias, int[] values) {
    this.prob = prob;
    this.alias = alias;
    this.values = values;
  }

  /**
   * A table drawing {@code values[i]} with probability proportional to {@code weights[i]};
   * uniform when all weights are zero.
   */
  static Alias of(double[] weights, int[] values) {
    int n = weights.length;
    if (n == 0 || n != values.length) {
      throw new IllegalArgumentException("alias table needs matching, non-empty arrays");
    }
    double sum = 0;
    for (double w : weights) {
      if (w > 0 && Double.isFinite(w)) {
        sum += w;
      }
    }
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      double w = weights[i] > 0 && Double.isFinite(weights[i]) ? weights[i] : 0;
      p[i] = sum > 0 ? w * n / sum : 1.0;
    }
    double[] prob = new double[n];
    int[] alias = new int[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int ns = 0;
    int nl = 0;
    for (int i = 0; i < n; i++) {
      if (p[i] < 1) {
        small[ns++] = i;
      } else {
        large[nl++] = i;
      }
    }
    while (ns > 0 && nl > 0) {
      int s = small[--ns];
      int l = large[--nl];
      prob[s] = p[s];
      alias[s] = l;
      p[l] = p[l] + p[s] - 1;
      if (p[l] < 1) {
        small[ns++] = l;
      } else {
        large[nl++] = l;
      }
    }
    while (nl > 0) {
      int l = large[--nl];
      prob[l] = 1;
      alias[l] = l;
    }
    while (ns > 0) {
      int s = small[--ns];
      prob[s] = 1;
      alias[s] = s;
    }
    return new Alias(prob, alias, values.clone());
  }

  static Alias of(double[] weights) {
    int[] v = new int[weights.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    return of(weights, v);
  }

  int sample(RandomSource rng) {
    double u = rng.nextDouble() * prob.length;
    int i = (int) u;
    if (i >= prob.length) {
      i = prob.length - 1;
    }
    return values[(u - i) < prob[i] ? i : alias[i]];
  }
}
