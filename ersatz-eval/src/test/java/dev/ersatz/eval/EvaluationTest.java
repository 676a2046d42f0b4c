package dev.ersatz.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole evaluation on seeded tables built in code, and its handling of bad input. */
class EvaluationTest {

  /**
   * A resample of the real rows (every synthetic row a copy of a real one) is as like the real
   * table as can be, and the cross-validated detector is turned against it: its AUC falls far
   * below 0.5, and the report says what that means instead of calling it indistinguishable.
   */
  @Test
  void aDetectorTurnedAgainstCopiesIsNotReadAsIndistinguishable() {
    Table real = TestTables.mixed(1000, 1);
    int[] pick = new int[1000];
    dev.ersatz.core.random.RandomSource rng = dev.ersatz.core.random.RandomSource.of(4);
    for (int i = 0; i < pick.length; i++) {
      pick[i] = rng.nextInt(1000);
    }
    EvaluationReport r = Evaluation.builder().real(real).synthetic(Tables.select(real, pick))
        .privacy(false).seed(5).build().run();
    assertThat(r.detection().auc()).isLessThan(0.45);
    assertThat(r.detection().belowChance()).isTrue();
    assertThat(r.notes()).anyMatch(n -> n.startsWith("detection AUC")
        && n.contains("closeness to the real rows"));
  }

  @Test
  void fullRunOnSimilarTablesLooksHealthy() {
    Table real = TestTables.mixed(2000, 1);
    Table synth = TestTables.mixed(2000, 2);
    Table hold = TestTables.mixed(500, 3);
    EvaluationReport r = Evaluation.builder().real(real).synthetic(synth).holdout(hold)
        .target("label").seed(5).threads(2).build().run();
    // tables from one generator: high fidelity, no detectability, no leak (seeded; the bounds
    // are several standard errors wide)
    assertThat(r.fidelity().quality()).isGreaterThan(0.9);
    assertThat(r.fidelityCeiling().quality()).isGreaterThan(0.9);
    assertThat(r.utility().task()).isEqualTo("binary");
    assertThat(r.utility().ratios().get("auc")).isBetween(0.9, 1.1);
    assertThat(r.detection().auc()).isBetween(0.4, 0.6);
    assertThat(r.detection().belowChance()).isFalse();
    assertThat(r.notes()).noneMatch(n -> n.startsWith("detection AUC"));
    assertThat(r.privacy().dcrShare()).isBetween(0.4, 0.6);
    assertThat(r.privacy().membershipAuc()).isBetween(0.4, 0.6);
    assertThat(r.privacy().exactMatchTrain()).isZero();
    assertThat(r.warnings()).isEmpty();
    assertThat(r.headline()).containsKeys("quality", "quality_ceiling", "tstr_auc_ratio",
        "detection_auc", "dcr_share", "mia_auc", "exact_match");
    // same seed, same report
    EvaluationReport again = Evaluation.builder().real(real).synthetic(synth).holdout(hold)
        .target("label").seed(5).threads(1).build().run();
    assertThat(again.headline()).isEqualTo(r.headline());
  }

  @Test
  void multiclassAndRegressionTargets() {
    Table real = TestTables.mixed(1500, 11);
    Table synth = TestTables.mixed(1500, 12);
    EvaluationReport multi = Evaluation.builder().real(real).synthetic(synth).target("g")
        .detection(false).privacy(false).seed(1).build().run();
    assertThat(multi.utility().task()).isEqualTo("multiclass");
    assertThat(multi.utility().testSet()).isEqualTo("real 20% split");
    assertThat(multi.utility().tstr().get("accuracy")).isGreaterThan(0.5);
    EvaluationReport reg = Evaluation.builder().real(real).synthetic(synth).target("y")
        .detection(false).privacy(false).seed(1).build().run();
    assertThat(reg.utility().task()).isEqualTo("regression");
    assertThat(reg.utility().tstr().get("r2")).isGreaterThan(0.8);
    assertThat(reg.utility().trtr().get("mae")).isLessThan(0.6);
  }

  @Test
  void differentColumnsAreNamed() {
    Table real = TestTables.mixed(100, 1);
    Table t = TestTables.mixed(100, 2);
    Table renamed = Table.of(Schema.of(List.of(t.schema().column(0), t.schema().column(1),
        Column.of("group", new ColumnType.Categorical()), t.schema().column(3))), t.columns());
    assertThatThrownBy(() -> Evaluation.builder().real(real).synthetic(renamed).build().run())
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("synthetic table lacks the real table's columns [g]")
        .hasMessageContaining("extra columns [group]");
  }

