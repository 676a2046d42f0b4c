package dev.ersatz.llm.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated LLM data pipeline configuration, read from YAML or JSON by {@link PipelineConfigs}.
 *
 * <p>Holds no secret: endpoints name the environment variable that holds their API key, and the
 * key is read only when a client is built.
 *
 * @param file the file the config was read from (relative paths resolve against its folder)
 * @param seed the run's seed; every random choice derives from it
 * @param outputDir where the run's journal, corpus, review queue and manifest are written
 * @param rounds number of generation rounds (at least 1)
 * @param endpoints the model endpoints, by unique name
 * @param strategy the generation strategy and its settings
 * @param filters the filter chain settings
 * @param review the human review gate settings
 * @param budget the token and cost budget
 */
public record PipelineConfig(
    Path file,
    long seed,
    Path outputDir,
    int rounds,
    List<Endpoint> endpoints,
    Strategy strategy,
    Filters filters,
    Review review,
    Budget budget) {

  /** Current config format version; files must say {@code version: 1} or omit it. */
  public static final int VERSION = 1;

  /**
   * Finds an endpoint by name.
   *
   * @param name the endpoint's name
   * @return the endpoint, or empty when no endpoint has that name
   */
  public Optional<Endpoint> endpoint(String name) {
    return endpoints.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * One model endpoint.
   *
   * @param name unique name used by {@code strategy.generator} and {@code filters.judge.endpoint}
   * @param type {@code openai} (any OpenAI-compatible server) or {@code ollama} (native API)
   * @param baseUrl the server's base URL, e.g. {@code http://localhost:11434}
   * @param model the model name
   * @param apiKeyEnv the name of the environment variable holding the API key, or null for none;
   *     never the key itself
   * @param temperature sampling temperature in [0, 2]
   * @param topP nucleus sampling mass in (0, 1]
   * @param maxTokens maximum tokens per completion
   * @param concurrency maximum requests in flight
   * @param requestsPerMinute rate limit; 0 means unlimited
   * @param timeoutSeconds per-request timeout
   * @param maxRetries retries on 429, 5xx and timeouts
   * @param costPerMillionInputTokens price of a million prompt tokens, for the cost budget
   * @param costPerMillionOutputTokens price of a million completion tokens
   */
  public record Endpoint(
      String name,
      String type,
      String baseUrl,
      String model,
      String apiKeyEnv,
      double temperature,
      double topP,
      int maxTokens,
      int concurrency,
      int requestsPerMinute,
      int timeoutSeconds,
      int maxRetries,
      double costPerMillionInputTokens,
      double costPerMillionOutputTokens) {}

  /**
   * The generation strategy.
   *
   * @param type {@code self-instruct}, {@code evol-instruct} or {@code topics}
   * @param generator name of the endpoint that generates
   * @param perRound candidates requested per round
   * @param seedTasks seed tasks JSONL (self-instruct, evol-instruct), or null
   * @param humanExamples in-context human seed examples per prompt (self-instruct)
   * @param machineExamples in-context machine examples per prompt (self-instruct)
   * @param templatesDir folder of prompt templates overriding the built-in ones, or null
   * @param topics topics for the grid (topics strategy)
   * @param audiences audiences for the grid (topics strategy)
   * @param styles styles for the grid (topics strategy)
   */
  public record Strategy(
      String type,
      String generator,
      int perRound,
      Path seedTasks,
      int humanExamples,
      int machineExamples,
      Path templatesDir,
      List<String> topics,
      List<String> audiences,
      List<String> styles) {}

  /**
   * The filter chain, applied in this order: heuristics, JSON schema, novelty, semantic dedup,
   * judge.
   *
   * @param minWords minimum words in an instruction (heuristics)
   * @param maxWords maximum words in an instruction (heuristics)
   * @param maxOutputWords maximum words in an output (heuristics)
   * @param blockedKeywords instructions containing one of these words are rejected
   * @param noveltyRougeL reject when ROUGE-L F against the pool exceeds this (Self-Instruct 0.7)
   * @param semanticDedup whether to run MiniLM cosine dedup
   * @param cosineThreshold reject when cosine similarity to the pool is at least this
   * @param judgeEndpoint endpoint name of the LLM judge, or null for no judge
   * @param judgeRubric the rubric text given to the judge
   * @param judgeThreshold minimum judge score (1-10) to keep a candidate
   * @param jsonSchema a JSON schema the outputs must satisfy (simple subset), or null
   */
  public record Filters(
      int minWords,
      int maxWords,
      int maxOutputWords,
      List<String> blockedKeywords,
      double noveltyRougeL,
      boolean semanticDedup,
      double cosineThreshold,
      String judgeEndpoint,
      String judgeRubric,
      double judgeThreshold,
      Map<String, Object> jsonSchema) {}

  /**
   * The human review gate.
   *
   * @param sampleRate share of each round's kept examples drawn for review
   * @param minSample minimum sample size per round
   * @param maxRejectRate promote a round only if the reject rate is below this...
   * @param confidence ...with this confidence (Clopper-Pearson upper bound)
   */
  public record Review(double sampleRate, int minSample, double maxRejectRate, double confidence) {}

  /**
   * The run's budget; the run stops cleanly when either is exhausted.
   *
   * @param maxTokens total prompt+completion tokens; 0 means unlimited
   * @param maxCost total cost in the endpoints' price unit; 0 means unlimited
   */
  public record Budget(long maxTokens, double maxCost) {}
}
