package dev.ersatz.models.trees;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.testkit.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreeTest {
  /** A stump over three cells with probabilities 1/3, 1/6, 1/2, and a float-rounded end. */
  @Test
  void quantizingKeepsNineDecimalsAndEachLeafADistribution() {
    double third = 1.0 / 3;
    Tree t = new Tree(new int[] {-1}, new int[] {-1}, new int[] {-1}, new int[] {0},
        new byte[0], new double[] {third, third + 1.0 / 6, 0.9999999999999998}, 3,
        new int[] {6});
    t.quantize();
    assertThat(t.cum).containsExactly(0.333333333, 0.5, 1.0);
    assertThat(Double.toString(t.cum[0])).isEqualTo("0.333333333");
  }

  /**
   * A fitted model's leaves (raked, on a table this small) are kept to nine decimals, each
   * leaf non-decreasing and ending at 1; the contract test checks that the model samples the
   * same rows after its file is read back.
   */
  @Test
  void aFittedModelsLeavesAreQuantized() {
    TreesModel m = (TreesModel) new TreesProvider().create(Map.of())
        .fit(Fixtures.clinic(1500, 3), FitContext.of(7));
    JsonMap params = Json.parseObject(Json.write(m.parameters()));
    List<Object> columns = params.obj("model").list("trees");
    int checked = 0;
    for (Object members : columns) {
      for (Object raw : (List<?>) members) {
        @SuppressWarnings("unchecked")
        JsonMap tree = new JsonMap((Map<String, Object>) raw, "tree");
        Tree t = Tree.fromJson(tree);
        for (int i = 0; i < t.feature.length; i++) {
          if (t.feature[i] >= 0) {
            continue;
          }
          double before = 0;
          for (int c = 0; c < t.classes; c++) {
            double v = t.cum[t.offset[i] + c];
            assertThat(Math.round(v * Tree.CUM_SCALE) / Tree.CUM_SCALE).isEqualTo(v);
            assertThat(v).isGreaterThanOrEqualTo(before);
            before = v;
          }
          assertThat(before).isEqualTo(1.0);
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(50);
  }
}
