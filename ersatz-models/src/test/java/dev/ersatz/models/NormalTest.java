package dev.ersatz.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link Normal} against scipy's values (normal_reference.py and its output beside it). */
class NormalTest {
  @Test
  void cdfAndQuantileMatchScipy() throws Exception {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        NormalTest.class.getResourceAsStream("/normal_reference.csv"), StandardCharsets.UTF_8))) {
      r.readLine();
      int n = 0;
      for (String line; (line = r.readLine()) != null; n++) {
        String[] f = line.split(",");
        double z = Double.parseDouble(f[0]);
        double cdf = Double.parseDouble(f[1]);
        double p = Double.parseDouble(f[2]);
        double q = Double.parseDouble(f[3]);
        assertThat(Normal.cdf(z)).as("cdf(%s)", z).isCloseTo(cdf, within(1e-14 + 1e-9 * cdf));
        assertThat(Normal.quantile(p)).as("quantile(%s)", p)
            .isCloseTo(q, within(1e-9 * Math.max(1, Math.abs(q))));
      }
      assertThat(n).isEqualTo(14);
    }
  }

  @Test
  void choleskySolves() {
    double[][] a = {{4, 2, 0.6}, {2, 3, 0.4}, {0.6, 0.4, 1}};
    double[] x = Normal.solve(Normal.cholesky(a), new double[] {1, 2, 3});
    for (int i = 0; i < 3; i++) {
      double s = 0;
      for (int j = 0; j < 3; j++) {
        s += a[i][j] * x[j];
      }
      assertThat(s).isCloseTo(i + 1.0, within(1e-12));
    }
  }

  @Test
  void fastCdfAgreesWithTheExactOneAndIsMonotone() {
    double prev = 0;
    double worst = 0;
    for (int k = 0; k <= 1_800_000; k++) {
      double z = -9 + k * 1e-5;
      double f = Normal.cdfFast(z);
      worst = Math.max(worst, Math.abs(f - Normal.cdf(z)));
      // monotone up to rounding in the last bits (the exact CDF is no better there)
      org.assertj.core.api.Assertions.assertThat(f).as("z = %s", z)
          .isGreaterThanOrEqualTo(prev - 1e-15);
      prev = f;
    }
    org.assertj.core.api.Assertions.assertThat(worst).isLessThan(1e-10);
  }
}
