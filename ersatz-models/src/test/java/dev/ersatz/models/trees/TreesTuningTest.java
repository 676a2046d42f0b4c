package dev.ersatz.models.trees;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.table.Table;
import dev.ersatz.models.PrivacySettings;
import dev.ersatz.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/** The fit-time leaf-size search of {@link TreesProvider}. */
class TreesTuningTest {
  private static final PrivacySettings K5 = new PrivacySettings(5);

  @Test
  void fractionsThatGiveTheSameLeafAreMeasuredOnce() {
    double[] share = new double[TreesProvider.FRACTIONS.length];
    java.util.Arrays.fill(share, Double.NaN);
    // 1,000 rows: 0.0005..0.008 of them are all below the floor of 2k = 10 rows
    share[2] = 0.55;
    assertThat(TreesProvider.sameLeaf(TreesProvider.FRACTIONS, 3, 1000, K5, share)).isEqualTo(2);
    assertThat(TreesProvider.sameLeaf(TreesProvider.FRACTIONS, 6, 1000, K5, share)).isEqualTo(-1);
    // 100,000 rows: every fraction is its own leaf size
    assertThat(TreesProvider.sameLeaf(TreesProvider.FRACTIONS, 3, 100_000, K5, share))
        .isEqualTo(-1);
  }

  /** Runs the leaf-size search over shares given per leaf size; returns the leaves measured. */
  private static java.util.List<Integer> search(int rows, java.util.function.IntToDoubleFunction
      shareOfLeaf, int[] chosen) {
    double[] share = new double[TreesProvider.FRACTIONS.length];
    java.util.Arrays.fill(share, Double.NaN);
    java.util.List<Integer> measured = new java.util.ArrayList<>();
    chosen[0] = TreesProvider.search(rows, K5, share, leaf -> {
      measured.add(leaf);
      return shareOfLeaf.applyAsDouble(leaf);
    });
    return measured;
  }

  @Test
  void aLargeTableWhoseFinestLeafPassesIsMeasuredOnce() {
    int[] chosen = new int[1];
    // 31,259 rows (census less its held-back fifth): leaves 16, 31, 63, ...
    assertThat(search(31_259, leaf -> 0.505, chosen)).containsExactly(16);
    assertThat(chosen[0]).isZero();
  }

  @Test
  void whereTheFinestLeafFailsTheWalkRunsFromTheStart() {
    int[] chosen = new int[1];
    // passes from 125 rows a leaf on: finest fails, START (63) fails, then up to 125
    assertThat(search(31_259, leaf -> leaf >= 125 ? 0.51 : 0.53, chosen))
        .containsExactly(16, 63, 125);
    assertThat(chosen[0]).isEqualTo(3);
    // passes from 31 on: START passes, the walk steps down to 31, then stops at the finest's
    // failure without measuring it again
    assertThat(search(31_259, leaf -> leaf >= 31 ? 0.51 : 0.53, chosen))
        .containsExactly(16, 63, 31);
    assertThat(chosen[0]).isEqualTo(1);
    // none passes: the finest plus the walk's five
    assertThat(search(31_259, leaf -> 0.53, chosen))
        .containsExactly(16, 63, 125, 250, 500, 1000);
    assertThat(chosen[0]).isEqualTo(-1);
  }

  @Test
  void aSmallTableWhoseFinestLeafIsTheStartsIsNotMeasuredTwice() {
    int[] chosen = new int[1];
    // 2,400 rows: the first three fractions all give the floor of 10 rows
    assertThat(search(2_400, leaf -> 0.53, chosen)).containsExactly(10, 19, 38, 77, 154);
    assertThat(chosen[0]).isEqualTo(-1);
    assertThat(search(2_400, leaf -> 0.50, chosen)).containsExactly(10);
    assertThat(chosen[0]).isZero();
  }

  @Test
  void withoutAPassingCandidateTheLowestMeasuredIsKept() {
    double[] share = {Double.NaN, Double.NaN, 0.56, 0.55, 0.59, Double.NaN, Double.NaN,
        Double.NaN};
    assertThat(TreesProvider.lowest(share)).isEqualTo(3);
  }

