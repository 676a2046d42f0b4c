package dev.ersatz.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.testkit.SynthesizerContractTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract once more with the large-table form of {@code trees}: {@code boost_rows=0} makes
 * every table "large", so the last two-cell column is drawn from depth-two trees compiled into
 * pair tables, and nothing else is boosted.
 */
class TreesPairsContractTest extends SynthesizerContractTest {
  @Override
  protected String generatorName() {
    return "trees";
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("boost_rows", "0");
  }

  @Test
  void theLastTwoCellColumnIsDrawnFromPairTables() {
    String d = clinicModel().describe();
    assertThat(d).containsOnlyOnce("boosted:");
    assertThat(d).containsPattern("boosted: \\d+ trees of depth 2 as \\d+ tables");
  }
}
