package dev.ersatz.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatesTest {
  @Test
  void directionsAndFailures() {
    Gates g = Gates.parse("quality=0.95, tstr_auc_ratio=0.95,dcr_share=0.55,mia_auc=0.6,"
        + "dcr_share_excess=0.02");
    assertThat(g.gates()).extracting(Gates.Gate::upperBound)
        .containsExactly(false, false, true, true, true);
    List<Gates.Result> r = g.evaluate(Map.of("quality", 0.96, "tstr_auc_ratio", 0.90,
        "dcr_share", 0.70, "dcr_share_excess", -0.01));
    assertThat(r).extracting(Gates.Result::passed)
        .containsExactly(true, false, false, false, true);
  }

  @Test
  void checkListsWhatFailed() {
    EvaluationReport rep = Evaluation.builder().real(TestTables.mixed(300, 1))
        .synthetic(TestTables.mixed(300, 2)).detection(false).privacy(false).build().run();
    List<String> fails = Gates.parse(
        "quality=0.999,column_shapes=0.1,dcr_share=0.55,dcr_share_excess=0.02").check(rep);
    assertThat(fails).hasSize(3);
    assertThat(fails.get(0)).matches("quality 0\\.\\d{4} < 0.999");
    assertThat(fails.get(1)).isEqualTo("dcr_share was not computed (needs --holdout)");
    assertThat(fails.get(2)).isEqualTo("dcr_share_excess was not computed (needs --holdout)");
  }

  @Test
  void badSpecsAreUserErrors() {
    assertThatThrownBy(() -> Gates.parse("qualty=0.9")).isInstanceOf(UserInputException.class)
        .hasMessageContaining("unknown gate 'qualty'");
    assertThatThrownBy(() -> Gates.parse("quality=high"))
        .isInstanceOf(UserInputException.class).hasMessageContaining("must be a number");
    assertThatThrownBy(() -> Gates.parse("quality")).isInstanceOf(UserInputException.class);
    assertThat(Gates.parse("").gates()).isEmpty();
  }
}