  @Test
  void theChosenLeafPassedTheCheckOrMeasuredLowest() {
    Table t = Fixtures.clinic(1500, 3);
    TreesModel m = (TreesModel) new TreesProvider().create(java.util.Map.of())
        .fit(t, FitContext.of(7));
    java.util.Map<String, Object> tuning = m.tuning();
    assertThat(tuning.get("chosenBy")).isEqualTo("held-back DCR check");
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> shares =
        (java.util.Map<String, Object>) tuning.get("dcrShareByCandidate");
    assertThat(shares).isNotEmpty();
    double min = shares.values().stream().mapToDouble(v -> ((Number) v).doubleValue()).min()
        .orElseThrow();
    // the leaf measured for the chosen fraction (on the rows not held back)
    int fitRows = 1500 - 1500 / 5;
    int leaf = TreesProvider.minLeaf(((Number) tuning.get("minLeafFraction")).doubleValue(),
        fitRows, K5);
    double chosen = ((Number) shares.get("minLeaf=" + leaf)).doubleValue();
    if (tuning.containsKey("note")) {
      assertThat(chosen).isEqualTo(min);
      // the check then says where rows that know no joint land on the same references
      assertThat(((Number) tuning.get("dcrShareColumnsAlone")).doubleValue()).isBetween(0.3, 0.7);
    } else {
      assertThat(chosen).isLessThanOrEqualTo(TreesProvider.TARGET_SHARE);
    }
  }

  /**
   * A panel of 200 patients weighed six times: no leaf size brings the share to the target (the
   * model learns each patient's weight, and the split itself leans), and the check says where
   * rows drawn column by column land on the same references.
   */
  @Test
  void aCheckThatNoLeafPassesReportsTheColumnsAloneShare() {
    int n = 1200;
    int[] patient = new int[n];
    double[] weight = new double[n];
    java.util.List<String> ids = new java.util.ArrayList<>();
    dev.ersatz.core.random.RandomSource r = dev.ersatz.core.random.RandomSource.of(1);
    double base = 0;
    for (int i = 0; i < n; i++) {
      if (i % 6 == 0) {
        ids.add(String.format(java.util.Locale.ROOT, "P%03d", i / 6));
        base = 60 + 10 * r.nextGaussian();
      }
      patient[i] = i / 6;
      weight[i] = Math.round((base + r.nextGaussian()) * 10) / 10.0;
    }
    Table t = Table.of(dev.ersatz.core.schema.Schema.of(java.util.List.of(
        dev.ersatz.core.schema.Column.of("patient",
            new dev.ersatz.core.schema.ColumnType.Categorical()),
        dev.ersatz.core.schema.Column.of("weight",
            dev.ersatz.core.schema.ColumnType.Numeric.ofDecimal(1, false)))),
        java.util.List.of(dev.ersatz.core.table.ColumnData.Codes.adopt(patient, ids),
            dev.ersatz.core.table.ColumnData.Numbers.adopt(weight)));
    TreesModel m = (TreesModel) new TreesProvider().create(java.util.Map.of())
        .fit(t, FitContext.of(2));
    assertThat(m.tuning()).containsKey("note");
    assertThat(((Number) m.tuning().get("dcrShareColumnsAlone")).doubleValue())
        .isBetween(0.5, 0.6);
  }

  @Test
  void onlyTheLastTwoCellColumnsAreBoosted() {
    Table t = Fixtures.clinic(600, 5);
    dev.ersatz.models.codec.Frame frame = dev.ersatz.models.codec.Frame.fit(t, K5);
    int[][] cells = frame.encode(t);
    int[] rows = java.util.stream.IntStream.range(0, 600).toArray();
    java.util.List<Integer> twoCell = new java.util.ArrayList<>();
    for (int j = 1; j < frame.width(); j++) {
      if (frame.codec(j).cells() == 2) {
        twoCell.add(j);
      }
    }
    assertThat(twoCell).hasSizeGreaterThanOrEqualTo(2);
    Booster[] all = TreesProvider.boost(frame, cells, rows, K5, 100, Booster.FULL, () -> false);
    Booster[] one = TreesProvider.boost(frame, cells, rows, K5, 1, Booster.FULL, () -> false);
    Booster[] none = TreesProvider.boost(frame, cells, rows, K5, 0, Booster.FULL, () -> false);
    for (int j = 0; j < frame.width(); j++) {
      assertThat(all[j] != null).as("column %d", j).isEqualTo(twoCell.contains(j));
      assertThat(one[j] != null).as("column %d", j)
          .isEqualTo(j == twoCell.get(twoCell.size() - 1));
      assertThat(none[j]).isNull();
    }
  }

  @Test
  void aTwoCellColumnWithAnAlmostEmptyCellIsNotBoosted() {
    int[] rows = java.util.stream.IntStream.range(0, 100).toArray();
    int[] allOnes = new int[100];
    java.util.Arrays.fill(allOnes, 1);
    assertThat(TreesProvider.boostable(allOnes, rows, 5)).isFalse();
    int[] fourZeros = allOnes.clone();
    java.util.Arrays.fill(fourZeros, 0, 4, 0);
    assertThat(TreesProvider.boostable(fourZeros, rows, 5)).isFalse();
    int[] fiveZeros = allOnes.clone();
    java.util.Arrays.fill(fiveZeros, 0, 5, 0);
    assertThat(TreesProvider.boostable(fiveZeros, rows, 5)).isTrue();
  }
}
