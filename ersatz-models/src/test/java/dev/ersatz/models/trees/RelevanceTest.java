package dev.ersatz.models.trees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.models.PrivacySettings;
import dev.ersatz.models.codec.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which earlier columns a wide table's column may split on. */
class RelevanceTest {
  private static final int ROWS = 3000;
  private static final PrivacySettings K5 = new PrivacySettings(5);

  /** Columns 0-30 are independent digits; column 31 is the sum of columns 5 and 20, plus noise. */
  private static Table wide(long seed) {
    return wide(seed, false);
  }

  /**
   * As {@link #wide(long)}; with {@code label}, column 31 is whether that noisy sum exceeds 9, a
   * two-cell column.
   */
  private static Table wide(long seed, boolean label) {
    RandomSource rng = RandomSource.of(seed);
    int d = 32;
    double[][] v = new double[d][ROWS];
    for (int r = 0; r < ROWS; r++) {
      for (int j = 0; j < d - 1; j++) {
        v[j][r] = rng.nextInt(10);
      }
      v[d - 1][r] = v[5][r] + v[20][r] + rng.nextInt(2);
      if (label) {
        v[d - 1][r] = v[d - 1][r] > 9 ? 1 : 0;
      }
    }
    List<Column> cols = new ArrayList<>();
    List<ColumnData> data = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      cols.add(Column.of("c" + j, ColumnType.Numeric.ofInteger()));
      data.add(ColumnData.Numbers.adopt(v[j]));
    }
    return Table.of(Schema.of(cols), data);
  }

  /** A test table's codecs, its cells, and all its rows. */
  private record Encoded(Frame frame, int[][] cells, int[] rows) {
    /** Each column's predictors with the default ensemble and at most {@code limit} of them. */
    int[][] predictors(int limit) {
      return TreesProvider.predictors(frame, cells, rows, bag(limit), null);
    }
  }

  private static TreesProvider.Bagging bag(int limit) {
    return new TreesProvider.Bagging(5, 0.5, 1.0, 4, true, limit);
  }

  private static Encoded encode(Table t) {
    Frame frame = Frame.fit(t, K5);
    return new Encoded(frame, frame.encode(t), IntStream.range(0, t.rowCount()).toArray());
  }

  @Test
  void theColumnsATargetDependsOnAreChosenAmongNoise() {
    Encoded e = encode(wide(7));
    int[][] cells = e.cells();
    int[] card = TreesProvider.cellCounts(e.frame());
    int[] rows = e.rows();
    int[] pool = IntStream.range(0, 31).toArray();
    assertThat(Relevance.related(cells, card, rows, 31, pool, 1)).hasSize(1)
        .containsAnyOf(5, 20);
    // free slots are not filled with unrelated columns
    assertThat(Relevance.related(cells, card, rows, 31, pool, 6)).containsExactly(5, 20);
    assertThat(Relevance.related(cells, card, rows, 12, IntStream.range(0, 12).toArray(), 6))
        .isEmpty();
  }

  @Test
  void theChiSquareQuantileIsCloseToTheExactOne() {
    // exact 0.999 quantiles for 1, 10 and 100 degrees of freedom
    assertThat(Relevance.chiSquareQuantile(1, 3.0902)).isCloseTo(10.83, within(0.4));
    assertThat(Relevance.chiSquareQuantile(10, 3.0902)).isCloseTo(29.59, within(0.3));
    assertThat(Relevance.chiSquareQuantile(100, 3.0902)).isCloseTo(149.45, within(0.5));
  }

  /** Without the correction, two independent many-celled columns would look informative. */
  @Test
  void independentManyCelledColumnsScoreAboutNothing() {
    RandomSource rng = RandomSource.of(3);
    int n = 4000;
    int[] x = new int[n];
    int[] y = new int[n];
    int[] z = new int[n];
    for (int r = 0; r < n; r++) {
      x[r] = rng.nextInt(20);
      y[r] = rng.nextInt(20);
      // two cells, weakly tied to x: 0.020 nats
      z[r] = rng.nextDouble() < (x[r] < 10 ? 0.6 : 0.4) ? 1 : 0;
    }
    int[] rows = IntStream.range(0, n).toArray();
    double independent = Relevance.information(x, 20, y, 20, rows);
    double weak = Relevance.information(z, 2, x, 20, rows);
    // the plug-in estimate of the independent pair is about (20 - 1)^2 / 2n = 0.045 nats
    assertThat(Math.abs(independent)).isLessThan(0.01);
    assertThat(weak).isGreaterThan(independent);
  }

  @Test
  void manyRowsAreCountedAtAnEvenStride() {
    int[] rows = IntStream.range(0, 3 * Relevance.MAX_ROWS + 7).toArray();
    int[] s = Relevance.stride(rows);
    assertThat(s).hasSize(Relevance.MAX_ROWS).isSorted().doesNotHaveDuplicates();
    assertThat(s[0]).isZero();
    assertThat(s[s.length - 1]).isGreaterThanOrEqualTo(rows.length - 4);
    int[] few = {4, 9};
    assertThat(Relevance.stride(few)).isSameAs(few);
  }

  /** The trees of a wide table's column split only on its chosen columns. */
  @Test
  void treesSplitOnlyOnTheChosenColumns() {
    Encoded e = encode(wide(11));
    int[][] pred = e.predictors(4);
    assertThat(pred[3]).isEmpty();
    assertThat(pred[31]).containsExactly(5, 20);
    Tree[][] trees = TreesProvider.buildAll(e.frame(), e.cells(), e.rows(), 20, 1.0, bag(4),
        null, pred, RandomSource.of(1));
    for (int j = 0; j < trees.length; j++) {
      for (Tree tree : trees[j]) {
        for (int f : tree.feature) {
          if (f >= 0) {
            assertThat(pred[j]).as("column %d splits on %d", j, f).contains(f);
          }
        }
      }
    }
    assertThat(Arrays.stream(trees[31]).flatMapToInt(tr -> Arrays.stream(tr.feature))
        .filter(f -> f >= 0).distinct().sorted().toArray()).containsExactly(5, 20);
    // an unrelated column grows no splits at all
    assertThat(Arrays.stream(trees[10]).mapToInt(tr -> Tree.leafCount(tr.feature)).max()
        .getAsInt()).isEqualTo(1);
  }

  /**
   * On a wide table a booster leaves out the columns found unrelated to its column: a label
   * that depends on two of 31 columns is boosted on those two, where boosting on all of them
   * also splits on chance columns.
   */
  @Test
  void aBoosterLeavesOutUnrelatedColumns() {
    Encoded e = encode(wide(13, true));
    Booster related = TreesProvider.boost(e.frame(), e.cells(), e.rows(), K5, 1, Booster.FULL,
        true, () -> false)[31];
    Booster all = TreesProvider.boost(e.frame(), e.cells(), e.rows(), K5, 1, Booster.FULL, false,
        () -> false)[31];
    assertThat(Arrays.stream(related.feature).filter(f -> f >= 0).distinct().sorted().toArray())
        .containsExactly(5, 20);
    assertThat(Arrays.stream(all.feature).filter(f -> f >= 0 && f != 5 && f != 20).count())
        .isPositive();
  }

  /** A table no wider than the limit allows keeps every earlier column, related or not. */
  @Test
  void aNarrowTableKeepsEveryEarlierColumn() {
    int[][] pred = encode(wide(5)).predictors(31);
    for (int j = 0; j < pred.length; j++) {
      assertThat(pred[j]).isEqualTo(IntStream.range(0, j).toArray());
    }
  }
}
