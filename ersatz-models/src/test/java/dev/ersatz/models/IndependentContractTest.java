package dev.ersatz.models;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.spi.Condition;
import dev.ersatz.core.spi.SupportsConditionalSampling;
import dev.ersatz.testkit.SynthesizerContractTest;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndependentContractTest extends SynthesizerContractTest {
  @Override
  protected String generatorName() {
    return "independent";
  }

  /** A numeric condition outside the model's range names the range, so the user can fix it. */
  @Test
  void numericConditionOutOfRangeNamesTheRange() {
    SupportsConditionalSampling cs = (SupportsConditionalSampling) clinicModel();
    assertThatThrownBy(() -> cs.validate(new Condition(List.of(
        new Condition.Clause("age", "1000")))))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("--where age=1000: outside the range the model can produce")
        .hasMessageMatching(".*\\(\\d+ to \\d+\\); choose a value in it");
  }
}
