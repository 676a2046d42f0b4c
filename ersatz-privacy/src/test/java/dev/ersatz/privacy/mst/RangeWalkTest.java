package dev.ersatz.privacy.mst;

import static org.assertj.core.api.Assertions.assertThat;

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
}
