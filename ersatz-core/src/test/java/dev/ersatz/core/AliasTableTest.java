package dev.ersatz.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ersatz.core.random.AliasTable;
import dev.ersatz.core.random.RandomSource;
import org.junit.jupiter.api.Test;

class AliasTableTest {
  /** Frequencies over 1M draws within 6 binomial standard errors of the weights. */
  @Test
  void drawsInProportionToTheWeights() {
    double[] w = {0.5, 0, 3, 1e-3, 2, 7, 0.25, Double.NaN, -1};
    double sum = 0.5 + 3 + 1e-3 + 2 + 7 + 0.25;
    AliasTable t = AliasTable.of(w);
    RandomSource r = RandomSource.of(5);
    int n = 1_000_000;
    int[] counts = new int[w.length];
    for (int i = 0; i < n; i++) {
      counts[t.sample(r)]++;
    }
    for (int i = 0; i < w.length; i++) {
      double p = w[i] > 0 ? w[i] / sum : 0;
      assertThat(counts[i] / (double) n).as("outcome %d", i)
          .isCloseTo(p, within(6 * Math.sqrt(p * (1 - p) / n) + 1e-9));
    }
  }

  @Test
  void edgeCases() {
    assertThat(AliasTable.of(new double[] {4}).sample(-1L)).isZero();
    AliasTable uniform = AliasTable.of(new double[] {0, 0, 0, 0});
    assertThat(uniform.sample(0L)).isZero();
    assertThat(uniform.sample(-1L)).isEqualTo(3);
    // a certain outcome stays certain at the top of the low bits
    AliasTable sure = AliasTable.of(new double[] {0, 1});
    assertThat(sure.sample(0x7FFFFFFF_FFFFFFFFL)).isEqualTo(1);
    assertThat(sure.sample(0x00000000_FFFFFFFFL)).isEqualTo(1);
    assertThatThrownBy(() -> AliasTable.of(new double[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A packed table draws what the table of the same weights draws, for every bit pattern. */
  @Test
  void packedTablesDrawLikeTheirInstances() {
    double[] w = {9, 0.5, 0, 3, 1e-3, 2, 7, 0.25, 4};
    int[] packed = new int[3 + 2 * 7];
    AliasTable.pack(w, 1, 7, packed, 3);
    AliasTable t = AliasTable.of(java.util.Arrays.copyOfRange(w, 1, 8));
    RandomSource r = RandomSource.of(11);
    for (int i = 0; i < 100_000; i++) {
      long bits = r.nextLong();
      assertThat(AliasTable.samplePacked(packed, 3, 7, bits)).isEqualTo(t.sample(bits));
    }
    assertThat(AliasTable.samplePacked(packed, 3, 7, -1L)).isEqualTo(t.sample(-1L));
    assertThatThrownBy(() -> AliasTable.pack(w, 0, 0, packed, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
