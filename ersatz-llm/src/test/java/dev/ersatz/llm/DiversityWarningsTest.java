package dev.ersatz.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DiversityWarningsTest {
  @Test
  void warnsWhenDiversityFalls() {
    Map<String, Object> r1 = Map.of("distinct2", 0.8, "vendiPerExample", 0.5, "selfSimilarity", 0.4);
    assertThat(Pipeline.diversityWarnings(2, null, r1)).isEmpty();
    assertThat(Pipeline.diversityWarnings(2, r1, Map.of("distinct2", 0.75, "vendiPerExample", 0.48, "selfSimilarity", 0.42))).isEmpty();
    assertThat(Pipeline.diversityWarnings(2, r1, Map.of("distinct2", 0.6, "vendiPerExample", 0.3, "selfSimilarity", 0.6)))
        .hasSize(3).allMatch(w -> w.startsWith("round 2: diversity falling"));
  }
}