  @Test
  void mismatchedTypesAreConvertedAndNoted() {
    Table real = TestTables.mixed(300, 1);
    Table t = TestTables.mixed(300, 2);
    // the synthetic x arrives as text (categorical) with one unparsable value
    ColumnData.Numbers x = (ColumnData.Numbers) t.column("x");
    String[] lv = new String[300];
    int[] codes = new int[300];
    for (int i = 0; i < 300; i++) {
      lv[i] = i == 7 ? "oops" : Double.toString(x.get(i));
      codes[i] = i;
    }
    Table synth = Table.of(t.schema().with(0, Column.of("x", new ColumnType.Categorical())),
        List.of(ColumnData.Codes.adopt(codes, Arrays.asList(lv)), t.column(1), t.column(2),
            t.column(3)));
    EvaluationReport r = Evaluation.builder().real(real).synthetic(synth).privacy(false)
        .detection(false).build().run();
    assertThat(r.columnKinds().get("x")).isEqualTo("continuous");
    assertThat(r.notes()).anyMatch(n -> n.contains("column x is numeric in the real table but "
        + "not in the synthetic table") && n.contains("1 values that are not numbers"));
    assertThat(r.fidelity().shapes().get(0).score()).isGreaterThan(0.8);
  }

  @Test
  void targetMissingOrConstantIsRefused() {
    Table real = TestTables.mixed(200, 1);
    Table synth = TestTables.mixed(200, 2);
    assertThatThrownBy(() -> Evaluation.builder().real(real).synthetic(synth).target("nope")
        .build().run()).isInstanceOf(UserInputException.class)
        .hasMessageContaining("target 'nope' is not a compared column");
    Table constant = Table.of(real.schema(), List.of(real.column(0), real.column(1),
        real.column(2), ColumnData.Codes.adopt(new int[200], List.of("yes", "no"))));
    assertThatThrownBy(() -> Evaluation.builder().real(constant).synthetic(synth)
        .target("label").build().run()).isInstanceOf(UserInputException.class)
        .hasMessageContaining("has 1 class(es) in the real table");
  }

  @Test
  void tinyTablesWarnButCompute() {
    EvaluationReport r = Evaluation.builder().real(TestTables.mixed(30, 1))
        .synthetic(TestTables.mixed(40, 2)).holdout(TestTables.mixed(20, 3)).target("label")
        .build().run();
    assertThat(r.warnings()).anyMatch(w -> w.contains("real table has only 30 rows"));
    assertThat(r.warnings()).anyMatch(w -> w.contains("holdout table has only 20 rows"));
    assertThat(r.fidelity().quality()).isBetween(0.0, 1.0);
    assertThat(r.privacy().dcrShare()).isBetween(0.0, 1.0);
  }

  @Test
  void allNullColumnsAreWarnedAbout() {
    Table t = TestTables.mixed(200, 2);
    double[] nan = new double[200];
    Arrays.fill(nan, Double.NaN);
    Table synth = Table.of(t.schema(), List.of(ColumnData.Numbers.adopt(nan), t.column(1),
        t.column(2), t.column(3)));
    EvaluationReport r = Evaluation.builder().real(TestTables.mixed(200, 1)).synthetic(synth)
        .build().run();
    assertThat(r.warnings()).anyMatch(w -> w.contains("column x has no values in the "
        + "synthetic table"));
    assertThat(r.fidelity().shapes().get(0).score()).isNaN();
    assertThat(r.fidelity().columnShapes()).isBetween(0.5, 1.0);
    assertThat(r.fidelity().missing().get(0).other()).isEqualTo(1.0);
  }

  @Test
  void largeInputsSubsamplePairMetricsAndSaySo() {
    Table base = TestTables.mixed(1000, 4);
    List<Table> parts = new ArrayList<>();
    for (int i = 0; i < 210; i++) {
      parts.add(base);
    }
    Table big = Tables.concat(parts); // 210,000 rows
    EvaluationReport r = Evaluation.builder().real(big).synthetic(TestTables.mixed(5000, 5))
        .detection(false).privacy(false).build().run();
    assertThat(r.fidelity().pairRowsUsed()).isEqualTo(200_000);
    assertThat(r.notes()).anyMatch(n -> n.contains("seeded sample of 200000 rows"));
  }

  @Test
  void emptyTablesAreRefused() {
    Table real = TestTables.mixed(10, 1);
    Table empty = Tables.select(real, new int[0]);
    assertThatThrownBy(() -> Evaluation.builder().real(real).synthetic(empty).build())
        .isInstanceOf(UserInputException.class).hasMessageContaining("synthetic table has no "
            + "rows");
  }
}
