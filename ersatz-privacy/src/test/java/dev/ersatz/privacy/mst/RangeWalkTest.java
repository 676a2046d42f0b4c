package dev.ersatz.privacy.mst;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.random.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The range post-processing of the dp generator's noisy 1-way histograms (weak outer bins
 * dropped, the outward walk, trimming), on hand-made noise-free counts so the expected bins
 * follow from the thresholds alone (sigma = 1: KEEP 5, SIDE 2, TAIL 3.5 per sqrt(width)).
 */
class RangeWalkTest {
  private static double[] prefix(double[] counts) {
    double[] pre = new double[counts.length + 1];
    for (int t = 0; t < counts.length; t++) {
      pre[t + 1] = pre[t] + counts[t];
    }
    return pre;
  }

  private static List<int[]> leaves(int[]... l) {
    return new ArrayList<>(Arrays.asList(l));
  }

  @Test
  void aPhantomSideBinFarFromTheDataGoes() {
    double[] c = new double[64];
    Arrays.fill(c, 40, 44, 100);
    c[5] = 15; // a side bin [0, 32) kept at 15 / sqrt(32) = 2.7 sigmas: below TAIL_SIGMAS
    List<int[]> l = leaves(new int[] {0, 32}, new int[] {40, 44});
    DpSynthesizer.dropWeakOuter(prefix(c), l, 1);
    assertThat(l).hasSize(1);
    assertThat(l.get(0)).containsExactly(40, 44);
  }

  @Test
  void aThinTailNextToTheDataIsFoundAndTrimmedToItsLastBucketWithMass() {
    double[] c = new double[64];
    Arrays.fill(c, 20, 30, 100);
    Arrays.fill(c, 30, 36, 3); // 18 over 6 buckets beyond the last bin: 18 / sqrt(8) = 6.4
    double[] pre = prefix(c);
    List<int[]> l = leaves(new int[] {20, 30});
    DpSynthesizer.extendTails(pre, l, c.length, 1);
    assertThat(l).hasSize(2);
    // windows of 8 (6.4 sigmas) and 16 buckets (18 / 4 = 4.5) pass, 32 (3.2) does not
    assertThat(l.get(1)).containsExactly(30, 46);
    DpSynthesizer.trimOuter(pre, l, 1);
    // walking in from bucket 45, the first suffix above 2 sqrt(width) starts at 33 (9 / sqrt(13)
    // = 2.5): a flat thin tail is cut a little short, never stretched
    assertThat(l.get(1)).containsExactly(30, 34);
  }

  @Test
  void aSpikeAtTheEndOfAWideOuterBinIsNotSmearedOverIt() {
    double[] c = new double[64];
    Arrays.fill(c, 0, 16, 100);
    c[16] = 50; // the last value, alone in a wide bin [16, 32)
    List<int[]> l = leaves(new int[] {0, 16}, new int[] {16, 32});
    DpSynthesizer.trimOuter(prefix(c), l, 1);
    assertThat(l.get(1)).containsExactly(16, 17);
  }

  @Test
  void nothingBeyondTheDataAddsNothing() {
    double[] c = new double[64];
    Arrays.fill(c, 20, 30, 100);
    List<int[]> l = leaves(new int[] {20, 30});
    DpSynthesizer.extendTails(prefix(c), l, c.length, 1);
    assertThat(l).hasSize(1);
  }

  @Test
  void aPhantomFarPastTheBodyDoesNotStretchTheWalk() {
    double[] c = new double[256];
    Arrays.fill(c, 20, 30, 100);
    Arrays.fill(c, 30, 36, 3); // the real thin tail of the test above
    c[150] = 60; // a chance spike of noise far out
    double[] pre = prefix(c);
    List<int[]> l = leaves(new int[] {20, 30});
    DpSynthesizer.extendTails(pre, l, c.length, 1);
    // Uncapped, the 128-bucket window [30, 158) would pass ((18 + 60) / sqrt(128) = 6.9) and
    // the trim would stop at the spike: the range would reach 151, 12 body spans past it.
    // Capped: the body [20, 30) spans 10, so the walk reaches 30 + 4 * 10 = 70 at most (more
    // than the 32-bucket floor, 62). Windows of 1..32 are tested as before (8 and 16 pass), the
    // window ending at the reach, [30, 70), does not (18 / sqrt(40) = 2.8).
    assertThat(l).hasSize(2);
    assertThat(l.get(1)).containsExactly(30, 46);
    DpSynthesizer.trimOuter(pre, l, 1);
    DpSynthesizer.capOuter(pre, l, c.length, 1);
    assertThat(l.get(1)).containsExactly(30, 34);
  }

  @Test
  void aTailWithinReachIsFoundUpToTheReach() {
    double[] c = new double[256];
    Arrays.fill(c, 20, 30, 100);
    Arrays.fill(c, 30, 70, 1); // 40 over [30, 70): 40 / sqrt(40) = 6.3 sigmas
    List<int[]> l = leaves(new int[] {20, 30});
    DpSynthesizer.extendTails(prefix(c), l, c.length, 1);
    // the power-of-two windows: 32 passes (32 / sqrt(32) = 5.7), 64 would end past the reach;
    // the window ending exactly at the reach (70) passes and is wider
    assertThat(l.get(1)).containsExactly(30, 70);
  }

