package dev.ersatz.models.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.models.PrivacySettings;
import dev.ersatz.models.independent.IndependentProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The output step of point-in-time and decimal columns ({@link Frame#timeStep},
 * {@link Frame#decimalStep}), and a target modelled last.
 */
class FrameTest {
  private static final ColumnType STAMP = new ColumnType.Datetime("yyyy-MM-dd'T'HH:mm:ss", false);

  /** 2,000 timestamps over a year, each a whole multiple of {@code unit} seconds. */
  private static ColumnData.Numbers stamps(long unit, boolean withMissing) {
    RandomSource rng = RandomSource.of(4);
    double[] v = new double[2000];
    for (int i = 0; i < v.length; i++) {
      long s = 1_700_000_000L + rng.nextInt(365 * 86400);
      v[i] = withMissing && i % 10 == 0 ? Double.NaN : (double) (s / unit * unit);
    }
    return ColumnData.Numbers.adopt(v);
  }

  @Test
  void theCoarsestUnitEveryValueIsAMultipleOfIsTheStep() {
    assertThat(Frame.timeStep(stamps(60, false), 1)).isEqualTo(60);
    assertThat(Frame.timeStep(stamps(3600, true), 1)).isEqualTo(3600);
    assertThat(Frame.timeStep(stamps(86400, false), 1)).isEqualTo(86400);
    assertThat(Frame.timeStep(stamps(1, false), 1)).isEqualTo(1);
    // milliseconds in the pattern, whole seconds in the data
    assertThat(Frame.timeStep(stamps(1, false), 0.001)).isEqualTo(1);
    assertThat(Frame.timeStep(ColumnData.Numbers.adopt(new double[] {Double.NaN}), 1))
        .isEqualTo(1);
  }

  @Test
  void decimalsTakeTheCoarsestGridEveryValueIsOn() {
    double[] whole = new double[500];
    double[] halves = new double[500];
    double[] cents = new double[500];
    RandomSource rng = RandomSource.of(9);
    for (int i = 0; i < 500; i++) {
      whole[i] = i % 7 == 0 ? Double.NaN : 18 + rng.nextInt(70);
      halves[i] = rng.nextInt(10) / 2.0;
      cents[i] = rng.nextInt(100_000) / 100.0;
    }
    assertThat(Frame.decimalStep(ColumnData.Numbers.adopt(whole), 0.1)).isEqualTo(1);
    assertThat(Frame.decimalStep(ColumnData.Numbers.adopt(halves), 0.1)).isEqualTo(0.5);
    assertThat(Frame.decimalStep(ColumnData.Numbers.adopt(cents), 0.01)).isEqualTo(0.01);
    cents[0] = 12.3; // every other value a whole multiple of 0.1
    for (int i = 1; i < 500; i++) {
      cents[i] = rng.nextInt(1000) / 10.0;
    }
    assertThat(Frame.decimalStep(ColumnData.Numbers.adopt(cents), 0.001)).isEqualTo(0.1);
    assertThat(Frame.decimalStep(ColumnData.Numbers.adopt(new double[] {Double.NaN}), 0.1))
        .isEqualTo(0.1);
  }

  /** Ages written as {@code 52.0} are sampled whole, in the column's own format. */
  @Test
  void wholeNumbersWrittenAsDecimalsAreSampledWhole() {
    double[] v = new double[400];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 9 == 0 ? Double.NaN : 18 + (i * 37 % 71);
    }
    Table t = Table.of(Schema.of(List.of(Column.of("age", ColumnType.Numeric.ofDecimal(1,
        true)))), List.of(ColumnData.Numbers.adopt(v)));
    Table s = new IndependentProvider().create(Map.of()).fit(t, FitContext.of(1))
        .sampleBatch(2000, 0, RandomSource.of(2));
    ColumnData.Numbers out = (ColumnData.Numbers) s.column(0);
    int values = 0;
    for (int r = 0; r < out.size(); r++) {
      if (!out.isMissing(r)) {
        assertThat(out.get(r)).isEqualTo(Math.rint(out.get(r)));
        values++;
      }
    }
    assertThat(values).isGreaterThan(1500);
  }

  /** Timestamps recorded to the minute are sampled to the minute, not with random seconds. */
  @Test
  void minuteStampsAreSampledToTheMinute() {
    Table real = Table.of(Schema.of(List.of(Column.of("at", STAMP))),
        List.of(stamps(60, false)));
    Table s = new IndependentProvider().create(Map.of()).fit(real, FitContext.of(1))
        .sampleBatch(5_000, 0, RandomSource.of(2));
    ColumnData.Numbers at = (ColumnData.Numbers) s.column(0);
    int odd = 0;
    for (int r = 0; r < at.size(); r++) {
      odd += at.isMissing(r) || at.get(r) % 60 == 0 ? 0 : 1;
    }
    assertThat(odd).isZero();
  }

  @Test
  void aTargetIsModelledLastAndRowsComeOutInTheTablesOrder() {
    Table real = Table.of(Schema.of(List.of(
            Column.of("id", new ColumnType.Identifier("sequence", 1)),
            Column.of("label", new ColumnType.Categorical()),
            Column.of("x", ColumnType.Numeric.ofInteger()))),
        List.of(ColumnData.Strings.adopt(new String[] {"1", "2", "3", "4"}),
            ColumnData.Codes.adopt(new int[] {0, 1, 0, 1}, List.of("a", "b")),
            ColumnData.Numbers.adopt(new double[] {5, 6, 7, 8})));
    PrivacySettings privacy = new PrivacySettings(1);
    Frame f = Frame.fit(real, privacy).moved("label", false);
    assertThat(f.column(0).name()).isEqualTo("x");
    assertThat(f.column(1).name()).isEqualTo("label");
    assertThat(f.moved("x", true).column(0).name()).isEqualTo("x");
    assertThat(f.moved("label", true).column(0).name()).isEqualTo("label");
    Frame back = Frame.fromJson(real.schema(), Json.parseObject(Json.write(f.toJson())));
    assertThat(back.column(1).name()).isEqualTo("label");
    int[][] cells = f.encode(real);
    Table out = back.decode(4, 0, cells, null, null, RandomSource.of(3));
    assertThat(out.schema().names()).containsExactly("id", "label", "x");
    assertThat(((ColumnData.Codes) out.column(1)).levels().get(
        ((ColumnData.Codes) out.column(1)).code(1))).isEqualTo("b");
    assertThatThrownBy(() -> f.moved("id", false))
        .isInstanceOf(UserInputException.class).hasMessageContaining("not modelled");
    assertThatThrownBy(() -> f.moved("nope", true))
        .isInstanceOf(UserInputException.class).hasMessageContaining("unknown column 'nope'");
    String twice = Json.write(f.toJson()).replace("\"modelledColumns\":[2,1]",
        "\"modelledColumns\":[2,2]");
    assertThat(twice).contains("[2,2]");
    assertThatThrownBy(() -> Frame.fromJson(real.schema(), Json.parseObject(twice)))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("listed twice");
  }
}
