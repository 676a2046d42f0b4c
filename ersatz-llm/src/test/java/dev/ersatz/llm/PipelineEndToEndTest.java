package dev.ersatz.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.json.Json;
import dev.ersatz.llm.config.PipelineConfigs;
import dev.ersatz.llm.endpoint.Cassette;
import dev.ersatz.llm.filter.MiniLmEmbedder;
import dev.ersatz.llm.review.ReviewItem;
import dev.ersatz.llm.review.ReviewQueue;
import dev.ersatz.llm.testing.InstructResponder;
import dev.ersatz.llm.testing.ScriptedLlmServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineEndToEndTest {
  static final String KEY = "sk-e2e-SECRET-987654321";

  @Test
  void threeRoundsWithLineageAndReviewGate(@TempDir Path dir) throws Exception {
    List<String> warnings = new ArrayList<>();
    RunResult result;
    try (ScriptedLlmServer server = ScriptedLlmServer.start(new InstructResponder())) {
      server.enqueue(new ScriptedLlmServer.RateLimited(1), new ScriptedLlmServer.ServerError(502));
      Path cfgFile = Fixtures.config(dir, server.openAiBaseUrl(), "run", 3, 40, "self-instruct");
      Map<String, String> env = Map.of("ERSATZ_TEST_KEY", KEY);
      Pipeline p = Pipeline.of(PipelineConfigs.read(cfgFile),
          new Pipeline.Options(env::get, MiniLmEmbedder::create, Cassette.Mode.AUTO, 10, 200));
      result = p.run(new ProgressListener() {
        @Override
        public void warning(String message) {
          warnings.add(message);
        }
      });
      assertThat(server.requests().stream().filter(r -> r.model().equals("scripted-gen")))
          .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + KEY));
    }
    Path run = dir.resolve("run");
    assertThat(result.roundsCompleted()).isEqualTo(3);
    assertThat(result.kept()).isGreaterThan(20);
    // nothing reviewed yet: the gate blocks every round
    assertThat(result.promoted()).isZero();
    assertThat(result.gate()).allSatisfy(s -> assertThat(s.promotable()).isFalse());
    assertThat(Files.readString(run.resolve("corpus/chat.jsonl"))).isEmpty();
    String manifest = Files.readString(run.resolve("manifest.json"));
    assertThat(manifest).contains("blocked").doesNotContain(KEY);
    assertThat(Files.readString(run.resolve("journal.jsonl"))).doesNotContain(KEY);
    assertThat(Files.readString(run.resolve("calls.jsonl"))).doesNotContain(KEY);

    // round 1: one edit, the rest accepted -> promoted; round 2: one reject in a sample of 5 ->
    // the 90% Clopper-Pearson bound 0.584 is above 0.5 -> blocked; round 3 unreviewed -> blocked
    ReviewQueue q = ReviewQueue.open(run);
    assertThat(q.rounds()).containsExactly(1, 2, 3);
    List<ReviewItem> r1 = q.pending(1);
    assertThat(r1).hasSizeGreaterThanOrEqualTo(5);
    q.edit(1, r1.get(0).exampleId(), "alice", r1.get(0).instruction(), "", "An edited, better answer.");
    for (ReviewItem i : r1.subList(1, r1.size())) {
      q.accept(1, i.exampleId(), "alice");
    }
    List<ReviewItem> r2 = q.pending(2);
    assertThat(r2).hasSize(5);
    q.reject(2, r2.get(0).exampleId(), "bob", "wrong");
    for (ReviewItem i : r2.subList(1, r2.size())) {
      q.accept(2, i.exampleId(), "bob");
    }
    assertThat(q.pending(1)).isEmpty();
    assertThat(q.status(3).promotable()).isFalse();
    Publication pub = Pipeline.publish(run);
    assertThat(pub.gate().get(0).promotable()).as(pub.gate().get(0).explain()).isTrue();
    assertThat(pub.gate().get(1).promotable()).isFalse();
    assertThat(pub.gate().get(1).explain()).contains("1 of 5 rejected");
    assertThat(pub.gate().get(2).promotable()).isFalse();
    assertThat(pub.gate().get(2).explain()).contains("0 of");

    Journal j = Journal.open(run);
    int expected = j.examplesOfRound(1).size();
    assertThat(pub.promoted()).isEqualTo(expected);

    List<String> lineage = Files.readAllLines(run.resolve("corpus/lineage.jsonl"), StandardCharsets.UTF_8);
    assertThat(lineage).hasSize(expected);
    for (String line : lineage) {
      Lineage l = Lineage.fromJson(asMap(Json.parseObject(line).raw().get("lineage")));
      assertThat(l.round()).isEqualTo(1);
      assertThat(l.endpoint()).isEqualTo("gen");
      assertThat(l.model()).isEqualTo("scripted-gen");
      assertThat(l.strategy()).isEqualTo("self-instruct");
      assertThat(l.templates()).isNotEmpty().allSatisfy((k, v) -> assertThat(v).matches("[0-9a-f]{64}"));
      assertThat(l.contextIds()).isNotEmpty();
      assertThat(l.requestIds()).hasSize(3);
      assertThat(l.stratum()).isIn("classification", "generation");
      assertThat(l.filterScores()).containsKeys("heuristics", "novelty", "semantic", "judge");
      assertThat(l.judgeModel()).isEqualTo("scripted-judge");
      assertThat(l.reviewVerdict()).isIn("accept", "edit", "not-sampled");
      assertThat(l.parentId()).isNull();
    }
    assertThat(Files.readString(run.resolve("corpus/alpaca.jsonl"))).contains("An edited, better answer.");
    assertThat(Files.readString(run.resolve("corpus/chat.jsonl"))).contains("\"role\":\"assistant\"");
    // round metrics are in the manifest
    String m2 = Files.readString(run.resolve("manifest.json"));
    assertThat(m2).contains("distinct2", "vendi", "selfSimilarity", "seedCoverage", "judgeScores", "humanShareInPrompts",
        "rejectedBy", "humanRejectRate", "promoted");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }
}
