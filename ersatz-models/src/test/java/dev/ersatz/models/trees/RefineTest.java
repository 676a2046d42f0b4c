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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A two-cell column placed before the columns that predict it, redrawn once the row is complete
 * ({@link Booster#fitGivenAll}).
 */
class RefineTest {
  private static final int ROWS = 1500;
  private static final int DRAWS = 30_000;

  /**
   * A label first, then two strongly correlated numbers and a category; the label's log-odds
   * are {@code 2 (z1 - z2) + effect[category]}: what predicts it is the small difference of two
   * columns the trees draw one given the other, after the label.
   */
  private static Table labelFirst(long seed) {
    RandomSource rng = RandomSource.of(seed);
    int[] y = new int[ROWS];
    double[] z1 = new double[ROWS];
    double[] z2 = new double[ROWS];
    int[] cat = new int[ROWS];
    double[] effect = {-1, 0, 1};
    for (int r = 0; r < ROWS; r++) {
      double f = rng.nextGaussian();
      z1[r] = Math.rint((f + 0.45 * rng.nextGaussian()) * 100) / 100;
      z2[r] = Math.rint((f + 0.45 * rng.nextGaussian()) * 100) / 100;
      cat[r] = rng.nextInt(3);
      double logit = 2 * (z1[r] - z2[r]) + effect[cat[r]];
      y[r] = rng.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 0 : 1;
    }
    return Table.of(Schema.of(List.of(
            Column.of("y", new ColumnType.Categorical()),
            Column.of("z1", ColumnType.Numeric.ofDecimal(2, false)),
            Column.of("z2", ColumnType.Numeric.ofDecimal(2, false)),
            Column.of("c", new ColumnType.Categorical()))),
        List.of(ColumnData.Codes.adopt(y, List.of("yes", "no")),
            ColumnData.Numbers.adopt(z1), ColumnData.Numbers.adopt(z2),
            ColumnData.Codes.adopt(cat, List.of("a", "b", "c"))));
  }

  private static TreesModel fit(Table t, Map<String, String> options) {
    return (TreesModel) new TreesProvider().create(options).fit(t, FitContext.of(5));
  }

  /**
   * The difference between the label's two groups in the mean of {@code z1 - z2}: how strongly
   * the label follows its real predictor in a table.
   */
  private static double separation(Table t) {
    ColumnData.Codes y = (ColumnData.Codes) t.column(0);
    ColumnData.Numbers z1 = (ColumnData.Numbers) t.column(1);
    ColumnData.Numbers z2 = (ColumnData.Numbers) t.column(2);
    double[] sum = new double[2];
    int[] n = new int[2];
    for (int r = 0; r < t.rowCount(); r++) {
      int g = "yes".equals(y.get(r)) ? 0 : 1;
      sum[g] += z1.get(r) - z2.get(r);
      n[g]++;
    }
    return sum[0] / n[0] - sum[1] / n[1];
  }

  @Test
  void anEarlyLabelFollowsItsPredictorsAsInTheRealTable() {
    Table t = labelFirst(3);
    double real = separation(t);
    TreesModel refined = fit(t, Map.of());
    TreesModel plain = fit(t, Map.of("refine_first", "0"));
    double with = separation(refined.sampleBatch(DRAWS, 0, RandomSource.of(9)));
    double without = separation(plain.sampleBatch(DRAWS, 0, RandomSource.of(9)));
    // measured: real 0.57, refined 0.56, plain 0.48
    assertThat(real).isGreaterThan(0.5);
    assertThat(Math.abs(real - with)).isLessThan(0.5 * Math.abs(real - without));
    assertThat(refined.describe()).contains("redrawn once the rest of the row is drawn");
    assertThat(plain.describe()).doesNotContain("redrawn");
  }

  @Test
  void theBoosterGivenAllReadsLaterColumnsAndRoundTrips() {
    Table t = labelFirst(4);
    TreesModel m = fit(t, Map.of());
    String json = Json.write(m.parameters());
    assertThat(json).contains("\"refiners\"");
    assertThat(Json.write(fit(t, Map.of()).parameters())).isEqualTo(json);
    FittedModel back = new TreesProvider().load(m.schema(), Json.parseObject(json),
        m.provenance());
    assertThat(back.sampleBatch(2_000, 0, RandomSource.of(11)).columns())
        .isEqualTo(m.sampleBatch(2_000, 0, RandomSource.of(11)).columns());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aRefinerThatReadsItsOwnColumnIsAFormatError() {
    Table t = labelFirst(6);
    TreesModel m = fit(t, Map.of());
    Map<String, Object> params = (Map<String, Object>) Json.parse(Json.write(m.parameters()));
    List<Object> rs = (List<Object>) ((Map<String, Object>) params.get("model")).get("refiners");
    Map<String, Object> r0 = (Map<String, Object>) rs.get(0);
    List<Object> feature = (List<Object>) r0.get("feature");
    int node = 0;
    while (((Number) feature.get(node)).intValue() < 0) {
      node++;
    }
    feature.set(node, 0);
    assertThatThrownBy(() -> new TreesProvider().load(m.schema(),
        new JsonMap(params, "parameters"), m.provenance()))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("bad node");
  }

  /** {@code --where} on the refined column keeps the value asked for; on another, it refines. */
  @Test
  void conditionsAreKept() {
    Table t = labelFirst(7);
    SupportsConditionalSampling m = (SupportsConditionalSampling) fit(t, Map.of());
    Table onLabel = m.sampleBatch(new Condition(List.of(new Condition.Clause("y", "no"))),
        2_000, 0, RandomSource.of(12));
    ColumnData.Codes y = (ColumnData.Codes) onLabel.column(0);
    for (int r = 0; r < onLabel.rowCount(); r++) {
      assertThat(y.get(r)).isEqualTo("no");
    }
    Table onCategory = m.sampleBatch(new Condition(List.of(new Condition.Clause("c", "a"))),
        DRAWS, 0, RandomSource.of(13));
    ColumnData.Codes yc = (ColumnData.Codes) onCategory.column(0);
    int yes = 0;
    for (int r = 0; r < onCategory.rowCount(); r++) {
      yes += "yes".equals(yc.get(r)) ? 1 : 0;
      assertThat(((ColumnData.Codes) onCategory.column(3)).get(r)).isEqualTo("a");
    }
    // category a takes 1 from the log-odds of "yes": "yes" is clearly below half given it
    assertThat((double) yes / DRAWS).isLessThan(0.4);
  }
}
