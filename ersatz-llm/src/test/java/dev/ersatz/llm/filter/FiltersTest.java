package dev.ersatz.llm.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.json.Json;
import dev.ersatz.llm.config.PipelineConfigs;
import dev.ersatz.llm.strategy.Candidate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiltersTest {
  static Candidate c(String instruction, String output) {
    return new Candidate(0, instruction, "", output, null, false, "s", null, List.of(), Map.of(), List.of(), "g", "m");
  }

  @Test
  void heuristics() {
    HeuristicFilter h = HeuristicFilter.of(3, 20, 50, PipelineConfigs.DEFAULT_BLOCKED);
    assertThat(h.apply(1, c("Write a poem about rain.", "Rain falls.")).pass()).isTrue();
    assertThat(h.apply(1, c("Draw a map of the town.", "ok")).reason()).contains("blocked keyword 'map'");
    assertThat(h.apply(1, c("Plot the graph of sales.", "ok")).reason()).contains("blocked");
    assertThat(h.apply(1, c("Describe the mapping of keys.", "ok")).pass()).as("whole words only").isTrue();
    assertThat(h.apply(1, c("Hi there", "ok")).reason()).contains("2 words");
    assertThat(h.apply(1, c("- Write a poem about rain.", "ok")).reason()).contains("starts with '-'");
    assertThat(h.apply(1, c("Écris un poème sur la pluie.", "ok")).reason()).contains("non-ASCII");
    assertThat(h.apply(1, c("Write a poem about rain.", "")).reason()).contains("empty output");
    Candidate truncated = new Candidate(0, "Write a poem about rain.", "", "Rain", null, true, "s", null, List.of(), Map.of(), List.of(), "g", "m");
    assertThat(h.apply(1, truncated).reason()).contains("token limit");
    Candidate failed = new Candidate(0, "", "", "", "timed out", false, "s", null, List.of(), Map.of(), List.of(), "g", "m");
    assertThat(h.apply(1, failed).reason()).contains("timed out");
  }

  @Test
  void jsonSchemaSubset() {
    Map<String, Object> schema = Json.parseObject("""
        {"type": "object", "required": ["answer", "confidence"], "additionalProperties": false,
         "properties": {"answer": {"type": "string", "minLength": 1},
                        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                        "tags": {"type": "array", "items": {"enum": ["a", "b"]}}}}
        """).raw();
    JsonSchemaFilter f = JsonSchemaFilter.of(schema);
    assertThat(f.apply(1, c("x y z", "{\"answer\": \"yes\", \"confidence\": 0.5, \"tags\": [\"a\"]}")).pass()).isTrue();
    assertThat(f.apply(1, c("x y z", "```json\n{\"answer\": \"yes\", \"confidence\": 1}\n```")).pass()).isTrue();
    assertThat(f.apply(1, c("x y z", "{\"answer\": \"yes\"}")).reason()).contains("confidence");
    assertThat(f.apply(1, c("x y z", "{\"answer\": \"yes\", \"confidence\": 2}")).reason()).contains("above 1");
    assertThat(f.apply(1, c("x y z", "{\"answer\": \"\", \"confidence\": 0}")).reason()).contains("shorter");
    assertThat(f.apply(1, c("x y z", "{\"answer\": \"y\", \"confidence\": 0, \"x\": 1}")).reason()).contains("unexpected");
    assertThat(f.apply(1, c("x y z", "{\"answer\": \"y\", \"confidence\": 0, \"tags\": [\"c\"]}")).reason()).contains("tags[0]");
    assertThat(f.apply(1, c("x y z", "not json")).reason()).contains("not JSON");
  }

  @Test
  void judgeScoreParsing() {
    assertThat(JudgeFilter.parse("Score: 7\nGood.")).isEqualTo(7.0);
    assertThat(JudgeFilter.parse("I'd give it 8/10")).isEqualTo(8.0);
    assertThat(JudgeFilter.parse("score = 6.5")).isEqualTo(6.5);
    assertThat(JudgeFilter.parse("excellent")).isNull();
  }
}
