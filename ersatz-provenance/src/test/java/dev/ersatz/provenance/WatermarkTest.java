package dev.ersatz.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatermarkTest {

  /**
   * A seeded table shaped like real data: a fine integer (a weight), a fine decimal (an amount
   * with cents), an age-like integer, a 12-level categorical correlated with age, a flag.
   */
  static Table table(int rows, long seed) {
    RandomSource rng = RandomSource.of(seed);
    double[] weight = new double[rows];
    double[] amount = new double[rows];
    double[] age = new double[rows];
    int[] job = new int[rows];
    int[] flag = new int[rows];
    for (int i = 0; i < rows; i++) {
      weight[i] = Math.round(20_000 + 300_000 * rng.nextDouble());
      amount[i] = Math.round(100_000 + 900_000 * rng.nextDouble()) / 100.0;
      age[i] = 18 + Math.min(72, Math.floor(Math.abs(rng.nextGaussian()) * 25));
      job[i] = (int) Math.min(11, (age[i] - 18) / 6 + rng.nextInt(3));
      flag[i] = rng.nextInt(2);
      if (i % 50 == 0) {
        amount[i] = Double.NaN;
      }
    }
    List<String> jobs = new ArrayList<>();
    for (int l = 0; l < 12; l++) {
      jobs.add("job-" + l);
    }
    Schema s = Schema.of(List.of(Column.of("weight", ColumnType.Numeric.ofInteger()),
        Column.of("amount", ColumnType.Numeric.ofDecimal(2, true)),
        Column.of("age", ColumnType.Numeric.ofInteger()),
        Column.of("job", new ColumnType.Categorical()),
        Column.of("flag", new ColumnType.Bool("Y", "N"))));
    return Table.of(s, List.of(ColumnData.Numbers.adopt(weight), ColumnData.Numbers.adopt(amount),
        ColumnData.Numbers.adopt(age), ColumnData.Codes.adopt(job, jobs),
        ColumnData.Codes.adopt(flag, List.of("Y", "N"))));
  }

  @Test
  void embeddingKeepsShapeAndMarginalsAndMovesFineValuesByAFewUnits() {
    Table t = table(5000, 1);
    WatermarkKey key = WatermarkBench.key(1);
    Table wm = Watermark.embed(t, key);
    assertThat(wm.schema()).isEqualTo(t.schema());
    assertThat(wm.rowCount()).isEqualTo(t.rowCount());
    double[] w0 = ((ColumnData.Numbers) t.column("weight")).toArray();
    double[] w1 = ((ColumnData.Numbers) wm.column("weight")).toArray();
    double[] a0 = ((ColumnData.Numbers) t.column("amount")).toArray();
    double[] a1 = ((ColumnData.Numbers) wm.column("amount")).toArray();
    int moved = 0;
    for (int i = 0; i < w0.length; i++) {
      assertThat(Math.abs(w1[i] - w0[i])).isLessThanOrEqualTo(8);
      moved += w1[i] != w0[i] ? 1 : 0;
      assertThat(Double.isNaN(a1[i])).isEqualTo(Double.isNaN(a0[i]));
      if (!Double.isNaN(a0[i])) {
        assertThat(Math.abs(a1[i] - a0[i])).isLessThanOrEqualTo(0.08 + 1e-9);
        assertThat(Math.rint(a1[i] * 100)).isEqualTo(a1[i] * 100, org.assertj.core.api
            .Assertions.within(1e-6));
      }
    }
    assertThat(moved).isGreaterThan(1000);
    // swaps exchange values between rows: every coarse column keeps its exact counts
    double[] g0 = ((ColumnData.Numbers) t.column("age")).toArray();
    double[] g1 = ((ColumnData.Numbers) wm.column("age")).toArray();
    assertThat(Arrays.equals(g0, g1)).isFalse();
    Arrays.sort(g0);
    Arrays.sort(g1);
    assertThat(g1).containsExactly(g0);
    for (String c : List.of("job", "flag")) {
      int[] c0 = ((ColumnData.Codes) t.column(c)).toArray();
      int[] c1 = ((ColumnData.Codes) wm.column(c)).toArray();
      Arrays.sort(c0);
      Arrays.sort(c1);
      assertThat(c1).as(c).containsExactly(c0);
    }
    // deterministic, and the input is left alone
    assertThat(Watermark.embed(t, key).columns()).isEqualTo(wm.columns());
    assertThat(t.columns()).isEqualTo(table(5000, 1).columns());
  }

  @Test
  void categoricalOnlyTablesKeepTheirCountsAndEmptyTablesGiveNoEvidence() {
    Table t = table(2000, 9);
    Table cats = TestCsv.selectColumns(t, new int[] {3, 4});
    WatermarkKey key = WatermarkBench.key(9);
    Table wm = Watermark.embed(cats, key);
    for (int j = 0; j < 2; j++) {
      int[] c0 = ((ColumnData.Codes) cats.column(j)).toArray();
      int[] c1 = ((ColumnData.Codes) wm.column(j)).toArray();
      Arrays.sort(c0);
      Arrays.sort(c1);
      assertThat(c1).containsExactly(c0);
    }
    Table empty = dev.ersatz.core.table.Tables.select(t, new int[0]);
    assertThat(Watermark.embed(empty, key).rowCount()).isZero();
    Watermark.Detection d = Watermark.detect(empty, key);
    assertThat(d.units()).isZero();
    assertThat(d.pValue()).isEqualTo(1.0);
    assertThat(d.z()).isZero();
  }

  /**
   * Swaps happen only between rows that agree on the columns strongly associated with the
   * swapped one, so a column that determines another (education and its number) stays
   * consistent in every row, while rare values do move.
   */
  @Test
  void swapsKeepFunctionalDependencies() {
    RandomSource rng = RandomSource.of(11);
    int rows = 6000;
    int[] edu = new int[rows];
    double[] eduNum = new double[rows];
    int[] city = new int[rows];
    double[] age = new double[rows];
    List<String> levels = new ArrayList<>();
    for (int l = 0; l < 16; l++) {
      levels.add("edu-" + l);
    }
    List<String> cities = new ArrayList<>();
    for (int l = 0; l < 30; l++) {
      cities.add("city-" + l);
    }
    for (int i = 0; i < rows; i++) {
      // skewed: the last levels are rare (well under 2% of rows)
      edu[i] = (int) Math.min(15, Math.floor(Math.abs(rng.nextGaussian()) * 4));
      eduNum[i] = edu[i] + 1;
      city[i] = (int) Math.min(29, Math.floor(Math.abs(rng.nextGaussian()) * 8));
      age[i] = 18 + rng.nextInt(60);
    }
    Schema s = Schema.of(List.of(Column.of("education", new ColumnType.Categorical()),
        Column.of("education_num", ColumnType.Numeric.ofInteger()),
        Column.of("city", new ColumnType.Categorical()),
        Column.of("age", ColumnType.Numeric.ofInteger())));
    Table t = Table.of(s, List.of(ColumnData.Codes.adopt(edu, levels),
        ColumnData.Numbers.adopt(eduNum), ColumnData.Codes.adopt(city, cities),
        ColumnData.Numbers.adopt(age)));
    Table wm = Watermark.embed(t, WatermarkBench.key(11));
    ColumnData.Codes e1 = (ColumnData.Codes) wm.column("education");
    ColumnData.Numbers n1 = (ColumnData.Numbers) wm.column("education_num");
    ColumnData.Codes c1 = (ColumnData.Codes) wm.column("city");
    int cityMoved = 0;
    for (int i = 0; i < rows; i++) {
      assertThat(n1.get(i)).isEqualTo(e1.code(i) + 1);
      cityMoved += c1.code(i) != city[i] ? 1 : 0;
    }
    assertThat(cityMoved).isGreaterThan(0);
  }

  @Test
  void detectsOnlyWithTheRightKey() {
    Table t = table(5000, 2);
    WatermarkKey key = WatermarkBench.key(2);
    Table wm = Watermark.embed(t, key);
    assertThat(Watermark.detect(wm, key).pValue()).isLessThan(1e-100);
    assertThat(Watermark.detect(t, key).detected()).isFalse();
    assertThat(Watermark.detect(wm, WatermarkBench.key(3)).detected()).isFalse();
  }

  @Test
  void survivesShuffleSubsampleColumnDropAndCsv() throws IOException {
    Table wm = Watermark.embed(table(5000, 3), WatermarkBench.key(4));
    RandomSource rng = RandomSource.of(5);
    Table sub = TestCsv.sampleRows(wm, 1000, rng);
    // keep half the columns: the fine decimal, the carrier and the flag
    Table attacked = TestCsv.roundTrip(TestCsv.selectColumns(sub, new int[] {1, 2, 4}));
    assertThat(Watermark.detect(attacked, WatermarkBench.key(4)).pValue()).isLessThan(1e-20);
    // the carrier with an informative partner alone still carries the mark
    Table carrierOnly = TestCsv.roundTrip(TestCsv.selectColumns(sub, new int[] {2, 3}));
    Watermark.Detection d = Watermark.detect(carrierOnly, WatermarkBench.key(4));
    assertThat(d.z()).isGreaterThan(3);
  }

  /**
   * Null calibration: on an un-watermarked table, p-values over 400 keys are uniform, so the
   * share at or below 0.05 is Binomial(400, 0.05). The bounds [6, 36] fail with probability
   * below 1e-6 (scipy: binom.cdf(5, 400, .05) + binom.sf(36, 400, .05) = 3.6e-7).
   */
  @Test
  void pValuesAreCalibratedWithoutTheWatermark() {
    Table t = table(1000, 6);
    int low = 0;
    double min = 1;
    for (int k = 0; k < 400; k++) {
      double p = Watermark.detect(t, WatermarkBench.key(10_000 + k)).pValue();
      low += p <= 0.05 ? 1 : 0;
      min = Math.min(min, p);
    }
    assertThat(low).isBetween(6, 36);
    assertThat(min).isGreaterThan(1e-6);
  }

  @Test
  void realDataIsNeverFlagged() throws IOException {
    Path data = TestCsv.sharedData();
    assumeTrue(data != null, "shared data folder absent (../shared/data): skipping");
    for (String name : List.of("census", "creditcard_default")) {
      Table real = TestCsv.read(data.resolve("splits/" + name + "_train.csv.gz"));
      for (int k = 0; k < 5; k++) {
        Watermark.Detection d = Watermark.detect(real, WatermarkBench.key(20_000 + k));
        assertThat(d.detected()).as("%s key %d p=%s", name, k, d.pValue()).isFalse();
        assertThat(d.units()).isGreaterThan(10_000);
      }
      Table holdout = TestCsv.read(data.resolve("splits/" + name + "_holdout.csv.gz"));
      Table wm = Watermark.embed(TestCsv.sampleRows(holdout, 3000, RandomSource.of(1)),
          WatermarkBench.key(7));
      assertThat(Watermark.detect(TestCsv.roundTrip(TestCsv.sampleRows(wm, 1000,
          RandomSource.of(2))), WatermarkBench.key(7)).pValue()).isLessThan(1e-20);
    }
  }
}
