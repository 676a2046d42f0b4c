package dev.ersatz.llm.endpoint;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.llm.config.PipelineConfig;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Builds {@link LlmEndpoint}s from config: OpenAI-compatible or native Ollama via LangChain4j. */
public final class Endpoints {
  private Endpoints() {}

  /**
   * Options shared by the endpoints of a run.
   *
   * @param env looks up environment variables (the API keys); {@code System::getenv} in production
   * @param budget the run's budget
   * @param cassette record/replay, or null for none
   * @param seed seeds the retry jitter
   * @param baseDelayMillis first backoff delay
   * @param maxDelayMillis backoff cap (Retry-After can exceed it)
   */
  public record Options(Function<String, String> env, Budget budget, Cassette cassette, long seed,
      long baseDelayMillis, long maxDelayMillis) {
    /**
     * Production defaults: real environment, 500 ms first backoff, 30 s cap.
     *
     * @param budget the run's budget
     * @param cassette record/replay, or null
     * @param seed jitter seed
     * @return options
     */
    public static Options defaults(Budget budget, Cassette cassette, long seed) {
      return new Options(System::getenv, budget, cassette, seed, 500, 30_000);
    }
  }

  /**
   * Builds an endpoint.
   *
   * @param c the endpoint's config
   * @param o the run's options
   * @return the endpoint
   * @throws UserInputException when the named API key variable is not set
   */
  public static LlmEndpoint of(PipelineConfig.Endpoint c, Options o) {
    String key = null;
    if (c.apiKeyEnv() != null) {
      key = o.env().apply(c.apiKeyEnv());
      if ((key == null || key.isBlank()) && (o.cassette() == null || o.cassette().mode() != Cassette.Mode.REPLAY)) {
        throw new UserInputException("endpoint '" + c.name() + "': environment variable " + c.apiKeyEnv()
            + " (apiKeyEnv) is not set; export it before running");
      }
    }
    Duration timeout = Duration.ofSeconds(c.timeoutSeconds());
    ReliableHttpClient http = new ReliableHttpClient(c.name(), timeout, c.maxRetries(), o.baseDelayMillis(),
        o.maxDelayMillis(), RandomSource.of(o.seed()).split("retry").split(c.name()), c.concurrency(),
        c.requestsPerMinute(), o.cassette(), Thread::sleep);
    HttpClientBuilder hb = new FixedHttpClientBuilder(http, timeout);
    ChatModel model;
    if (c.type().equals("ollama")) {
      model = OllamaChatModel.builder()
          .httpClientBuilder(hb)
          .baseUrl(c.baseUrl())
          .modelName(c.model())
          .temperature(c.temperature())
          .topP(c.topP())
          .numPredict(c.maxTokens())
          .timeout(timeout)
          .maxRetries(0)
          .build();
    } else {
      model = OpenAiChatModel.builder()
          .httpClientBuilder(hb)
          .baseUrl(c.baseUrl())
          .apiKey(key == null || key.isBlank() ? "none" : key)
          .modelName(c.model())
          .temperature(c.temperature())
          .topP(c.topP())
          .maxTokens(c.maxTokens())
          .timeout(timeout)
          .maxRetries(0)
          .logRequests(false)
          .logResponses(false)
          .build();
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("temperature", c.temperature());
    settings.put("topP", c.topP());
    settings.put("maxTokens", (long) c.maxTokens());
    settings.put("concurrency", (long) c.concurrency());
    settings.put("requestsPerMinute", (long) c.requestsPerMinute());
    return new LangChainEndpoint(c.name(), c.type(), c.model(), c.baseUrl(), model, o.budget(),
        c.costPerMillionInputTokens(), c.costPerMillionOutputTokens(), settings);
  }

  /** Hands LangChain4j our reliable client. */
  private static final class FixedHttpClientBuilder implements HttpClientBuilder {
    private final HttpClient client;
    private Duration connect;
    private Duration read;

    FixedHttpClientBuilder(HttpClient client, Duration timeout) {
      this.client = client;
      this.connect = timeout;
      this.read = timeout;
    }

    @Override
    public Duration connectTimeout() {
      return connect;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration d) {
      connect = d;
      return this;
    }

    @Override
    public Duration readTimeout() {
      return read;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration d) {
      read = d;
      return this;
    }

    @Override
    public HttpClient build() {
      return client;
    }
  }
}
