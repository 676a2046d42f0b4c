package dev.ersatz.testkit;

import dev.ersatz.core.demo.ClinicPatients;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Shared test tables and the location of the shared real datasets. */
public final class Fixtures {
  private Fixtures() {}

  /** The demo's clinic patients: every column kind, missing values, real dependencies. */
  public static Table clinic(int rows, long seed) {
    return ClinicPatients.generate(rows, seed);
  }

  /**
   * A table with awkward columns: a rare category (seen 3 times), an all-missing column, a
   * constant column, a column with many missing values, and a strong dependency {@code y ~ x}.
   */
  public static Table awkward(int rows, long seed) {
    RandomSource rng = RandomSource.of(seed);
    double[] x = new double[rows];
    double[] y = new double[rows];
    int[] cat = new int[rows];
    int[] empty = new int[rows];
    double[] constant = new double[rows];
    double[] sparse = new double[rows];
    for (int r = 0; r < rows; r++) {
      x[r] = Math.rint(rng.nextGaussian() * 100) / 10;
      y[r] = Math.rint((2 * x[r] + rng.nextGaussian()) * 10) / 10;
      cat[r] = r < 3 ? 3 : (x[r] > 0 ? 0 : (rng.nextDouble() < 0.5 ? 1 : 2));
      empty[r] = -1;
      constant[r] = 7;
      sparse[r] = rng.nextDouble() < 0.6 ? Double.NaN : rng.nextInt(5);
    }
    Schema s = Schema.of(List.of(
        Column.of("x", ColumnType.Numeric.ofDecimal(1, false)),
        Column.of("y", ColumnType.Numeric.ofDecimal(1, false)),
        Column.of("group", new ColumnType.Categorical()),
        Column.of("empty", new ColumnType.Categorical()),
        Column.of("constant", ColumnType.Numeric.ofInteger()),
        Column.of("sparse", ColumnType.Numeric.ofInteger())));
    List<ColumnData> d = new ArrayList<>();
    d.add(ColumnData.Numbers.adopt(x));
    d.add(ColumnData.Numbers.adopt(y));
    d.add(ColumnData.Codes.adopt(cat, List.of("pos", "neg-a", "neg-b", "rare")));
    d.add(ColumnData.Codes.adopt(empty, List.of()));
    d.add(ColumnData.Numbers.adopt(constant));
    d.add(ColumnData.Numbers.adopt(sparse));
    return Table.of(s, d);
  }

  /**
   * The shared real datasets folder ({@code ../shared/data} beside the project), if present.
   * Tests that need it call {@code assumeTrue(sharedData().isPresent(), ...)}.
   */
  public static Optional<Path> sharedData() {
    String p = System.getProperty("ersatz.shared.data");
    List<Path> candidates = new ArrayList<>();
    if (p != null) {
      candidates.add(Paths.get(p));
    }
    candidates.add(Paths.get("..", "shared", "data"));
    candidates.add(Paths.get("..", "..", "shared", "data"));
    for (Path c : candidates) {
      if (Files.isDirectory(c) && Files.exists(c.resolve("census.csv.gz"))) {
        return Optional.of(c.toAbsolutePath().normalize());
      }
    }
    return Optional.empty();
  }
}
