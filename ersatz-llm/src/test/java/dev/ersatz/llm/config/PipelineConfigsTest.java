package dev.ersatz.llm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PipelineConfigsTest {
  static final String GOOD = """
      seed: 7
      outputDir: out
      rounds: 2
      endpoints:
        - name: gen
          type: openai
          baseUrl: http://127.0.0.1:8000/v1
          model: tiny
          apiKeyEnv: MY_KEY
          temperature: 0.5
          topP: 0.9
          maxTokens: 256
          concurrency: 2
          requestsPerMinute: 600
      strategy:
        type: self-instruct
        generator: gen
        perRound: 20
        seedTasks: seeds.jsonl
      filters:
        judge: {endpoint: gen, threshold: 5}
      review: {sampleRate: 0.05, minSample: 3}
      budget: {maxTokens: 100000, maxCost: 2.5}
      """;

  @Test
  void readsYaml() {
    PipelineConfig c = PipelineConfigs.parse(GOOD, Path.of("/tmp/p/pipeline.yaml"));
    assertThat(c.seed()).isEqualTo(7);
    assertThat(c.outputDir()).isEqualTo(Path.of("/tmp/p/out"));
    assertThat(c.endpoints()).hasSize(1);
    var e = c.endpoints().get(0);
    assertThat(e.temperature()).isEqualTo(0.5);
    assertThat(e.apiKeyEnv()).isEqualTo("MY_KEY");
    assertThat(c.strategy().seedTasks()).isEqualTo(Path.of("/tmp/p/seeds.jsonl"));
    assertThat(c.filters().noveltyRougeL()).isEqualTo(0.7);
    assertThat(c.filters().judgeEndpoint()).isEqualTo("gen");
    assertThat(c.review().sampleRate()).isEqualTo(0.05);
    assertThat(c.budget().maxCost()).isEqualTo(2.5);
  }

  @Test
  void configToProvenanceToConfigRoundTrips() {
    PipelineConfig c = PipelineConfigs.parse(GOOD.replace("  judge: {endpoint: gen, threshold: 5}\n",
        "  judge: {endpoint: gen, threshold: 5}\n  jsonSchema: {type: object, required: [a], properties: {a: {maxLength: 3}}}\n"),
        Path.of("/tmp/p/pipeline.yaml"));
    String json = dev.ersatz.core.json.Json.write(PipelineConfigs.toJson(c));
    PipelineConfig back = PipelineConfigs.parse(json, Path.of("/tmp/p/pipeline.json"));
    assertThat(back).isEqualTo(new PipelineConfig(back.file(), c.seed(), c.outputDir(), c.rounds(), c.endpoints(),
        c.strategy(), c.filters(), c.review(), c.budget()));
  }

  @Test
  void readsJson() {
    String json = """
        {"outputDir": "o", "endpoints": [{"name": "a", "type": "ollama", "baseUrl": "http://localhost:11434", "model": "m"}],
         "strategy": {"type": "topics", "generator": "a", "topics": ["tides"]}}
        """;
    PipelineConfig c = PipelineConfigs.parse(json, Path.of("/tmp/p.json"));
    assertThat(c.endpoints().get(0).type()).isEqualTo("ollama");
    assertThat(c.strategy().topics()).containsExactly("tides");
    assertThat(c.rounds()).isEqualTo(3);
  }

  @Test
  void errorsNameTheField() {
    assertThatThrownBy(() -> PipelineConfigs.parse(GOOD.replace("temperature: 0.5", "temperature: 5"), Path.of("p.yaml")))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("p.yaml")
        .hasMessageContaining("endpoints[0].temperature")
        .hasMessageContaining("[0, 2]");
    assertThatThrownBy(() -> PipelineConfigs.parse(GOOD.replace("perRound", "perRond"), Path.of("p.yaml")))
        .hasMessageContaining("strategy.perRond").hasMessageContaining("not a known setting");
    assertThatThrownBy(() -> PipelineConfigs.parse(GOOD.replace("generator: gen", "generator: nope"), Path.of("p.yaml")))
        .hasMessageContaining("strategy.generator").hasMessageContaining("nope");
    assertThatThrownBy(() -> PipelineConfigs.parse(GOOD.replace("type: openai", "type: claude"), Path.of("p.yaml")))
        .hasMessageContaining("endpoints[0].type").hasMessageContaining("openai, ollama");
    assertThatThrownBy(() -> PipelineConfigs.parse(GOOD.replace("    model: tiny\n", ""), Path.of("p.yaml")))
        .hasMessageContaining("endpoints[0].model").hasMessageContaining("required");
    assertThatThrownBy(() -> PipelineConfigs.parse("a: [", Path.of("p.yaml")))
        .isInstanceOf(UserInputException.class).hasMessageContaining("line");
  }

  @Test
  void keysAreNeverEchoed() {
    String secret = "sk-THISISASECRET123";
    assertThatThrownBy(() -> PipelineConfigs.parse(GOOD.replace("apiKeyEnv: MY_KEY", "apiKeyEnv: " + secret + "-x"), Path.of("p.yaml")))
        .hasMessageContaining("apiKeyEnv").hasMessageNotContaining(secret);
    assertThatThrownBy(() -> PipelineConfigs.parse(GOOD.replace("apiKeyEnv: MY_KEY", "apiKey: " + secret), Path.of("p.yaml")))
        .hasMessageContaining("apiKey").hasMessageNotContaining(secret);
  }
}
