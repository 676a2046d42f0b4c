package dev.ersatz.privacy.mst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.sampling.BatchSampler;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.Condition;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.Progress;
import dev.ersatz.core.spi.SupportsConditionalSampling;
import dev.ersatz.core.spi.SynthesizerProvider;
import dev.ersatz.core.spi.Synthesizers;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Contract checks of the dp generator: schema kept, exact row count, same seed same rows,
 * nulls kept, no invented categories, model round trip, DP provenance, conditional sampling.
 * The statistical checks use fixed seeds; their tolerances are far (over 10 noise standard
 * deviations) from the expected values, so a false failure is practically impossible.
 */
class DpGeneratorContractTest {
  static final int N = 4000;

  static Table fixture() {
    RandomSource r = RandomSource.of(5);
    double[] age = new double[N];
    double[] income = new double[N];
    int[] cat = new int[N];
    int[] flag = new int[N];
    String[] id = new String[N];
    String[] text = new String[N];
    for (int i = 0; i < N; i++) {
      age[i] = r.nextDouble() < 0.1 ? Double.NaN : 18 + r.nextInt(60);
      income[i] = Math.rint((1000 + 50 * (Double.isNaN(age[i]) ? 40 : age[i])
          + 300 * r.nextGaussian()) * 100) / 100;
      cat[i] = r.nextDouble() < 0.08 ? -1 : r.nextInt(3);
      flag[i] = cat[i] == 2 ? 1 : r.nextInt(2);
      id[i] = Integer.toString(i);
      text[i] = "note " + i;
    }
    cat[17] = 3; // a value held by one row: must never be released
    Schema s = Schema.of(List.of(
        Column.of("id", new ColumnType.Identifier("sequence", 1)),
        Column.of("age", ColumnType.Numeric.ofInteger()),
        Column.of("income", ColumnType.Numeric.ofDecimal(2, false)),
        Column.of("colour", new ColumnType.Categorical()),
        Column.of("flag", new ColumnType.Bool("Y", "N")),
        Column.of("note", new ColumnType.Text())));
    return Table.of(s, List.of(ColumnData.Strings.adopt(id), ColumnData.Numbers.adopt(age),
        ColumnData.Numbers.adopt(income),
        ColumnData.Codes.adopt(cat, List.of("red", "green", "blue", "only-once")),
        ColumnData.Codes.adopt(flag, List.of("N", "Y")), ColumnData.Strings.adopt(text)));
  }

  static FittedModel fit(Map<String, String> options) {
    return Synthesizers.get("dp").create(options).fit(fixture(), FitContext.of(42));
  }

  static Table sample(FittedModel m, long rows, long seed) {
    List<Table> parts = new ArrayList<>();
    BatchSampler.run(m::sampleBatch, rows, seed, 2, t -> t, parts::add, Progress.NONE);
    return Tables.concat(parts);
  }

  @Test
  void keepsSchemaRowCountNullsAndInventsNothing() {
    FittedModel m = fit(Map.of("epsilon", "2"));
    Table t = sample(m, 10_001, 1);
    assertThat(t.schema()).isEqualTo(fixture().schema());
    assertThat(t.rowCount()).isEqualTo(10_001);
    assertThat(t.missingRate(1)).isBetween(0.05, 0.15); // age: 10% missing in the real table
    assertThat(t.missingRate(3)).isBetween(0.04, 0.12); // colour: 8%
    assertThat(t.missingRate(2)).isLessThan(0.01); // income has none
    Set<String> colours = new HashSet<>();
    ColumnData.Codes c = (ColumnData.Codes) t.column(3);
    for (int r = 0; r < t.rowCount(); r++) {
      if (!c.isMissing(r)) {
        colours.add(c.get(r));
      }
    }
    assertThat(colours).isSubsetOf("red", "green", "blue").doesNotContain("only-once");
    ColumnData.Codes f = (ColumnData.Codes) t.column(4);
    for (int r = 0; r < t.rowCount(); r++) {
      assertThat(f.get(r)).isIn("Y", "N", null);
    }
    ColumnData.Strings ids = (ColumnData.Strings) t.column(0);
    assertThat(ids.get(0)).isEqualTo("1");
    assertThat(ids.get(10_000)).isEqualTo("10001");
    assertThat(t.missingRate(5)).isEqualTo(1.0); // free text is not learned
    ColumnData.Numbers age = (ColumnData.Numbers) t.column(1);
    for (int r = 0; r < t.rowCount(); r++) {
      double v = age.get(r);
      assertThat(Double.isNaN(v) || v == Math.rint(v)).isTrue();
    }
  }

