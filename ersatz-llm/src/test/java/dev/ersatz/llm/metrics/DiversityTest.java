package dev.ersatz.llm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiversityTest {
  static float[] unit(int dim, int i) {
    float[] v = new float[dim];
    v[i] = 1;
    return v;
  }

  @Test
  void vendiScoreKnownCases() {
    // Friedman and Dieng 2023: n identical items score 1, n orthogonal items score n
    List<float[]> same = List.of(unit(4, 0), unit(4, 0), unit(4, 0));
    assertThat(Diversity.vendi(same)).isCloseTo(1.0, within(1e-9));
    List<float[]> orth = List.of(unit(4, 0), unit(4, 1), unit(4, 2));
    assertThat(Diversity.vendi(orth)).isCloseTo(3.0, within(1e-9));
    // two identical + one orthogonal: eigenvalues 2/3, 1/3 -> exp(H)
    List<float[]> mixed = List.of(unit(4, 0), unit(4, 0), unit(4, 1));
    double h = -(2.0 / 3) * Math.log(2.0 / 3) - (1.0 / 3) * Math.log(1.0 / 3);
    assertThat(Diversity.vendi(mixed)).isCloseTo(Math.exp(h), within(1e-9));
    // n > d uses the d x d route: 6 items on 2 orthogonal axes, 3 each -> 2
    List<float[]> many = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      many.add(unit(2, i % 2));
    }
    assertThat(Diversity.vendi(many)).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void distinctAndSimilarity() {
    assertThat(Diversity.distinctN(List.of("a b a b"), 1)).isEqualTo(0.5);
    assertThat(Diversity.distinctN(List.of("a b a b"), 2)).isEqualTo(2.0 / 3);
    assertThat(Diversity.distinctN(List.of(), 2)).isZero();
    assertThat(Diversity.selfSimilarity(List.of(unit(3, 0), unit(3, 0), unit(3, 1)))).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(Diversity.seedCoverage(List.of(unit(3, 0)), List.of(unit(3, 0), unit(3, 1)))).isEqualTo(0.5);
  }
}