  @Test
  void aWideOuterBinIsCappedAtAFewSpansOfTheOtherBins() {
    double[] pre = prefix(new double[256]); // no bin is strong: caps only shorten or drop
    List<int[]> l = leaves(new int[] {0, 100}, new int[] {100, 110}, new int[] {110, 120},
        new int[] {120, 250});
    DpSynthesizer.capOuter(pre, l, 256, 1);
    // last: the other bins span [0, 120): 120 + 4 * 120 is past the grid, it stays; first: the
    // others span [100, 250) = 150, 100 - 600 < 0: it stays too
    assertThat(l.get(3)).containsExactly(120, 250);
    assertThat(l.get(0)).containsExactly(0, 100);

    l = leaves(new int[] {0, 100}, new int[] {100, 110}, new int[] {110, 120});
    DpSynthesizer.capOuter(pre, l, 256, 1);
    // last [110, 120) is within the floor of 32 buckets past 110; first: the others span
    // [100, 120) = 20, so it may start at 100 - 4 * 20 = 20 (further than the floor, 68)
    assertThat(l.get(2)).containsExactly(110, 120);
    assertThat(l.get(0)).containsExactly(20, 100);

    l = leaves(new int[] {20, 30}, new int[] {30, 200});
    DpSynthesizer.capOuter(pre, l, 256, 1);
    // last: the other bin spans 10: 30 + 40 = 70 (past the floor, 62); first: the others now
    // span [30, 70) = 40, 30 - 160 < 0: it stays
    assertThat(l.get(1)).containsExactly(30, 70);
    assertThat(l.get(0)).containsExactly(20, 30);
  }

  @Test
  void aBinPastAGapBeyondTheReachGoesUnlessItIsStrong() {
    double[] c = new double[256];
    Arrays.fill(c, 20, 30, 100);
    Arrays.fill(c, 100, 110, 2); // 20 over 10 buckets: 6.3 sigmas, a root but below 8
    List<int[]> l = leaves(new int[] {20, 30}, new int[] {100, 110});
    // the reach past 30 is 30 + 4 * 10 = 70: [100, 110) lies wholly beyond it
    DpSynthesizer.capOuter(prefix(c), l, 256, 1);
    assertThat(l).hasSize(1);
    assertThat(l.get(0)).containsExactly(20, 30);

    Arrays.fill(c, 100, 110, 10); // 100 / sqrt(10) = 31.6 sigmas: a real separate cluster
    l = leaves(new int[] {20, 30}, new int[] {100, 110});
    DpSynthesizer.capOuter(prefix(c), l, 256, 1);
    assertThat(l).hasSize(2);
    assertThat(l.get(1)).containsExactly(100, 110);
  }

  /**
   * A one- or two-bucket spike past the reach (a sentinel or cap value) needs 6 deviations, not
   * 8: it cannot stretch the range beyond where its rows are.
   */
  @Test
  void aNarrowSpikePastTheReachStaysAtSixDeviations() {
    double[] c = new double[256];
    Arrays.fill(c, 20, 30, 100);
    c[200] = 7; // 7 sigmas in one bucket
    List<int[]> l = leaves(new int[] {20, 30}, new int[] {200, 201});
    DpSynthesizer.capOuter(prefix(c), l, 256, 1);
    assertThat(l).hasSize(2);
    assertThat(l.get(1)).containsExactly(200, 201);

    c[200] = 5.5; // below 6: noise could have made it
    l = leaves(new int[] {20, 30}, new int[] {200, 201});
    DpSynthesizer.capOuter(prefix(c), l, 256, 1);
    assertThat(l).hasSize(1);

    c[200] = 0;
    Arrays.fill(c, 200, 203, 4); // 12 / sqrt(3) = 6.9 sigmas, but three buckets wide: needs 8
    l = leaves(new int[] {20, 30}, new int[] {200, 203});
    DpSynthesizer.capOuter(prefix(c), l, 256, 1);
    assertThat(l).hasSize(1);
  }

  @Test
  void theMedianScoresPeakAtTheMiddleBucketAndMoveByAtMostOneWithARow() {
    double[] counts = {0, 0, 10, 10, 10, 0, 0, 3}; // last entry: missing values, left out
    double[] sc = DpSynthesizer.medianScores(counts, 7, 15);
    assertThat(sc).containsExactly(-15, -15, -5, 0, -5, -15, -15);
    // a neighbouring table: one more row in any bucket
    for (int t = 0; t < 7; t++) {
      double[] more = counts.clone();
      more[t]++;
      double[] sc2 = DpSynthesizer.medianScores(more, 7, 15);
      for (int u = 0; u < 7; u++) {
        assertThat(Math.abs(sc2[u] - sc[u])).isLessThanOrEqualTo(1.0);
      }
    }
  }

