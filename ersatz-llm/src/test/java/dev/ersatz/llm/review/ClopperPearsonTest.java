package dev.ersatz.llm.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClopperPearsonTest {
  /**
   * Expected values from scipy 1.x: {@code scipy.stats.beta.ppf(conf, k + 1, n - k)}, see
   * clopper_pearson.py beside this test.
   */
  @Test
  void matchesScipyBetaQuantiles() {
    assertThat(ClopperPearson.upper(0, 30, 0.95)).isCloseTo(0.09503385285530411, within(1e-12));
    assertThat(ClopperPearson.upper(3, 50, 0.95)).isCloseTo(0.14783717636418123, within(1e-12));
    assertThat(ClopperPearson.upper(9, 200, 0.99)).isCloseTo(0.09163174501753223, within(1e-12));
    // closed form for k = 0: 1 - alpha^(1/n)
    assertThat(ClopperPearson.upper(0, 10, 0.9)).isCloseTo(1 - Math.pow(0.1, 0.1), within(1e-12));
    assertThat(ClopperPearson.upper(5, 5, 0.95)).isEqualTo(1.0);
  }
}
