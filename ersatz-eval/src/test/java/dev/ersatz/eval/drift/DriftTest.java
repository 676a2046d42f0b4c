package dev.ersatz.eval.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftTest {
  static Table t(int n, double shift, double pB, long seed) {
    RandomSource r = RandomSource.of(seed);
    double[] x = new double[n];
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextGaussian() + shift;
      c[i] = r.nextDouble() < pB ? 1 : 0;
    }
    return Table.of(Schema.of(List.of(Column.of("x", ColumnType.Numeric.ofDecimal(6, false)),
        Column.of("c", new ColumnType.Categorical()))), List.of(ColumnData.Numbers.adopt(x),
        ColumnData.Codes.adopt(c, List.of("a", "b"))));
  }

  @Test
  void noDriftVersusDrift() {
    DriftReport same = Drift.compare(t(5000, 0, 0.3, 1), t(5000, 0, 0.3, 2));
    // same distribution: p-values are uniform, so p > 0.001 fails 0.1% of the time per column
    assertThat(same.columns().get(0).ksPValue()).isGreaterThan(0.001);
    assertThat(same.columns().get(1).chi2PValue()).isGreaterThan(0.001);
    assertThat(same.columns().get(0).psi()).isLessThan(0.02);
    DriftReport moved = Drift.compare(t(5000, 0, 0.3, 1), t(5000, 0.5, 0.5, 2));
    assertThat(moved.columns().get(0).ksPValue()).isLessThan(1e-10);
    assertThat(moved.columns().get(1).chi2PValue()).isLessThan(1e-10);
    assertThat(moved.columns().get(0).psi()).isGreaterThan(0.1);
    assertThat(moved.columns().get(1).kind()).isEqualTo("categorical");
  }

  @Test
  void missingColumnsAreNamed() {
    Table a = t(10, 0, 0.5, 1);
    Table b = Table.of(Schema.of(List.of(a.schema().column(0))), List.of(a.column(0)));
    assertThatThrownBy(() -> Drift.compare(a, b)).isInstanceOf(UserInputException.class)
        .hasMessageContaining("lacks the real table's columns [c]");
  }
}
