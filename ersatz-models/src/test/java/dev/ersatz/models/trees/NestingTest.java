package dev.ersatz.models.trees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.Condition;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.SupportsConditionalSampling;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Districts nested in regions ({@link Nesting}): drawn among the pairs real rows hold. */
class NestingTest {
  private static final int ROWS = 6000;
  private static final int REGIONS = 12;

  /**
   * region (12, skewed), then country (90% one value) and job (independent of everything),
   * then district: six per region, with names shared between regions as county names are
   * ({@code d(3r + i mod 30)}), so a district name alone does not give its region.
   */
  private static Table regions(long seed) {
    RandomSource rng = RandomSource.of(seed);
    int[] region = new int[ROWS];
    int[] country = new int[ROWS];
    int[] job = new int[ROWS];
    int[] district = new int[ROWS];
    for (int r = 0; r < ROWS; r++) {
      region[r] = Math.min(REGIONS - 1, (int) Math.floor(-Math.log(rng.nextDouble()) * 4));
      country[r] = rng.nextDouble() < 0.9 ? 0 : 1 + rng.nextInt(4);
      job[r] = rng.nextInt(6);
      district[r] = (3 * region[r] + rng.nextInt(6)) % 30;
    }
    List<String> regionNames = new ArrayList<>();
    for (int i = 0; i < REGIONS; i++) {
      regionNames.add("r" + i);
    }
    List<String> districtNames = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      districtNames.add("d" + i);
    }
    return Table.of(Schema.of(List.of(
            Column.of("region", new ColumnType.Categorical()),
            Column.of("country", new ColumnType.Categorical()),
            Column.of("job", new ColumnType.Categorical()),
            Column.of("district", new ColumnType.Categorical()))),
        List.of(ColumnData.Codes.adopt(region, regionNames),
            ColumnData.Codes.adopt(country, List.of("home", "c1", "c2", "c3", "c4")),
            ColumnData.Codes.adopt(job, List.of("j0", "j1", "j2", "j3", "j4", "j5")),
            ColumnData.Codes.adopt(district, districtNames)));
  }

  /** Leaves of 600 rows: each mixes regions, as the fit-time check makes them on big tables. */
  private static TreesModel fit(Table t, String nest) {
    return (TreesModel) new TreesProvider()
        .create(Map.of("min_leaf", "600", "nest", nest)).fit(t, FitContext.of(5));
  }

  private static Set<String> pairs(Table t) {
    Set<String> out = new HashSet<>();
    for (int r = 0; r < t.rowCount(); r++) {
      out.add(pair(t, r));
    }
    return out;
  }

  private static String pair(Table t, int r) {
    return ((ColumnData.Codes) t.column(0)).get(r) + "/" + ((ColumnData.Codes) t.column(3)).get(r);
  }

  private static double invalidShare(Table real, Table synth) {
    Set<String> held = pairs(real);
    int bad = 0;
    for (int r = 0; r < synth.rowCount(); r++) {
      bad += held.contains(pair(synth, r)) ? 0 : 1;
    }
    return bad / (double) synth.rowCount();
  }

  @Test
  void aNestedColumnIsDrawnAmongThePairsRealRowsHold() {
    Table t = regions(1);
    TreesModel nested = fit(t, "1");
    TreesModel plain = fit(t, "0");
    Table a = nested.sampleBatch(20_000, 0, RandomSource.of(3));
    Table b = plain.sampleBatch(20_000, 0, RandomSource.of(3));
    // measured: 0 with the nesting, 0.21 without
    assertThat(invalidShare(t, a)).isZero();
    assertThat(invalidShare(t, b)).isGreaterThan(0.05);
    assertThat(nested.describe()).contains("nested in region");
    assertThat(plain.describe()).doesNotContain("nested in");
    // without the option, inspect names what it would nest
    assertThat(plain.describe()).contains("nested categories found, not used: district in region")
        .contains("-O nest=1");
    assertThat(nested.describe()).doesNotContain("found, not used");
  }

  @Test
  void aSkewedButIndependentPairIsNoNesting() {
    Nesting[] found = fit(regions(2), "1").nestings();
    assertThat(found).isNotNull();
    assertThat(found[3].parent).isZero();
    assertThat(found[1]).isNull();
    assertThat(found[2]).isNull();
  }

  @Test
  void theNestedChildKeepsItsShare() {
    Table t = regions(4);
    Table s = fit(t, "1").sampleBatch(30_000, 0, RandomSource.of(5));
    double[] real = shares(t);
    double[] synth = shares(s);
    double tv = 0;
    for (int i = 0; i < real.length; i++) {
      tv += Math.abs(real[i] - synth[i]) / 2;
    }
    // measured: 0.01
    assertThat(tv).isLessThan(0.04);
  }

  private static double[] shares(Table t) {
    ColumnData.Codes d = (ColumnData.Codes) t.column(3);
    double[] out = new double[30];
    for (int r = 0; r < t.rowCount(); r++) {
      out[Integer.parseInt(d.get(r).substring(1))] += 1.0 / t.rowCount();
    }
    return out;
  }

  @Test
  void roundTripsAndKeepsConditionsConsistent() {
    Table t = regions(6);
    TreesModel m = fit(t, "1");
    String json = Json.write(m.parameters());
    assertThat(json).contains("\"nestings\"");
    FittedModel back = new TreesProvider().load(m.schema(), Json.parseObject(json),
        m.provenance());
    assertThat(back.sampleBatch(3_000, 0, RandomSource.of(11)).columns())
        .isEqualTo(m.sampleBatch(3_000, 0, RandomSource.of(11)).columns());
    Table given = ((SupportsConditionalSampling) m).sampleBatch(
        new Condition(List.of(new Condition.Clause("district", "d4"))), 2_000, 0,
        RandomSource.of(12));
    assertThat(invalidShare(t, given)).isZero();
    double[] realShare = regionShares(t, "d4");
    double[] givenShare = regionShares(given, "d4");
    for (int r = 0; r < REGIONS; r++) {
      // measured: within 0.01 of the real share of each region among d4's rows
      assertThat(givenShare[r]).as("region r%d", r).isCloseTo(realShare[r],
          org.assertj.core.data.Offset.offset(0.06));
    }
  }

  /** Each region's share of the rows of district {@code d}. */
  private static double[] regionShares(Table t, String d) {
    double[] out = new double[REGIONS];
    int n = 0;
    for (int r = 0; r < t.rowCount(); r++) {
      if (((ColumnData.Codes) t.column(3)).get(r).equals(d)) {
        out[Integer.parseInt(((ColumnData.Codes) t.column(0)).get(r).substring(1))]++;
        n++;
      }
    }
    for (int i = 0; i < REGIONS; i++) {
      out[i] /= n;
    }
    return out;
  }

  @Test
  @SuppressWarnings("unchecked")
  void aPairOutsideTheGridIsAFormatError() {
    Table t = regions(8);
    TreesModel m = fit(t, "1");
    Map<String, Object> params = (Map<String, Object>) Json.parse(Json.write(m.parameters()));
    List<Object> ns = (List<Object>) ((Map<String, Object>) params.get("model")).get("nestings");
    Map<String, Object> n3 = (Map<String, Object>) ns.get(3);
    List<Object> p = (List<Object>) n3.get("pairs");
    p.set(1, 99);
    assertThatThrownBy(() -> new TreesProvider().load(m.schema(),
        new JsonMap(params, "parameters"), m.provenance()))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("bad pair");
  }
}
