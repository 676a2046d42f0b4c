package dev.ersatz.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.llm.config.PipelineConfigs;
import dev.ersatz.llm.endpoint.Cassette;
import dev.ersatz.llm.testing.HashingEmbedder;
import dev.ersatz.llm.testing.InstructResponder;
import dev.ersatz.llm.testing.ScriptedLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineBudgetAndStrategiesTest {
  static final Map<String, String> ENV = Map.of("ERSATZ_TEST_KEY", "k");

  static Pipeline.Options opts() {
    return new Pipeline.Options(ENV::get, HashingEmbedder::new, Cassette.Mode.AUTO, 10, 200);
  }

  @Test
  void budgetStopsTheRunCleanlyAndStaysStoppedOnResume(@TempDir Path dir) throws Exception {
    try (ScriptedLlmServer server = ScriptedLlmServer.start(new InstructResponder())) {
      Path cfg = Fixtures.config(dir, server.openAiBaseUrl(), "run", 3, 20, "self-instruct");
      Files.writeString(cfg, Files.readString(cfg) + "budget: {maxTokens: 3000}\n");
      RunResult r = Pipeline.of(PipelineConfigs.read(cfg), opts()).run(ProgressListener.NONE);
      assertThat(r.stoppedByBudget()).isTrue();
      assertThat(r.roundsCompleted()).isLessThan(3);
      assertThat(r.warnings()).anyMatch(w -> w.contains("budget"));
      assertThat(Files.readString(dir.resolve("run/manifest.json"))).contains("stoppedByBudget");
      int calls = server.requests().size();
      RunResult again = Pipeline.of(PipelineConfigs.read(cfg), opts()).run(ProgressListener.NONE);
      assertThat(again.stoppedByBudget()).isTrue();
      assertThat(again.kept()).isEqualTo(r.kept());
      assertThat(server.requests()).hasSize(calls);
    }
  }

  @Test
  void evolInstructAndTopicsRunEndToEnd(@TempDir Path dir) throws Exception {
    try (ScriptedLlmServer server = ScriptedLlmServer.start(new InstructResponder())) {
      for (String strategy : new String[] {"evol-instruct", "topics"}) {
        Path cfg = Fixtures.config(dir, server.openAiBaseUrl(), strategy, 2, 12, strategy);
        RunResult r = Pipeline.of(PipelineConfigs.read(cfg), opts()).run(ProgressListener.NONE);
        assertThat(r.roundsCompleted()).isEqualTo(2);
        assertThat(r.kept()).as(strategy).isPositive();
        Journal j = Journal.open(dir.resolve(strategy));
        for (Example e : j.examples.values()) {
          assertThat(e.lineage().strategy()).isEqualTo(strategy);
          if (strategy.equals("evol-instruct")) {
            assertThat(e.lineage().parentId()).isNotNull();
          } else {
            assertThat(e.lineage().stratum()).isIn("tides", "bread", "chess");
          }
        }
      }
    }
  }
}
