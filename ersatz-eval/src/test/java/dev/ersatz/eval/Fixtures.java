package dev.ersatz.eval;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import java.util.ArrayList;
import java.util.List;

/** Test tables made from real ones. */
public final class Fixtures {
  private Fixtures() {}

  /**
   * A crude "synthetic" table: every column drawn independently (with replacement) from the
   * real one, so marginals match and dependencies are gone.
   */
  public static Table independentColumns(Table real, int rows, long seed) {
    RandomSource rng = RandomSource.of(seed);
    List<ColumnData> cols = new ArrayList<>();
    for (int c = 0; c < real.schema().size(); c++) {
      int[] pick = new int[rows];
      RandomSource r = rng.split(c);
      for (int i = 0; i < rows; i++) {
        pick[i] = r.nextInt(real.rowCount());
      }
      cols.add(Tables.select(single(real, c), pick).column(0));
    }
    return Table.of(real.schema(), cols);
  }

  private static Table single(Table t, int c) {
    return Table.of(dev.ersatz.core.schema.Schema.of(List.of(t.schema().column(c))),
        List.of(t.column(c)));
  }

  /** {@code rows} rows of {@code t} drawn with replacement. */
  public static Table sample(Table t, int rows, long seed) {
    RandomSource r = RandomSource.of(seed);
    int[] pick = new int[rows];
    for (int i = 0; i < rows; i++) {
      pick[i] = r.nextInt(t.rowCount());
    }
    return Tables.select(t, pick);
  }
}
