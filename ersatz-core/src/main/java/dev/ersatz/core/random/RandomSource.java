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

  /**
   * Standard normal variate by the ziggurat method with 256 layers (Marsaglia and Tsang, "The
   * Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5(8), 2000). One 64-bit
   * draw gives the layer (8 bits), the sign (1 bit) and the abscissa (53 bits), which keeps them
   * independent (the flaw Doornik, "An Improved Ziggurat Method", 2005, found in the original);
   * about 99% of calls return after that single draw, without a logarithm or square root.
   */
  public double nextGaussian() {
    while (true) {
      long bits = nextLong();
      int i = (int) bits & 0xFF;
      double x = (bits >>> 11) * 0x1.0p-53 * Ziggurat.X[i];
      // bit 8 becomes the sign bit, without a branch (it is a coin flip: no predictor helps)
      long sign = (bits & 0x100) << 55;
      if (x < Ziggurat.X[i + 1]) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) ^ sign);
      }
      if (i == 0) {
        // the base strip beyond R: Marsaglia's exact tail method
        double a;
        double b;
        do {
          a = -Math.log(nextOpenDouble()) / Ziggurat.R;
          b = -Math.log(nextOpenDouble());
        } while (b + b < a * a);
        return Double.longBitsToDouble(Double.doubleToRawLongBits(Ziggurat.R + a) ^ sign);
      }
      double y = Ziggurat.F[i + 1] + nextDouble() * (Ziggurat.F[i] - Ziggurat.F[i + 1]);
      if (y < Math.exp(-0.5 * x * x)) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) ^ sign);
      }
    }
  }

  /** The ziggurat's layer edges, built once from R and V (256 layers). */
  private static final class Ziggurat {
    static final double R = 3.6541528853610088;
    static final double V = 0.00492867323399;
    static final double[] X = new double[257];
    static final double[] F = new double[257];

    static {
      X[0] = V / Math.exp(-0.5 * R * R);
      X[1] = R;
      for (int i = 1; i < 255; i++) {
        X[i + 1] = Math.sqrt(-2 * Math.log(V / X[i] + Math.exp(-0.5 * X[i] * X[i])));
      }
      X[256] = 0;
      for (int i = 0; i <= 256; i++) {
        F[i] = Math.exp(-0.5 * X[i] * X[i]);
      }
    }

    private Ziggurat() {}
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