  @Test
  void aRangeIsBuiltAroundTheReleasedMedian() {
    // 400 rows spread 8 per bucket over buckets 80..129 of 1,000: no bucket stands out
    double[] c = new double[1000];
    Arrays.fill(c, 80, 130, 8);
    double[] pre = prefix(c);
    List<int[]> l = DpSynthesizer.medianLeaves(pre, 1000, 105, 200, 64);
    // the narrowest centred window holding half the rows: 105 +- 12 (25 buckets, 200 rows;
    // h steps 1, 2, 3, 4, 6, 8, 12); the range reaches 12 buckets further on each side, in 8
    // parts: buckets 81..129, where the rows are
    assertThat(l).hasSize(8);
    assertThat(l.get(0)[0]).isEqualTo(105 - 24);
    assertThat(l.get(7)[1]).isEqualTo(105 + 25);
    for (int i = 1; i < l.size(); i++) {
      assertThat(l.get(i)[0]).isEqualTo(l.get(i - 1)[1]);
    }
    // at the grid's edge the range is clipped
    assertThat(DpSynthesizer.medianLeaves(pre, 1000, 2, 200, 64).get(0)[0]).isZero();
  }

  /**
   * A bucket of a finer body that no half could split (ames' years built: 52 rows a fine bucket
   * up to 2010 in [1962, 2048), against a noise deviation of 85) is cut where its mass ends:
   * the least-squares fit of a constant density up to a cut point, with a penalty for the cut.
   */
  @Test
  void anUnsplitBucketIsCutWhereItsMassEnds() {
    RandomSource r = RandomSource.of(3);
    int hits = 0;
    for (int rep = 0; rep < 200; rep++) {
      double[] c = new double[64];
      for (int t = 0; t < 64; t++) {
        c[t] = (t < 36 ? 52 : 0) + 85 * r.nextGaussian();
      }
      double[] pre = prefix(c);
      int e = DpSynthesizer.massEnd(pre, 0, 64, 85, true);
      assertThat(e).isBetween(1, 64);
      hits += Math.abs(e - 36) <= 6 ? 1 : 0;
      // the same from below: mass from bucket 28 on
      double[] d = new double[64];
      for (int t = 0; t < 64; t++) {
        d[63 - t] = c[t];
      }
      assertThat(DpSynthesizer.massEnd(prefix(d), 0, 64, 85, false))
          .isEqualTo(64 - DpSynthesizer.massEnd(pre, 0, 64, 85, true));
    }
    // the cut lands within 6 fine buckets (8 years) of the real end in a good share of fits
    // (uncut, every fit would be 28 buckets off)
    assertThat(hits).isGreaterThan(60);
    // mass spread to the end, or too little evidence of an end, is left whole
    double[] flat = new double[64];
    Arrays.fill(flat, 52);
    assertThat(DpSynthesizer.massEnd(prefix(flat), 0, 64, 85, true)).isEqualTo(64);
    assertThat(DpSynthesizer.massEnd(prefix(flat), 0, 64, 85, false)).isZero();
    double[] step = new double[64];
    Arrays.fill(step, 0, 36, 52);
    assertThat(DpSynthesizer.massEnd(prefix(step), 0, 64, 85, true)).isBetween(34, 44);
    assertThat(DpSynthesizer.massEnd(prefix(step), 0, 64, 1000, true)).isEqualTo(64);
  }

  @Test
  void twoMeasurementsAverageByInverseVariance() {
    double[] a = {10, 0};
    double[] b = {4, 3};
    // sigma 1 and 2: weights 1 and 1/4
    assertThat(DpSynthesizer.combine(a, 1, b, 2)).containsExactly((10 + 1) / 1.25, 0.75 / 1.25);
    double[] flat = new double[64];
    assertThat(DpSynthesizer.hasRoot(flat, 64, 1)).isFalse();
    flat[40] = 5.5;
    assertThat(DpSynthesizer.hasRoot(flat, 64, 1)).isTrue();
  }

  @Test
  void theMedianRunsOnlyWhenItCannotLandFarFromTheDataBySheerNumbers() {
    // 1,857 buckets, epsilon = sqrt(8 rho): landing outside the data at most m exp(-eps t / 2)
    double rho = 0.00036; // epsilon 0.054
    assertThat(DpSynthesizer.medianFeasible(rho, 500, 1857)).isTrue(); // 1857 e^-13.4 = 0.003
    assertThat(DpSynthesizer.medianFeasible(rho, 150, 1857)).isFalse(); // 1857 e^-4.0 = 34
    double eps = Math.sqrt(8 * rho);
    double edge = 2 * Math.log(1857 / DpSynthesizer.MEDIAN_ALPHA) / eps;
    assertThat(DpSynthesizer.medianFeasible(rho, edge * 1.001, 1857)).isTrue();
    assertThat(DpSynthesizer.medianFeasible(rho, edge * 0.999, 1857)).isFalse();
  }
}
