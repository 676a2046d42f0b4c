package dev.ersatz.llm.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.llm.config.PipelineConfig;
import dev.ersatz.llm.testing.ScriptedLlmServer;
import dev.ersatz.llm.testing.ScriptedLlmServer.ConnectionReset;
import dev.ersatz.llm.testing.ScriptedLlmServer.RateLimited;
import dev.ersatz.llm.testing.ScriptedLlmServer.ServerError;
import dev.ersatz.llm.testing.ScriptedLlmServer.Slow;
import dev.ersatz.llm.testing.ScriptedLlmServer.TruncatedJson;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointsTest {
  static final String SECRET = "sk-test-SECRET-0123456789";
  ScriptedLlmServer server;

  @BeforeEach
  void start() throws Exception {
    server = ScriptedLlmServer.start(r -> "echo: " + r.user());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static PipelineConfig.Endpoint cfg(String type, String url, int timeoutSeconds, int retries) {
    return new PipelineConfig.Endpoint("gen", type, url, "tiny-model", "TEST_KEY", 0.5, 0.9, 64, 2, 0,
        timeoutSeconds, retries, 1.0, 2.0);
  }

  static Endpoints.Options opts(Budget b, Cassette c) {
    Map<String, String> env = Map.of("TEST_KEY", SECRET);
    return new Endpoints.Options(env::get, b, c, 42, 10, 200);
  }

  @Test
  void openAiCompatibleCallWithKeyNeverExposed() {
    LlmEndpoint e = Endpoints.of(cfg("openai", server.openAiBaseUrl(), 10, 2), opts(Budget.unlimited(), null));
    Completion c = e.complete(new Prompt("r1/0", "be brief", "say hi"));
    assertThat(c.ok()).isTrue();
    assertThat(c.text()).isEqualTo("echo: say hi");
    assertThat(c.inputTokens()).isEqualTo(4);
    assertThat(c.outputTokens()).isEqualTo(3);
    assertThat(c.cost()).isEqualTo(4 * 1.0 / 1e6 + 3 * 2.0 / 1e6);
    assertThat(server.requests().get(0).authorization()).isEqualTo("Bearer " + SECRET);
    assertThat(server.requests().get(0).model()).isEqualTo("tiny-model");
    assertThat(e.toString()).doesNotContain(SECRET);
    assertThat(e.describe().toString()).doesNotContain(SECRET).contains("tiny-model");
  }

  @Test
  void ollamaNative() {
    LlmEndpoint e = Endpoints.of(cfg("ollama", server.ollamaBaseUrl(), 10, 0), opts(Budget.unlimited(), null));
    Completion c = e.complete(new Prompt("r1/0", "", "hello there"));
    assertThat(c.ok()).isTrue();
    assertThat(c.text()).isEqualTo("echo: hello there");
    assertThat(server.requests().get(0).path()).isEqualTo("/api/chat");
  }

  @Test
  void retriesHonourRetryAfterAndServerErrors() {
    LlmEndpoint e = Endpoints.of(cfg("openai", server.openAiBaseUrl(), 10, 3), opts(Budget.unlimited(), null));
    server.enqueue(new RateLimited(1), new ServerError(503), new ConnectionReset());
    long t0 = System.nanoTime();
    Completion c = e.complete(new Prompt("r1/0", "", "x"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(c.ok()).as(c.failure()).isTrue();
    assertThat(server.requests()).hasSize(4);
    assertThat(ms).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(1000);
  }

  @Test
  void failuresAreReasonsNotNullsOrHangs() {
    LlmEndpoint e = Endpoints.of(cfg("openai", server.openAiBaseUrl(), 1, 1), opts(Budget.unlimited(), null));
    server.enqueue(new TruncatedJson());
    Completion c = e.complete(new Prompt("r1/0", "", "x"));
    assertThat(c.ok()).isFalse();
    assertThat(c.failure()).isNotBlank().doesNotContain(SECRET);
    assertThat(c.text()).isEmpty();

    server.enqueue(new ServerError(500), new ServerError(500));
    Completion c2 = e.complete(new Prompt("r1/1", "", "x"));
    assertThat(c2.ok()).isFalse();
    assertThat(c2.failure()).contains("500");

    server.enqueue(new Slow(3000), new Slow(3000));
    long t0 = System.nanoTime();
    Completion c3 = e.complete(new Prompt("r1/2", "", "x"));
    assertThat(c3.ok()).isFalse();
    assertThat(c3.failure()).contains("timed out");
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(6.0);
  }

  @Test
  void budgetStopsCalls() {
    Budget b = Budget.of(10, 0);
    LlmEndpoint e = Endpoints.of(cfg("openai", server.openAiBaseUrl(), 10, 0), opts(b, null));
    assertThat(e.complete(new Prompt("a", "", "one two three four five")).ok()).isTrue(); // 5 + 6 tokens
    assertThat(b.tokens()).isEqualTo(11);
    assertThatThrownBy(() -> e.complete(new Prompt("b", "", "more"))).isInstanceOf(BudgetExhaustedException.class)
        .hasMessageContaining("11 of 10 tokens");
  }

  @Test
  void recordThenReplayOffline(@TempDir Path dir) {
    Path file = dir.resolve("calls.jsonl");
    Cassette rec = Cassette.open(file, Cassette.Mode.RECORD);
    LlmEndpoint e = Endpoints.of(cfg("openai", server.openAiBaseUrl(), 10, 0), opts(Budget.unlimited(), rec));
    String a = e.complete(new Prompt("r1/0", "", "alpha")).text();
    String b = e.complete(new Prompt("r1/1", "", "alpha")).text();
    server.enqueue(new ServerError(500));
    Completion failed = e.complete(new Prompt("r1/2", "", "gamma"));
    assertThat(failed.ok()).isFalse();
    server.close();

    Cassette play = Cassette.open(file, Cassette.Mode.REPLAY);
    assertThat(play.size()).isEqualTo(3);
    Map<String, String> noEnv = Map.of();
    LlmEndpoint replay = Endpoints.of(cfg("openai", "http://127.0.0.1:9/v1", 10, 0),
        new Endpoints.Options(noEnv::get, Budget.unlimited(), play, 42, 10, 200));
    assertThat(replay.complete(new Prompt("r1/0", "", "alpha")).text()).isEqualTo(a);
    assertThat(replay.complete(new Prompt("r1/1", "", "alpha")).text()).isEqualTo(b);
    assertThat(replay.complete(new Prompt("r1/2", "", "gamma")).failure()).isEqualTo(failed.failure());
    Completion miss = replay.complete(new Prompt("r9/9", "", "new"));
    assertThat(miss.ok()).isFalse();
    assertThat(miss.failure()).contains("no recording");
    assertThat(java.nio.file.Files.exists(file)).isTrue();
  }

  @Test
  void rateLimitSpacesRequests() {
    PipelineConfig.Endpoint c = new PipelineConfig.Endpoint("gen", "openai", server.openAiBaseUrl(), "m", null, 0.5, 0.9, 64,
        4, 600, 10, 0, 0, 0);
    LlmEndpoint e = Endpoints.of(c, opts(Budget.unlimited(), null));
    long t0 = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      assertThat(e.complete(new Prompt("r/" + i, "", "x")).ok()).isTrue();
    }
    // 600 per minute = one per 100 ms: the 5th request starts no earlier than 400 ms in
    assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(400);
  }

  @Test
  void missingKeyVariableIsAUserError() {
    Map<String, String> none = Map.of();
    assertThatThrownBy(() -> Endpoints.of(cfg("openai", server.openAiBaseUrl(), 10, 0),
        new Endpoints.Options(none::get, Budget.unlimited(), null, 1, 10, 100)))
        .isInstanceOf(UserInputException.class).hasMessageContaining("TEST_KEY");
  }
}
