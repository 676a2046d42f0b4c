package dev.ersatz.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.llm.config.PipelineConfigs;
import dev.ersatz.llm.endpoint.Cassette;
import dev.ersatz.llm.testing.HashingEmbedder;
import dev.ersatz.llm.testing.InstructResponder;
import dev.ersatz.llm.testing.ScriptedLlmServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KillAndResumeTest {
  static final Map<String, String> ENV = Map.of("ERSATZ_TEST_KEY", "k");

  static Pipeline.Options opts() {
    return new Pipeline.Options(ENV::get, HashingEmbedder::new, Cassette.Mode.AUTO, 10, 200);
  }

  static long exampleLines(Path journal) throws Exception {
    if (!Files.exists(journal)) {
      return 0;
    }
    return Files.readAllLines(journal, StandardCharsets.UTF_8).stream().filter(l -> l.contains("\"type\":\"example\"")).count();
  }

  @Test
  void killedRunResumesWithNoLostAndNoDuplicatedExamples(@TempDir Path dir) throws Exception {
    ScriptedLlmServer server = ScriptedLlmServer.start(new InstructResponder(15));
    try {
      Path refCfg = Fixtures.config(dir, server.openAiBaseUrl(), "reference", 3, 30, "self-instruct");
      RunResult ref = Pipeline.of(PipelineConfigs.read(refCfg), opts()).run(ProgressListener.NONE);
      List<Example> expected = List.copyOf(Journal.open(dir.resolve("reference")).examples.values());
      assertThat(expected).hasSizeGreaterThan(30);

      Path cfg = Fixtures.config(dir, server.openAiBaseUrl(), "killed", 3, 30, "self-instruct");
      Path journal = dir.resolve("killed/journal.jsonl");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          ResumeChild.class.getName(), cfg.toString());
      pb.environment().put("ERSATZ_TEST_KEY", "k");
      pb.redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
      Process child = pb.start();
      long killAt = expected.size() / 2;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (child.isAlive() && exampleLines(journal) < killAt && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(child.isAlive()).as("child still running when killed (see child.log)").isTrue();
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
      long before = exampleLines(journal);
      assertThat(before).isGreaterThan(0).isLessThan(expected.size());

      RunResult resumed = Pipeline.of(PipelineConfigs.read(cfg), opts()).run(ProgressListener.NONE);
      assertThat(resumed.roundsCompleted()).isEqualTo(3);
      List<Example> got = List.copyOf(Journal.open(dir.resolve("killed")).examples.values());
      assertThat(got).containsExactlyElementsOf(expected);
      // no duplicated lines in the append-only journal
      List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
      Set<String> ids = new HashSet<>();
      for (String l : lines) {
        if (l.contains("\"type\":\"example\"")) {
          assertThat(ids.add(dev.ersatz.core.json.Json.parseObject(l).raw().get("example").toString())).isTrue();
        }
      }
      assertThat(ids).hasSize(expected.size());
      assertThat(resumed.kept()).isEqualTo(ref.kept());

      // the same run repeats offline, exactly, from its cassette
      server.close();
      Path replayCfg = dir.resolve("replay.yaml");
      Files.writeString(replayCfg, Files.readString(cfg).replace("outputDir: killed", "outputDir: replayed"));
      Files.createDirectories(dir.resolve("replayed"));
      Files.copy(dir.resolve("killed/calls.jsonl"), dir.resolve("replayed/calls.jsonl"));
      Pipeline.Options offline = new Pipeline.Options(ENV::get, HashingEmbedder::new, Cassette.Mode.REPLAY, 10, 200);
      Pipeline.of(PipelineConfigs.read(replayCfg), offline).run(ProgressListener.NONE);
      assertThat(List.copyOf(Journal.open(dir.resolve("replayed")).examples.values())).containsExactlyElementsOf(expected);
    } finally {
      server.close();
    }
  }

  @Test
  void refusesToResumeAChangedConfig(@TempDir Path dir) throws Exception {
    try (ScriptedLlmServer server = ScriptedLlmServer.start(new InstructResponder())) {
      Path cfg = Fixtures.config(dir, server.openAiBaseUrl(), "run", 1, 5, "self-instruct");
      Pipeline.of(PipelineConfigs.read(cfg), opts()).run(ProgressListener.NONE);
      Files.writeString(cfg, Files.readString(cfg).replace("seed: 11", "seed: 12"));
      assertThatThrownBy(() -> Pipeline.of(PipelineConfigs.read(cfg), opts()).run(ProgressListener.NONE))
          .isInstanceOf(UserInputException.class).hasMessageContaining("different config");
    }
  }
}