  @Test
  void sameSeedSameRowsAndModelFileRoundTrips() {
    FittedModel a = fit(Map.of("epsilon", "1", "reproducibleNoise", "true"));
    FittedModel b = fit(Map.of("epsilon", "1", "reproducibleNoise", "true"));
    assertThat(Json.write(a.parameters())).isEqualTo(Json.write(b.parameters()));
    assertThat(a.provenance().privacy()).containsEntry("dp", false);
    assertThat(sample(a, 9000, 3).columns()).isEqualTo(sample(b, 9000, 3).columns());
    assertThat(sample(a, 9000, 3).columns()).isNotEqualTo(sample(a, 9000, 4).columns());
    SynthesizerProvider p = Synthesizers.get("dp");
    FittedModel back = p.load(a.schema(), Json.parseObject(Json.write(a.parameters())),
        a.provenance());
    assertThat(Json.write(back.parameters())).isEqualTo(Json.write(a.parameters()));
    assertThat(sample(back, 9000, 3).columns()).isEqualTo(sample(a, 9000, 3).columns());
  }

  @Test
  void noiseIsFreshUnlessReproducibilityIsAskedFor() {
    FittedModel a = fit(Map.of("epsilon", "1"));
    FittedModel b = fit(Map.of("epsilon", "1"));
    // same data, same seed: different noise, so the recorded seed reveals nothing
    assertThat(Json.write(a.parameters())).isNotEqualTo(Json.write(b.parameters()));
    // sampling a given model is still a pure function of the sampling seed
    assertThat(sample(a, 5000, 8).columns()).isEqualTo(sample(a, 5000, 8).columns());
  }

  @Test
  void provenanceSaysDpWithItsAccounting() {
    FittedModel m = fit(Map.of("epsilon", "0.5", "delta", "1e-8"));
    Map<String, Object> pv = m.provenance().privacy();
    assertThat(pv).containsEntry("dp", true).containsEntry("accounting", "zCDP")
        .containsEntry("epsilon", 0.5).containsEntry("delta", 1e-8);
    assertThat((Double) pv.get("rhoSpent")).isLessThanOrEqualTo((Double) pv.get("rho") * 1.000001);
    assertThat((String) pv.get("mechanism")).contains("gaussian");
    assertThat(m.provenance().parameters()).containsEntry("epsilon", "0.5");
    assertThat(m.parameters()).containsKey("privacy");
  }

  @Test
  void conditionsOnOneCategoricalColumn() {
    FittedModel m = fit(Map.of("epsilon", "2"));
    SupportsConditionalSampling c = (SupportsConditionalSampling) m;
    Condition blue = new Condition(List.of(new Condition.Clause("colour", "blue")));
    c.validate(blue);
    Table t = c.sampleBatch(blue, 3000, 0, RandomSource.of(9));
    ColumnData.Codes col = (ColumnData.Codes) t.column(3);
    ColumnData.Codes flag = (ColumnData.Codes) t.column(4);
    int y = 0;
    for (int r = 0; r < t.rowCount(); r++) {
      assertThat(col.get(r)).isEqualTo("blue");
      y += "Y".equals(flag.get(r)) ? 1 : 0;
    }
    // blue always has flag Y in the real data; the learned tree links them if it found it
    assertThat(t.rowCount()).isEqualTo(3000);
    assertThatThrownBy(() -> c.validate(new Condition(List.of(
        new Condition.Clause("colour", "only-once")))))
        .isInstanceOf(UserInputException.class).hasMessageContaining("not among");
    assertThatThrownBy(() -> c.validate(new Condition(List.of(
        new Condition.Clause("age", "3"))))).isInstanceOf(UserInputException.class);
    assertThat(y).isGreaterThan(0);
  }

