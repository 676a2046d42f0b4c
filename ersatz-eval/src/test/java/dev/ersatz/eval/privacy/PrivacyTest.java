package dev.ersatz.eval.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import dev.ersatz.eval.Aligned;
import dev.ersatz.eval.Evaluation;
import dev.ersatz.eval.EvaluationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PrivacyTest {

  /** A table with numbers (some missing), a low- and a high-cardinality category. */
  static Table random(int n, long seed, int catLevels) {
    RandomSource r = RandomSource.of(seed);
    double[] a = new double[n];
    double[] b = new double[n];
    int[] c = new int[n];
    int[] d = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextDouble() < 0.05 ? Double.NaN : Math.floor(r.nextGaussian() * 10) / 10;
      b[i] = r.nextDouble() * 100;
      c[i] = r.nextDouble() < 0.03 ? -1 : r.nextInt(3);
      d[i] = r.nextInt(catLevels);
    }
    List<String> dl = new ArrayList<>();
    for (int i = 0; i < catLevels; i++) {
      dl.add("L" + i);
    }
    return Table.of(Schema.of(List.of(Column.of("a", ColumnType.Numeric.ofDecimal(1, false)),
        Column.of("b", ColumnType.Numeric.ofDecimal(6, false)),
        Column.of("c", new ColumnType.Categorical()), Column.of("d",
            new ColumnType.Categorical()))), List.of(ColumnData.Numbers.adopt(a),
        ColumnData.Numbers.adopt(b), ColumnData.Codes.adopt(c, List.of("x", "y", "z")),
        ColumnData.Codes.adopt(d, dl)));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void indexIsExactAgainstBruteForce(long seed) {
    assertExact(random(1500, seed, (int) (2 + seed * 7)),
        random(400, seed + 100, (int) (2 + seed * 7)), false);
  }

  @Test
  void manyCategoricalColumnsAreScannedAndStayExact() {
    // 40 categorical columns: a nearest row differs in many, the trie prunes little
    assertExact(manyCategories(1500, 7), manyCategories(400, 8), true);
  }

  @Test
  void aTableOfCategoriesOnlyIsScannedToo() {
    // no numeric dimension: the trie's bounds cost nothing, its nodes do (DNA's 180 bases took
    // 96 s of evaluate's privacy checks through the trie, 12 s scanned)
    DistanceSpace.Points[] p = embedded(manyCategories(1500, 9, false),
        manyCategories(400, 10, false));
    assertThat(p[0].numDims()).isZero();
    assertExact(manyCategories(1500, 9, false), manyCategories(400, 10, false), true);
  }

  /**
   * The index's nearest and second-nearest distances from {@code q}'s rows to {@code ref}'s
   * match brute force, by the search path named ({@code scanned}: every row scanned, else the
   * trie); asked for the nearest only, the same first distances.
   */
  private static void assertExact(Table ref, Table q, boolean scanned) {
    DistanceSpace.Points[] p = embedded(ref, q);
    DistanceSpace.Points pr = p[0];
    DistanceSpace.Points pq = p[1];
    NearestIndex.Neighbours nb = NearestIndex.of(pr).query(pq, 2, true);
    assertThat(nb.scanned()).isEqualTo(scanned);
    assertMatchesBruteForce(nb, pq, pr);
    NearestIndex.Neighbours one = NearestIndex.of(pr).query(pq, 1, false);
    assertThat(one.first()).containsExactly(nb.first());
  }

  /** The reference and query tables in the reference's distance space. */
  private static DistanceSpace.Points[] embedded(Table ref, Table q) {
    Aligned data = Aligned.of(List.of("ref", "q"), List.of(ref, q), Map.of(), new ArrayList<>());
    DistanceSpace space = DistanceSpace.of(data, 0);
    return new DistanceSpace.Points[] {space.embed(data, 0), space.embed(data, 1)};
  }

  /** Nearest and second-nearest distances, bit for bit, against every pair's distance. */
  private static void assertMatchesBruteForce(NearestIndex.Neighbours nb, DistanceSpace.Points pq,
      DistanceSpace.Points pr) {
    for (int i = 0; i < pq.size(); i++) {
      double b1 = Double.POSITIVE_INFINITY;
      double b2 = Double.POSITIVE_INFINITY;
      for (int j = 0; j < pr.size(); j++) {
        double s = pq.distanceSq(i, pr, j);
        if (s < b1) {
          b2 = b1;
          b1 = s;
        } else if (s < b2) {
          b2 = s;
        }
      }
      assertThat(nb.first()[i]).isEqualTo(Math.sqrt(b1));
      assertThat(nb.second()[i]).isEqualTo(Math.sqrt(b2));
      assertThat(pq.distanceSq(i, pr, nb.firstRow()[i])).isEqualTo(b1);
    }
  }

  private static Table manyCategories(int n, long seed) {
    return manyCategories(n, seed, true);
  }

  private static Table manyCategories(int n, long seed, boolean withNumber) {
    RandomSource r = RandomSource.of(seed);
    List<Column> cols = new ArrayList<>();
    List<ColumnData> data = new ArrayList<>();
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextGaussian();
    }
    if (withNumber) {
      cols.add(Column.of("x", ColumnType.Numeric.ofDecimal(6, false)));
      data.add(ColumnData.Numbers.adopt(x));
    }
    for (int c = 0; c < 40; c++) {
      int[] codes = new int[n];
      for (int i = 0; i < n; i++) {
        codes[i] = r.nextInt(3);
      }
      cols.add(Column.of("c" + c, new ColumnType.Categorical()));
      data.add(ColumnData.Codes.adopt(codes, List.of("x", "y", "z")));
    }
    return Table.of(Schema.of(cols), data);
  }

  @Test
  void embeddingByNameEqualsEmbeddingOfAlignedData() {
    Table ref = random(200, 9, 5);
    Table q = random(50, 10, 5);
    Aligned data = Aligned.of(List.of("ref", "q"), List.of(ref, q), Map.of(), new ArrayList<>());
    DistanceSpace space = DistanceSpace.of(data, 0);
    DistanceSpace.Points viaAligned = space.embed(data, 1);
    DistanceSpace.Points viaTable = space.embed(q);
    assertThat(viaTable.num()).containsExactly(viaAligned.num());
    assertThat(viaTable.cat()).containsExactly(viaAligned.cat());
  }

  /**
   * A finite panel: 200 patients seen exactly three times each, split 80/20. The patients the
   * holdout drew more visits of are those training holds fewer of, so rows drawn from the
   * training marginals lean towards training rows with no joint learned at all, while fresh
   * rows of the same design (every patient three times) do not. The baseline shows the first
   * and leaves the second alone.
   */
  @Test
  void columnsAloneShowTheLeanOfAFinitePanel() {
    Table panel = visits(200, 3);
    int n = panel.rowCount();
    int[] perm = java.util.stream.IntStream.range(0, n).toArray();
    RandomSource.of(5).shuffle(perm);
    int h = n / 5;
    Table holdout = Tables.select(panel, java.util.Arrays.copyOfRange(perm, 0, h));
    Table train = Tables.select(panel, java.util.Arrays.copyOfRange(perm, h, n));
    EvaluationReport r = Evaluation.builder().real(train).synthetic(panel).holdout(holdout)
        .detection(false).seed(3).build().run();
    assertThat(r.privacy().dcrShareMarginals()).isGreaterThan(0.54);
    assertThat(r.privacy().dcrShare()).isCloseTo(0.5, within(0.03));
    assertThat(r.headline().get("dcr_share_excess")).isLessThan(-0.04);
  }

  /**
   * Columns drawn alone within the target's class keep the label's relation to every column
   * (here a number the label decides), which columns drawn alone break.
   */
  @Test
  void columnsAloneWithinTheTargetsClassKeepTheLabelsRelation() {
    int n = 1000;
    RandomSource r = RandomSource.of(8);
    double[] num = new double[2 * n];
    int[] cat = new int[n];
    for (int i = 0; i < n; i++) {
      cat[i] = r.nextDouble() < 0.3 ? 1 : 0;
      num[2 * i] = cat[i] == 0 ? 0.1 * r.nextDouble() : 0.9 + 0.1 * r.nextDouble();
    }
    DistanceSpace.Points train = new DistanceSpace.Points(n, 2, 1, num, cat);
    DistanceSpace.Points given = Privacy.marginalDrawsGiven(train, 5000, 0, RandomSource.of(1));
    int ones = 0;
    for (int i = 0; i < given.size(); i++) {
      double x = given.num()[2 * i];
      assertThat(given.cat()[i] == 0 ? x < 0.1 : x >= 0.9).as("row " + i).isTrue();
      ones += given.cat()[i];
    }
    assertThat(ones / 5000.0).isCloseTo(0.3, within(0.03));
    DistanceSpace.Points alone = Privacy.marginalDraws(train, 5000, RandomSource.of(1));
    int broken = 0;
    for (int i = 0; i < alone.size(); i++) {
      broken += (alone.cat()[i] == 0) != (alone.num()[2 * i] < 0.1) ? 1 : 0;
    }
    assertThat(broken).isGreaterThan(1000);
  }

  /** The evaluation reports the baseline only for a categorical target. */
  @Test
  void theBaselineWithinTheTargetsClassNeedsACategoricalTarget() {
    Table train = random(1500, 31, 4);
    Table holdout = random(500, 32, 4);
    Table synth = random(1500, 33, 4);
    EvaluationReport with = Evaluation.builder().real(train).synthetic(synth).holdout(holdout)
        .target("d").utility(false).detection(false).seed(3).build().run();
    assertThat(with.headline().get("dcr_share_marginals_given_target"))
        .isCloseTo(0.5, within(0.05));
    EvaluationReport numeric = Evaluation.builder().real(train).synthetic(synth)
        .holdout(holdout).target("b").utility(false).detection(false).seed(3).build().run();
    assertThat(numeric.headline()).doesNotContainKey("dcr_share_marginals_given_target");
    assertThat(numeric.privacy().dcrShareMarginalsGivenTarget()).isNaN();
    EvaluationReport none = Evaluation.builder().real(train).synthetic(synth).holdout(holdout)
        .detection(false).seed(3).build().run();
    assertThat(none.headline()).doesNotContainKey("dcr_share_marginals_given_target");
    // the other figures do not move with the target
    assertThat(with.privacy().dcrShare()).isEqualTo(none.privacy().dcrShare());
    assertThat(with.privacy().dcrShareMarginals()).isEqualTo(none.privacy().dcrShareMarginals());
  }

  /** {@code patients} x {@code visits} rows of one column, the patient. */
  private static Table visits(int patients, int visits) {
    int n = patients * visits;
    int[] p = new int[n];
    List<String> levels = new ArrayList<>();
    for (int i = 0; i < patients; i++) {
      levels.add("P" + i);
    }
    for (int i = 0; i < n; i++) {
      p[i] = i / visits;
    }
    return Table.of(Schema.of(List.of(Column.of("patient", new ColumnType.Categorical()))),
        List.of(ColumnData.Codes.adopt(p, levels)));
  }

  /** Half the synthetic rows are copies of training rows: the attack and the gate see it. */
  @Test
  void plantedCopiesAreCaught() {
    Table train = random(2000, 21, 12);
    Table holdout = random(1000, 22, 12);
    Table fresh = random(2000, 23, 12);
    int[] all = new int[train.rowCount()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    // 4,000 synthetic rows: every training row once (half) and 2,000 fresh rows
    Table synth = Tables.concat(List.of(Tables.select(train, all), fresh));
    EvaluationReport r = Evaluation.builder().real(train).synthetic(synth).holdout(holdout)
        .detection(false).seed(3).build().run();
    assertThat(r.privacy().exactMatchTrain()).isCloseTo(0.5, within(0.01));
    assertThat(r.privacy().membershipAuc()).isGreaterThan(0.9);
    // the DCR share compares with a training subset the holdout's size (half of train), so only
    // half the copies find their original there: 0.5 * (0.5 * 1 + 0.5 * 0.5) + 0.5 * 0.5
    assertThat(r.privacy().dcrShare()).isCloseTo(0.625, within(0.05));
    // rows drawn column by column from independent tables know nothing of the training rows
    assertThat(r.privacy().dcrShareMarginals()).isCloseTo(0.5, within(0.03));
    assertThat(r.headline().get("dcr_share_excess")).isGreaterThan(0.09);

    ReleaseGate gate = ReleaseGate.of(train, holdout, 5);
    Table kept = gate.filter(synth);
    assertThat(gate.droppedExactMatches()).isGreaterThanOrEqualTo(2000);
    assertThat(gate.droppedRows()).isEqualTo(synth.rowCount() - kept.rowCount());
    assertThat(gate.checkedRows()).isEqualTo(4000);
    // what is left holds no copy; fresh rows mostly survive (the threshold is the holdout's
    // 5th percentile, so about 5% of genuinely new rows are dropped too)
    EvaluationReport after = Evaluation.builder().real(train).synthetic(kept).holdout(holdout)
        .detection(false).seed(3).build().run();
    assertThat(after.privacy().exactMatchTrain()).isZero();
    assertThat(kept.rowCount()).isBetween(1700, 2000);
    assertThat(after.privacy().membershipAuc()).isBetween(0.4, 0.6);
  }

  @Test
  void gateWithoutHoldoutSplitsTheReferenceAndIsThreadSafe() throws Exception {
    Table train = random(3000, 31, 6);
    ReleaseGate gate = ReleaseGate.of(train, null, 7);
    assertThat(gate.threshold()).isGreaterThan(0);
    assertThat(gate.thresholdSource()).contains("20%");
    Table copies = Tables.select(train, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    ExecutorService ex = Executors.newFixedThreadPool(4);
    try {
      List<Future<Table>> fs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        fs.add(ex.submit(() -> gate.filter(copies)));
      }
      for (Future<Table> f : fs) {
        assertThat(f.get().rowCount()).isZero();
      }
    } finally {
      ex.shutdown();
    }
    assertThat(gate.checkedRows()).isEqualTo(80);
    assertThat(gate.droppedExactMatches()).isEqualTo(80);
    ReleaseGate fixed = ReleaseGate.of(train, null, 7, 0.0);
    assertThat(fixed.filter(random(500, 99, 6)).rowCount()).isEqualTo(500);
  }

  @Test
  void copiesOfValuesThatEnoughTrainingRowsShareGetThrough() {
    // 2,000 unique rows, then row 0 six more times (7 in all) and row 1 three more (4 in all)
    Table unique = random(2000, 41, 6);
    int[] rows = new int[2009];
    for (int i = 0; i < 2000; i++) {
      rows[i] = i;
    }
    java.util.Arrays.fill(rows, 2000, 2006, 0);
    java.util.Arrays.fill(rows, 2006, 2009, 1);
    Table train = Tables.select(unique, rows);
    // synthetic: 10 copies of the 7-fold row, 10 of the 4-fold one, 10 of unique rows
    int[] pick = new int[30];
    for (int i = 0; i < 10; i++) {
      pick[i] = 0;
      pick[10 + i] = 1;
      pick[20 + i] = 2 + i;
    }
    Table synth = Tables.select(unique, pick);
    ReleaseGate gate = ReleaseGate.of(train, null, 7, 0.0);
    assertThat(gate.shared()).isEqualTo(ReleaseGate.DEFAULT_SHARED);
    Table kept = gate.filter(synth);
    assertThat(kept.rowCount()).isEqualTo(10);
    assertThat(gate.passedSharedCopies()).isEqualTo(10);
    assertThat(gate.droppedExactMatches()).isEqualTo(20);
    assertThat(Tables.select(kept, new int[] {9}).column(1).toString())
        .isEqualTo(Tables.select(unique, new int[] {0}).column(1).toString());
    // a lower bar lets the 4-fold row through too; 0 drops every copy
    assertThat(ReleaseGate.of(train, null, 7, 0.0, 3).filter(synth).rowCount()).isEqualTo(20);
    ReleaseGate strict = ReleaseGate.of(train, null, 7, 0.0, 0);
    assertThat(strict.filter(synth).rowCount()).isZero();
    assertThat(strict.passedSharedCopies()).isZero();
    assertThat(ReleaseGate.multiplicity(DistanceSpace.of(Aligned.of(List.of("t"), List.of(train),
        Map.of(), new ArrayList<>()), 0).embed(Aligned.of(List.of("t"), List.of(train), Map.of(),
        new ArrayList<>()), 0))).containsOnly(1, 4, 7);
  }

  @Test
  void aucOfTheDistanceAttack() {
    // members closer than every non-member: AUC 1; identical: 0.5
    assertThat(Privacy.aucLowerIsPositive(new double[] {0, 0.1}, new double[] {0.5, 0.7}))
        .isEqualTo(1.0);
    assertThat(Privacy.aucLowerIsPositive(new double[] {0.3, 0.3}, new double[] {0.3}))
        .isEqualTo(0.5);
  }
}
