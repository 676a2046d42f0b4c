package dev.ersatz.core.random;

/**
 * A seeded, splittable source of randomness: xoshiro256** (Blackman and Vigna, "Scrambled
 * linear pseudorandom number generators", ACM TOMS 2021) seeded through SplitMix64.
 *
 * <p>Every random choice in Ersatz flows from one of these, created from an explicit seed. Child
 * streams are derived with {@link #split(long)} from the parent's <em>seed</em> and a key (for
 * example a batch index), never from the parent's current state, so batch {@code i} of a run
 * gets the same numbers whichever thread draws it and in whatever order. The algorithm is fixed
 * here (not delegated to {@code java.util.Random}), so output is stable across JDKs.
 *
 * <p>Instances are not thread-safe; give each thread its own split.
 */
public final class RandomSource {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private final long seed;
  private long s0;
  private long s1;
  private long s2;
  private long s3;
  private double nextGaussian = Double.NaN;

  private RandomSource(long seed) {
    this.seed = seed;
    long x = seed;
    s0 = mix(x += GOLDEN);
    s1 = mix(x += GOLDEN);
    s2 = mix(x += GOLDEN);
    s3 = mix(x += GOLDEN);
    if ((s0 | s1 | s2 | s3) == 0) {
      s0 = 1;
    }
  }

  /** Returns a source whose whole stream is determined by {@code seed}. */
  public static RandomSource of(long seed) {
    return new RandomSource(seed);
  }

  /** The seed this source was created from. */
  public long seed() {
    return seed;
  }

  /**
   * Derives an independent child stream from this source's seed and {@code key}. Pure: the same
   * seed and key always give the same child, whatever has been drawn from this source.
   */
  public RandomSource split(long key) {
    return new RandomSource(mix(seed ^ mix(key * GOLDEN + 0x632BE59BD9B4E019L)));
  }

  /** Derives a child stream from a name, e.g. a column name. */
  public RandomSource split(String name) {
    long h = 1125899906842597L;
    for (int i = 0; i < name.length(); i++) {
      h = 31 * h + name.charAt(i);
    }
    return split(h);
  }

  /** SplitMix64's finaliser (Steele, Lea, Flood 2014); a good 64-bit mixing function. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Next 64 uniformly random bits. */
  public long nextLong() {
    final long result = Long.rotateLeft(s1 * 5, 7) * 9;
    final long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in (0, 1): never exactly 0, safe for logarithms and inverse CDFs. */
  public double nextOpenDouble() {
    return ((nextLong() >>> 12) + 0.5) * 0x1.0p-52;
  }

  /**
   * Uniform integer in [0, bound) by Lemire's nearly divisionless method.
   *
   * @throws IllegalArgumentException if {@code bound <= 0}
   */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be > 0 but was " + bound);
    }
    long m = (nextLong() >>> 32) * bound;
    long l = m & 0xFFFFFFFFL;
    if (l < bound) {
      long t = (0x100000000L - bound) % bound;
      while (l < t) {
        m = (nextLong() >>> 32) * bound;
        l = m & 0xFFFFFFFFL;
      }
    }
    return (int) (m >>> 32);
  }

  /** Standard normal variate (Marsaglia's polar method; the spare value is cached). */
  public double nextGaussian() {
    if (!Double.isNaN(nextGaussian)) {
      double g = nextGaussian;
      nextGaussian = Double.NaN;
      return g;
    }
    double u;
    double v;
    double s;
    do {
      u = 2 * nextDouble() - 1;
      v = 2 * nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double f = Math.sqrt(-2 * Math.log(s) / s);
    nextGaussian = v * f;
    return u * f;
  }

  /** Shuffles {@code a} in place (Fisher-Yates). */
  public void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