  @Test
  void declaredDomainsAreRespected() {
    FittedModel m = fit(Map.of("epsilon", "1", "categories.colour", "red|green",
        "bounds.age", "18:77"));
    Table t = sample(m, 5000, 2);
    ColumnData.Codes c = (ColumnData.Codes) t.column(3);
    ColumnData.Numbers age = (ColumnData.Numbers) t.column(1);
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int r = 0; r < t.rowCount(); r++) {
      assertThat(c.get(r)).isIn("red", "green", null);
      if (!age.isMissing(r)) {
        min = Math.min(min, age.get(r));
        max = Math.max(max, age.get(r));
      }
    }
    assertThat(min).isGreaterThanOrEqualTo(18);
    assertThat(max).isLessThanOrEqualTo(77);
  }

  @Test
  void aSmallTableSpreadThinOverTheGridIsSampledAroundItsData() {
    // 700 rows whose numbers spread over several octaves and whose dates spread over five
    // years: no bucket of the noisy 1-way histograms stands out at epsilon 1. The range then
    // comes from a DP median, not from the largest noisy bucket anywhere on the grid (which
    // put amounts at -2.6e10 and dates in 1919).
    int n = 700;
    RandomSource r = RandomSource.of(11);
    double[] amount = new double[n];
    double[] payment = new double[n];
    double[] day = new double[n];
    for (int i = 0; i < n; i++) {
      amount[i] = Math.rint(5000 * Math.pow(2, 7 * r.nextDouble()));
      payment[i] = Math.rint(300 + 9600 * r.nextDouble());
      day[i] = 86400.0 * (8582 + r.nextInt(5 * 365)); // 1993-07-01 onwards
    }
    Table t = Table.of(Schema.of(List.of(
        Column.of("amount", ColumnType.Numeric.ofInteger()),
        Column.of("payment", ColumnType.Numeric.ofInteger()),
        Column.of("day", new ColumnType.Datetime("yyyy-MM-dd", true)))),
        List.of(ColumnData.Numbers.adopt(amount), ColumnData.Numbers.adopt(payment),
            ColumnData.Numbers.adopt(day)));
    for (long seed = 1; seed <= 6; seed++) {
      FittedModel m = Synthesizers.get("dp").create(Map.of("epsilon", "1",
          "reproducibleNoise", "true")).fit(t, FitContext.of(seed));
      Table s = sample(m, 2000, 1);
      double[][] range = {{5000 / 8.0, 640000 * 8.0}, {300 / 8.0, 9900 * 8.0},
          {86400.0 * 6000, 86400.0 * 12000}};
      for (int col = 0; col < 3; col++) {
        ColumnData.Numbers v = (ColumnData.Numbers) s.column(col);
        for (int i = 0; i < s.rowCount(); i++) {
          if (!v.isMissing(i)) {
            assertThat(v.get(i)).as("seed %d column %d", seed, col)
                .isBetween(range[col][0], range[col][1]);
          }
        }
      }
      assertThat((Double) m.provenance().privacy().get("rhoSpent"))
          .isLessThanOrEqualTo((Double) m.provenance().privacy().get("rho") * 1.000001);
    }
    // a column missing in all but two rows has nothing credible to emit: missing only
    double[] sparse = new double[n];
    java.util.Arrays.fill(sparse, Double.NaN);
    sparse[0] = 17;
    sparse[1] = 4000;
    Table t2 = Table.of(Schema.of(List.of(Column.of("amount", ColumnType.Numeric.ofInteger()),
        Column.of("sparse", ColumnType.Numeric.ofInteger()))),
        List.of(ColumnData.Numbers.adopt(amount), ColumnData.Numbers.adopt(sparse)));
    for (long seed = 1; seed <= 4; seed++) {
      FittedModel m = Synthesizers.get("dp").create(Map.of("epsilon", "1",
          "reproducibleNoise", "true")).fit(t2, FitContext.of(seed));
      ColumnData.Numbers v = (ColumnData.Numbers) sample(m, 2000, 1).column(1);
      for (int i = 0; i < v.size(); i++) {
        assertThat(v.isMissing(i)).as("seed %d row %d", seed, i).isTrue();
      }
    }
  }

  /**
   * A time of day is counted in five-minute buckets over the day. Office hours on a large table
   * come back as office hours; a small table's times spread over the whole day (no bucket
   * stands out, so the range comes from the median) span hours, not the 64-bucket window that
   * suits the other grids (which gave 09:45 to 15:10 for times spread over the whole day).
   */
  @Test
  void aTimeOfDayStaysInItsDayAndItsHours() {
    RandomSource r = RandomSource.of(17);
    double[] office = new double[20_000];
    for (int i = 0; i < office.length; i++) {
      office[i] = 8 * 3600 + 60 * r.nextInt(600);
    }
    double[] anytime = new double[700];
    for (int i = 0; i < anytime.length; i++) {
      anytime[i] = 60 * r.nextInt(1440);
    }
    ColumnType time = new ColumnType.Datetime("HH:mm", false);
    for (long seed = 1; seed <= 6; seed++) {
      Table big = Table.of(Schema.of(List.of(Column.of("at", time))),
          List.of(ColumnData.Numbers.adopt(office)));
      FittedModel m = Synthesizers.get("dp").create(Map.of("epsilon", "1",
          "reproducibleNoise", "true")).fit(big, FitContext.of(seed));
      ColumnData.Numbers v = (ColumnData.Numbers) sample(m, 5000, 1).column(0);
      for (int i = 0; i < v.size(); i++) {
        assertThat(v.get(i)).as("seed %d", seed).isBetween(7.5 * 3600, 18.5 * 3600);
      }
      Table small = Table.of(Schema.of(List.of(Column.of("at", time))),
          List.of(ColumnData.Numbers.adopt(anytime)));
      m = Synthesizers.get("dp").create(Map.of("epsilon", "1", "reproducibleNoise", "true"))
          .fit(small, FitContext.of(seed));
      v = (ColumnData.Numbers) sample(m, 5000, 1).column(0);
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < v.size(); i++) {
        assertThat(v.get(i)).as("seed %d", seed).isBetween(0.0, 86400.0);
        lo = Math.min(lo, v.get(i));
        hi = Math.max(hi, v.get(i));
      }
      assertThat(hi - lo).as("seed %d: span of the sampled times", seed).isGreaterThan(8 * 3600.0);
    }
  }

  @Test
  void aBodyInOneCoarseBucketIsMeasuredOnAFinerGrid() {
    // Years of sale 2006-2010 and longitudes of -93.69 to -93.58 each fall in one 4.4%-wide
    // bucket of the log grid ([1962, 2048) and [-94.5, -90.5)), which used to be sampled
    // uniformly across it: years from 1962 to 2047. The second half of the budget now measures
    // those buckets split in 64, chosen from the first half's noisy counts. Twelve fits: a thin
    // half of the finer body kept at 2 deviations put pure noise in 1 fit of 4 (years from 1972,
    // longitudes to -94.33); within the finer body it is now kept at 4.
    int n = 3000;
    RandomSource r = RandomSource.of(5);
    double[] year = new double[n];
    double[] lon = new double[n];
    for (int i = 0; i < n; i++) {
      year[i] = 2006 + r.nextInt(5);
      lon[i] = Math.rint((-93.69 + 0.11 * r.nextDouble()) * 1e4) / 1e4;
    }
    Table t = Table.of(Schema.of(List.of(
        Column.of("year", ColumnType.Numeric.ofInteger()),
        Column.of("lon", ColumnType.Numeric.ofDecimal(4, false)))),
        List.of(ColumnData.Numbers.adopt(year), ColumnData.Numbers.adopt(lon)));
    for (long seed = 1; seed <= 12; seed++) {
      FittedModel m = Synthesizers.get("dp").create(Map.of("epsilon", "1",
          "reproducibleNoise", "true")).fit(t, FitContext.of(seed));
      Table s = sample(m, 3000, 1);
      double[] lo = {2006, -93.72};
      double[] hi = {2014, -93.55};
      for (int col = 0; col < 2; col++) {
        ColumnData.Numbers v = (ColumnData.Numbers) s.column(col);
        for (int i = 0; i < s.rowCount(); i++) {
          assertThat(v.get(i)).as("seed %d column %d", seed, col).isBetween(lo[col], hi[col]);
        }
      }
      // the same budget as before: two halves of the column's share
      assertThat((Double) m.provenance().privacy().get("rhoSpent"))
          .isLessThanOrEqualTo((Double) m.provenance().privacy().get("rho") * 1.000001);
    }
  }

  /**
   * A wide table: {@code col} holding {@code values}, then {@code others} integer columns of
   * 0-2 drawn from {@code r}, which share the budget (so each column's noise is large).
   */
  private static Table amongOtherColumns(Column col, double[] values, int others,
      RandomSource r) {
    List<Column> cols = new ArrayList<>(List.of(col));
    List<ColumnData> data = new ArrayList<>(List.of(ColumnData.Numbers.adopt(values)));
    for (int k = 0; k < others; k++) {
      double[] x = new double[values.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextInt(3);
      }
      cols.add(Column.of("c" + k, ColumnType.Numeric.ofInteger()));
      data.add(ColumnData.Numbers.adopt(x));
    }
    return Table.of(Schema.of(cols), data);
  }

  @Test
  void aFinerBodyInAWideTableIsCutToWhereItsValuesAre() {
    // ames' latitudes (41.99-42.06) lie in one bucket of the log grid, [41.50, 43.34), which the
    // second half measures in 64 fine parts; with 100 other columns sharing the budget, no half
    // of 32 fine parts passes the split's test, so the whole body was one bin and latitudes came
    // out anywhere in 41.50-43.34. Blocks inside the body that pass the root test and hold 90% of
    // its count now replace it.
    int n = 2500;
    RandomSource r = RandomSource.of(13);
    double[] lat = new double[n];
    for (int i = 0; i < n; i++) {
      lat[i] = Math.rint((41.99 + 0.07 * r.nextDouble()) * 1e4) / 1e4;
    }
    Table t = amongOtherColumns(Column.of("lat", ColumnType.Numeric.ofDecimal(4, false)), lat,
        100, r);
    for (long seed = 1; seed <= 4; seed++) {
      FittedModel m = Synthesizers.get("dp").create(Map.of("epsilon", "1",
          "reproducibleNoise", "true")).fit(t, FitContext.of(seed));
      ColumnData.Numbers v = (ColumnData.Numbers) sample(m, 2500, 1).column(0);
      for (int i = 0; i < v.size(); i++) {
        assertThat(v.get(i)).as("seed %d", seed).isBetween(41.9, 42.15);
      }
    }
  }

  /**
   * Years spread over a century and a half in a wide table (ames' years built, 1872-2010: two
   * buckets of the log grid, [1879, 1962) and [1962, 2048), whose fine halves are each below
   * the noise): each bucket is a bin of its own and the last one is cut where its mass ends.
   * The whole body was one bin, or its upper bucket ran to its edge, and years came out up to
   * 2047 in every fit.
   */
  @Test
  void yearsSpreadOverDecadesEndNearTheirLastYear() {
    int n = 2900;
    RandomSource r = RandomSource.of(21);
    double[] year = new double[n];
    for (int i = 0; i < n; i++) {
      year[i] = r.nextDouble() < 0.35 ? 1880 + r.nextInt(82) : 1962 + r.nextInt(49);
    }
    Table t = amongOtherColumns(Column.of("built", ColumnType.Numeric.ofInteger()), year, 70, r);
    int near = 0;
    for (long seed = 1; seed <= 8; seed++) {
      FittedModel m = Synthesizers.get("dp").create(Map.of("epsilon", "1",
          "reproducibleNoise", "true")).fit(t, FitContext.of(seed));
      ColumnData.Numbers v = (ColumnData.Numbers) sample(m, 3000, 1).column(0);
      double hi = Double.NEGATIVE_INFINITY;
      double lo = Double.POSITIVE_INFINITY;
      for (int i = 0; i < v.size(); i++) {
        hi = Math.max(hi, v.get(i));
        lo = Math.min(lo, v.get(i));
      }
      assertThat(lo).as("seed %d", seed).isGreaterThanOrEqualTo(1870);
      near += hi <= 2025 && hi >= 1995 ? 1 : 0;
    }
    assertThat(near).isGreaterThanOrEqualTo(4);
  }

  @Test
  void aFewValuedNumberComesOutOnItsValues() {
    // An income coded in bands (chile's: 2,500 to 200,000) and a rate with a handful of levels
    // written as float32 (hmda's unemployment rate: 3.20000004768372): each value fell in a 4.4%
    // bucket of the log grid and was sampled uniformly across it, so no synthetic value was a
    // real one. When the first half shows a few strong buckets apart from one another, the
    // second half releases the values many rows share (above a threshold, as categories are).
    int n = 3000;
    RandomSource r = RandomSource.of(11);
    double[] bands = {2500, 7500, 15000, 35000, 75000, 125000, 200000};
    double[] bandWeight = {0.05, 0.15, 0.25, 0.3, 0.12, 0.07, 0.06};
    double[] rates = {1.79999995231628, 3.09999990463257, 3.20000004768372, 3.90000009536743,
        10.6000003814697};
    double[] income = new double[n];
    double[] rate = new double[n];
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      int b = 0;
      while (u > bandWeight[b] && b < bands.length - 1) {
        u -= bandWeight[b++];
      }
      income[i] = bands[b];
      rate[i] = rates[r.nextInt(rates.length)];
    }
    Table t = Table.of(Schema.of(List.of(
        Column.of("income", ColumnType.Numeric.ofInteger()),
        Column.of("rate", ColumnType.Numeric.ofDecimal(14, false)))),
        List.of(ColumnData.Numbers.adopt(income), ColumnData.Numbers.adopt(rate)));
    double[][] levels = {bands, rates};
    for (long seed = 1; seed <= 4; seed++) {
      FittedModel m = Synthesizers.get("dp").create(Map.of("epsilon", "1",
          "reproducibleNoise", "true")).fit(t, FitContext.of(seed));
      Table s = sample(m, 3000, 1);
      for (int col = 0; col < 2; col++) {
        ColumnData.Numbers v = (ColumnData.Numbers) s.column(col);
        int onLevel = 0;
        for (int i = 0; i < s.rowCount(); i++) {
          for (double level : levels[col]) {
            onLevel += v.get(i) == level ? 1 : 0;
          }
        }
        assertThat(onLevel).as("seed %d column %d", seed, col).isGreaterThan(2700);
      }
      assertThat((Double) m.provenance().privacy().get("rhoSpent"))
          .isLessThanOrEqualTo((Double) m.provenance().privacy().get("rho") * 1.000001);
    }
  }

  @Test
  void aSpikeBesideThinlySpreadValuesIsNotTakenForANarrowBody() {
    // A scale from -1.7 to 1.7 whose mode (-1.2962) holds a fifth of the rows: the first half
    // of the budget may show only the mode's bucket, but that is not the column's body (it holds
    // far less than REFINE_BODY_SHARE of the values), so the second half measures the whole grid
    // again and the spread is found; measured on a finer grid around the mode, chile's
    // statusquo came out between -1.30 and -1.24.
    int n = 4000;
    RandomSource r = RandomSource.of(9);
    double[] scale = new double[n];
    for (int i = 0; i < n; i++) {
      scale[i] = r.nextDouble() < 0.2 ? -1.2962
          : Math.rint((-1.7 + 3.4 * r.nextDouble()) * 1e4) / 1e4;
    }
    Table t = Table.of(
        Schema.of(List.of(Column.of("scale", ColumnType.Numeric.ofDecimal(4, false)))),
        List.of(ColumnData.Numbers.adopt(scale)));
    for (long seed = 1; seed <= 4; seed++) {
      FittedModel m = Synthesizers.get("dp").create(Map.of("epsilon", "1",
          "reproducibleNoise", "true")).fit(t, FitContext.of(seed));
      ColumnData.Numbers c = (ColumnData.Numbers) sample(m, 4000, 1).column(0);
      double lo = Double.MAX_VALUE;
      double hi = -Double.MAX_VALUE;
      for (int i = 0; i < c.size(); i++) {
        lo = Math.min(lo, c.get(i));
        hi = Math.max(hi, c.get(i));
      }
      assertThat(hi - lo).as("seed %d", seed).isGreaterThan(2.5);
    }
  }

  @Test
  void tooFewRowsForTheBudgetGiveEmptyColumnsNotInventedRanges() {
    // 600 rows, 30 numeric columns (breast_cancer's shape): each column's share of epsilon 1
    // is too small to place a median with confidence; such columns come out empty (and say
    // so), never at 1e15
    int n = 600;
    int d = 30;
    RandomSource r = RandomSource.of(3);
    List<Column> cols = new ArrayList<>();
    List<ColumnData> data = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = Math.rint(100 * (1 + j) * (1 + r.nextDouble()) * 1000) / 1000;
      }
      cols.add(Column.of("x" + j, ColumnType.Numeric.ofDecimal(3, false)));
      data.add(ColumnData.Numbers.adopt(v));
    }
    Table t = Table.of(Schema.of(cols), data);
    for (long seed = 1; seed <= 3; seed++) {
      DpModel m = (DpModel) Synthesizers.get("dp").create(Map.of("epsilon", "1",
          "reproducibleNoise", "true")).fit(t, FitContext.of(seed));
      Table s = sample(m, 1000, 1);
      for (int j = 0; j < d; j++) {
        ColumnData.Numbers v = (ColumnData.Numbers) s.column(j);
        for (int i = 0; i < s.rowCount(); i++) {
          if (!v.isMissing(i)) {
            // a value that is emitted lies near the data
            assertThat(v.get(i)).as("seed %d column %d", seed, j).isBetween(0.0, 1e5);
          }
        }
      }
      assertThat(m.emptyColumns()).as("seed %d", seed).isNotEmpty();
      for (String name : m.emptyColumns()) {
        ColumnData.Numbers v = (ColumnData.Numbers) s.column(t.schema().require(name, "test"));
        for (int i = 0; i < s.rowCount(); i++) {
          assertThat(v.isMissing(i)).isTrue();
        }
      }
      assertThat(m.describe()).contains("no values, missing 100.0%");
    }
  }

  @Test
  void describeListsWhatEachColumnEmitsAndWhereItsDomainCameFrom() {
    FittedModel m = fit(Map.of("epsilon", "1", "categories.colour", "red|green",
        "bounds.age", "18:77"));
    List<String> lines = m.describe().lines().toList();
    assertThat(lines).contains("columns (what the model emits):");
    assertThat(line(lines, "age")).containsPattern(
        "^  age\\s+numeric\\s+18 to 77 in \\d+ bins, missing \\d+\\.\\d%\\s+declared$");
    assertThat(line(lines, "income")).containsPattern(
        "numeric\\s+-?\\d+\\.\\d\\d to -?\\d+\\.\\d\\d in \\d+ bins\\s+found under DP$");
    assertThat(line(lines, "colour")).containsPattern(
        "categorical\\s+2 categories, missing \\d+\\.\\d%\\s+declared$");
    assertThat(line(lines, "flag")).containsPattern("2 categories\\s+its type's two values$");
    assertThat(m.describe()).contains("found under DP: no public domain was declared");
    // undeclared: the value held by one row is not among the released categories
    List<String> plain = fit(Map.of("epsilon", "1")).describe().lines().toList();
    assertThat(line(plain, "colour")).containsPattern("categorical\\s+3 categories, missing");
    assertThat(fit(Map.of("epsilon", "1", "categories.colour", "red|green|blue",
        "bounds.age", "18:77", "bounds.income", "0:9000")).describe())
        .doesNotContain("found under DP");
  }

  private static String line(List<String> lines, String column) {
    return lines.stream().filter(l -> l.startsWith("  " + column + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + column + " in " + lines));
  }

  @Test
  void aColumnSummaryShowsValuesAsTheyAreEmitted() {
    double day = 86400;
    double jan1 = 1577836800; // 2020-01-01
    ColumnModel dates = new ColumnModel(0, ColumnModel.Kind.DATETIME, null,
        new double[] {jan1, jan1 + 10 * day, jan1 + 20 * day},
        new double[] {jan1 + 10 * day, jan1 + 20 * day, jan1 + 366 * day}, false, 0, true,
        new double[] {0.5, 0.5, 0, 0}, new int[] {0, 0, 1, 1}, 2, new double[] {1, 0});
    assertThat(dates.summary(false)).isEqualTo("2020-01-01 to 2020-01-20 in 2 bins");
    ColumnModel times = new ColumnModel(0, ColumnModel.Kind.DATETIME, null,
        new double[] {8 * 3600, 12 * 3600}, new double[] {12 * 3600, 17.5 * 3600}, false, 0,
        false, new double[] {0.5, 0.5, 0}, new int[] {0, 0, 1}, 2, new double[] {1, 0});
    assertThat(times.summary(true)).isEqualTo("08:00 to 17:29:59 in 2 bins");
    ColumnModel ints = new ColumnModel(0, ColumnModel.Kind.NUMERIC, null,
        new double[] {-3, 5}, new double[] {5, 100}, true, 0, false,
        new double[] {0.25, 0.5, 0.25}, new int[] {0, 0, 1}, 2, new double[] {0.75, 0.25});
    assertThat(ints.summary(false)).isEqualTo("-3 to 99 in 2 bins, missing 25.0%");
    ColumnModel cats = new ColumnModel(0, ColumnModel.Kind.CATEGORICAL, List.of("a"), null, null,
        false, 0, false, new double[] {1, 0}, new int[] {0, 0}, 1, new double[] {1});
    assertThat(cats.summary(false)).isEqualTo("1 category");
  }

  @Test
  void declaredCalendarsKeepSampledDatesOnThem() {
    int n = 6000;
    RandomSource r = RandomSource.of(13);
    double[] month = new double[n];
    double[] week = new double[n];
    double[] day = new double[n];
    long firstMonday = java.time.LocalDate.of(2001, 1, 1).toEpochDay(); // a Monday
    for (int i = 0; i < n; i++) {
      month[i] = 86400.0 * java.time.LocalDate.of(2000 + r.nextInt(10), 1 + r.nextInt(12), 1)
          .toEpochDay();
      week[i] = 86400.0 * (firstMonday + 7L * r.nextInt(300));
      day[i] = 86400.0 * (firstMonday + r.nextInt(2000));
    }
    Table t = Table.of(Schema.of(List.of(
        Column.of("month", new ColumnType.Datetime("yyyy-MM-dd", true)),
        Column.of("week", new ColumnType.Datetime("yyyy-MM-dd", true)),
        Column.of("day", new ColumnType.Datetime("yyyy-MM-dd", true)))),
        List.of(ColumnData.Numbers.adopt(month), ColumnData.Numbers.adopt(week),
            ColumnData.Numbers.adopt(day)));
    SynthesizerProvider p = Synthesizers.get("dp");
    FittedModel m = p.create(Map.of("epsilon", "1", "calendar.month", "month",
        "calendar.week", "Monday", "reproducibleNoise", "true")).fit(t, FitContext.of(3));
    // through the model file, as sample reads it
    FittedModel back = p.load(m.schema(), Json.parseObject(Json.write(m.parameters())),
        m.provenance());
    Table s = sample(back, 5000, 1);
    int onFirst = 0;
    int onMonday = 0;
    int dayOnFirst = 0;
    int present = 0;
    for (int i = 0; i < s.rowCount(); i++) {
      for (int col = 0; col < 3; col++) {
        ColumnData.Numbers v = (ColumnData.Numbers) s.column(col);
        if (v.isMissing(i)) {
          continue;
        }
        java.time.LocalDate d = java.time.LocalDate.ofEpochDay((long) (v.get(i) / 86400));
        if (col == 0) {
          present++;
          onFirst += d.getDayOfMonth() == 1 ? 1 : 0;
        } else if (col == 1) {
          onMonday += d.getDayOfWeek() == java.time.DayOfWeek.MONDAY ? 1 : 0;
        } else {
          dayOnFirst += d.getDayOfMonth() == 1 ? 1 : 0;
        }
      }
    }
    assertThat(present).isGreaterThan(4000);
    assertThat(onFirst).isEqualTo(present);
    ColumnData.Numbers w = (ColumnData.Numbers) s.column(1);
    assertThat(onMonday).isEqualTo(w.size() - (int) java.util.stream.IntStream
        .range(0, w.size()).filter(w::isMissing).count());
    // an undeclared column keeps every day (about 1 in 30 on the first, not all)
    assertThat(dayOnFirst).isLessThan(present / 10);
    assertThat(m.parameters().toString()).contains("calendar");
    // nothing is read from the data for it: with the same noise, the fit without calendars
    // spends the same and samples the same undeclared column
    FittedModel plain = p.create(Map.of("epsilon", "1", "reproducibleNoise", "true"))
        .fit(t, FitContext.of(3));
    assertThat(m.provenance().privacy().get("rhoSpent"))
        .isEqualTo(plain.provenance().privacy().get("rhoSpent"));
    assertThat(sample(plain, 5000, 1).column(2)).isEqualTo(s.column(2));
    assertThatThrownBy(() -> p.create(Map.of("epsilon", "1", "calendar.month", "fortnight")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("calendar.month");
    Table numbers = Table.of(Schema.of(List.of(Column.of("x", ColumnType.Numeric.ofInteger()))),
        List.of(ColumnData.Numbers.adopt(new double[] {1, 2, 3})));
    assertThatThrownBy(() -> p.create(Map.of("epsilon", "1", "calendar.x", "month"))
        .fit(numbers, FitContext.of(1))).isInstanceOf(UserInputException.class)
        .hasMessageContaining("for date columns");
  }

  @Test
  void configRoundTripsThroughProvenance() {
    DpConfig c = DpConfig.parse(Map.of("epsilon", "0.7", "delta", "1e-7",
        "bounds.age", "18:77", "categories.colour", "red|green", "calendar.day", "month",
        "reproducibleNoise", "true"));
    Map<String, String> back = new java.util.LinkedHashMap<>();
    c.toJson().forEach((k, v) -> back.put(k, (String) v));
    DpConfig again = DpConfig.parse(back);
    assertThat(again.epsilon()).isEqualTo(0.7);
    assertThat(again.delta()).isEqualTo(1e-7);
    assertThat(again.bounds().get("age")).containsExactly(18, 77);
    assertThat(again.categories()).isEqualTo(c.categories());
    assertThat(again.calendars()).containsEntry("day", "month");
    assertThat(again.reproducibleNoise()).isTrue();
    assertThat(again.toJson()).isEqualTo(c.toJson());
  }

  @Test
  void badOptionsAreUserErrors() {
    SynthesizerProvider p = Synthesizers.get("dp");
    assertThatThrownBy(() -> p.create(Map.of())).isInstanceOf(UserInputException.class)
        .hasMessageContaining("epsilon is required");
    assertThatThrownBy(() -> p.create(Map.of("epsilon", "-1")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("-1");
    assertThatThrownBy(() -> p.create(Map.of("epsilon", "1", "k", "5")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("unknown option 'k'");
    assertThatThrownBy(() -> p.create(Map.of("epsilon", "1", "delta", "0.5")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("delta");
    assertThatThrownBy(() -> p.create(Map.of("epsilon", "1", "bounds.colour", "0:1"))
        .fit(fixture(), FitContext.of(1))).isInstanceOf(UserInputException.class)
        .hasMessageContaining("numeric");
    Table empty = Tables.select(fixture(), new int[0]);
    assertThatThrownBy(() -> p.create(Map.of("epsilon", "1")).fit(empty, FitContext.of(1)))
        .isInstanceOf(UserInputException.class).hasMessageContaining("no rows");
  }
}
