package dev.ersatz.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlignedTest {
  @Test
  void levelsAreAlignedByStringsNotCodes() {
    Table a = Table.of(Schema.of(List.of(Column.of("c", new ColumnType.Categorical()))),
        List.of(ColumnData.Codes.adopt(new int[] {0, 1, -1}, List.of("x", "y"))));
    Table b = Table.of(Schema.of(List.of(Column.of("c", new ColumnType.Categorical()))),
        List.of(ColumnData.Codes.adopt(new int[] {0, 1, 2}, List.of("y", "z", "x"))));
    Aligned d = Aligned.of(List.of("real", "synthetic"), List.of(a, b), Map.of(),
        new ArrayList<>());
    assertThat(d.levels(0)).containsExactly("x", "y", "z");
    assertThat(d.codes(0, 0)).containsExactly(0, 1, d.missingCode(0));
    assertThat(d.codes(0, 1)).containsExactly(1, 2, 0);
  }

  @Test
  void metadataKindsOverrideTheAutoRule() {
    Map<String, Aligned.Kind> k = Aligned.kindsFromMetadata(Json.parseObject(
        "{\"columns\": {\"a\": {\"sdtype\": \"numerical\"}, \"b\": {\"sdtype\": \"categorical\"},"
            + " \"t\": {\"sdtype\": \"datetime\"}}}").raw());
    assertThat(k).containsEntry("a", Aligned.Kind.CONTINUOUS)
        .containsEntry("b", Aligned.Kind.CATEGORICAL).containsEntry("t", Aligned.Kind.CONTINUOUS);
    Table t = Table.of(Schema.of(List.of(Column.of("a", ColumnType.Numeric.ofInteger()))),
        List.of(ColumnData.Numbers.adopt(new double[] {1, 2, 1})));
    Aligned auto = Aligned.of(List.of("real"), List.of(t), Map.of(), new ArrayList<>());
    assertThat(auto.continuous(0)).isFalse(); // 2 distinct values <= 10: categorical
    Aligned forced = Aligned.of(List.of("real"), List.of(t), Map.of("a",
        Aligned.Kind.CONTINUOUS), new ArrayList<>());
    assertThat(forced.continuous(0)).isTrue();
    assertThatThrownBy(() -> Aligned.of(List.of("real"), List.of(t), Map.of("zz",
        Aligned.Kind.CONTINUOUS), new ArrayList<>())).isInstanceOf(UserInputException.class)
        .hasMessageContaining("unknown column 'zz'");
  }

  @Test
  void jsonKeysAreSnakeCase() {
    assertThat(EvaluationReport.snake("column1")).isEqualTo("column1");
    assertThat(EvaluationReport.snake("dcrHoldoutP5")).isEqualTo("dcr_holdout_p5");
    assertThat(EvaluationReport.snake("rowsReal")).isEqualTo("rows_real");
  }
}
