package dev.ersatz.eval;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.util.List;

/** Small seeded tables built in code. */
final class TestTables {
  private TestTables() {}

  /**
   * Columns x (normal), y (2x + noise), g (categorical a/b/c, depends on x), label (yes/no,
   * depends on x and g).
   */
  static Table mixed(int n, long seed) {
    RandomSource r = RandomSource.of(seed);
    double[] x = new double[n];
    double[] y = new double[n];
    int[] g = new int[n];
    int[] label = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextGaussian();
      y[i] = 2 * x[i] + 0.5 * r.nextGaussian();
      g[i] = x[i] > 0.5 ? 0 : x[i] < -0.5 ? 1 : r.nextInt(3);
      double p = 1 / (1 + Math.exp(-(2 * x[i] + (g[i] == 2 ? 1 : -0.5))));
      label[i] = r.nextDouble() < p ? 0 : 1;
    }
    return Table.of(Schema.of(List.of(Column.of("x", ColumnType.Numeric.ofDecimal(3, false)),
        Column.of("y", ColumnType.Numeric.ofDecimal(3, false)),
        Column.of("g", new ColumnType.Categorical()),
        Column.of("label", new ColumnType.Categorical()))),
        List.of(ColumnData.Numbers.adopt(x), ColumnData.Numbers.adopt(y),
            ColumnData.Codes.adopt(g, List.of("a", "b", "c")),
            ColumnData.Codes.adopt(label, List.of("yes", "no"))));
  }
}
