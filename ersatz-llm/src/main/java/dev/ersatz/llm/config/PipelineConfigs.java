package dev.ersatz.llm.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ersatz.core.UserInputException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates pipeline configs (YAML or JSON); errors name the file and the field. */
public final class PipelineConfigs {
  /** The Self-Instruct paper's blocked keywords (Wang et al. 2023, section 2.3). */
  public static final List<String> DEFAULT_BLOCKED =
      List.of("image", "images", "graph", "graphs", "picture", "pictures", "file", "files",
          "map", "maps", "draw", "plot", "go to", "video", "audio", "flowchart", "diagram");

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private PipelineConfigs() {}

  /**
   * Reads a config file; {@code .json} is parsed as JSON, anything else as YAML.
   *
   * @param file the config file
   * @return the validated config
   * @throws UserInputException when the file is missing, unparsable or invalid
   */
  public static PipelineConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserInputException("cannot read pipeline config " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file);
  }

  /**
   * Parses config text.
   *
   * @param text YAML or JSON text
   * @param file the file it came from (names it in errors, resolves relative paths)
   * @return the validated config
   * @throws UserInputException when the text is unparsable or invalid
   */
  public static PipelineConfig parse(String text, Path file) {
    String name = file.toString();
    ObjectMapper mapper = name.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new UserInputException(String.format(Locale.ROOT,
          "%s: cannot parse config at line %d, column %d: %s", name,
          loc == null ? -1 : loc.getLineNr(), loc == null ? -1 : loc.getColumnNr(), e.getOriginalMessage()), e);
    }
    Path base = file.toAbsolutePath().getParent();
    ConfigNode n = new ConfigNode(name, "", root);
    long version = n.integer("version", PipelineConfig.VERSION, 1, Integer.MAX_VALUE);
    if (version != PipelineConfig.VERSION) {
      throw n.error("version", "is " + version + " but this Ersatz reads version " + PipelineConfig.VERSION);
    }
    long seed = n.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
    Path out = base.resolve(n.string("outputDir", null));
    int rounds = (int) n.integer("rounds", 3, 1, 1000);
    List<PipelineConfig.Endpoint> endpoints = n.objects("endpoints").stream().map(PipelineConfigs::endpoint).toList();
    if (endpoints.isEmpty()) {
      throw n.error("endpoints", "must list at least one endpoint");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      if (!names.add(endpoints.get(i).name())) {
        throw n.error("endpoints[" + i + "].name", "'" + endpoints.get(i).name() + "' is used twice; names must be unique");
      }
    }
    ConfigNode s = n.object("strategy");
    if (s == null) {
      throw n.error("strategy", "is required");
    }
    PipelineConfig.Strategy strategy = strategy(s, base, names);
    ConfigNode f = n.object("filters");
    PipelineConfig.Filters filters = filters(f == null ? new ConfigNode(name, "filters", mapper.createObjectNode()) : f, names);
    ConfigNode r = n.object("review");
    PipelineConfig.Review review = review(r == null ? new ConfigNode(name, "review", mapper.createObjectNode()) : r);
    ConfigNode b = n.object("budget");
    PipelineConfig.Budget budget = b == null ? new PipelineConfig.Budget(0, 0) : budget(b);
    n.finish();
    return new PipelineConfig(file, seed, out, rounds, endpoints, strategy, filters, review, budget);
  }

  /**
   * The config as plain JSON values in the file format (paths absolute), for provenance. Parsing
   * it back with {@link #parse} gives an equal config. Holds no secret (only variable names).
   *
   * @param c the config
   * @return plain JSON values
   */
  public static Map<String, Object> toJson(PipelineConfig c) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("version", (long) PipelineConfig.VERSION);
    m.put("seed", c.seed());
    m.put("outputDir", c.outputDir().toString());
    m.put("rounds", (long) c.rounds());
    List<Object> eps = new java.util.ArrayList<>();
    for (PipelineConfig.Endpoint e : c.endpoints()) {
      Map<String, Object> x = new java.util.LinkedHashMap<>();
      x.put("name", e.name());
      x.put("type", e.type());
      x.put("baseUrl", e.baseUrl());
      x.put("model", e.model());
      if (e.apiKeyEnv() != null) {
        x.put("apiKeyEnv", e.apiKeyEnv());
      }
      x.put("temperature", e.temperature());
      x.put("topP", e.topP());
      x.put("maxTokens", (long) e.maxTokens());
      x.put("concurrency", (long) e.concurrency());
      x.put("requestsPerMinute", (long) e.requestsPerMinute());
      x.put("timeoutSeconds", (long) e.timeoutSeconds());
      x.put("maxRetries", (long) e.maxRetries());
      x.put("costPerMillionInputTokens", e.costPerMillionInputTokens());
      x.put("costPerMillionOutputTokens", e.costPerMillionOutputTokens());
      eps.add(x);
    }
    m.put("endpoints", eps);
    PipelineConfig.Strategy s = c.strategy();
    Map<String, Object> st = new java.util.LinkedHashMap<>();
    st.put("type", s.type());
    st.put("generator", s.generator());
    st.put("perRound", (long) s.perRound());
    if (s.seedTasks() != null) {
      st.put("seedTasks", s.seedTasks().toString());
    }
    st.put("humanExamples", (long) s.humanExamples());
    st.put("machineExamples", (long) s.machineExamples());
    if (s.templatesDir() != null) {
      st.put("templatesDir", s.templatesDir().toString());
    }
    st.put("topics", s.topics());
    st.put("audiences", s.audiences());
    st.put("styles", s.styles());
    m.put("strategy", st);
    PipelineConfig.Filters f = c.filters();
    Map<String, Object> fi = new java.util.LinkedHashMap<>();
    fi.put("minWords", (long) f.minWords());
    fi.put("maxWords", (long) f.maxWords());
    fi.put("maxOutputWords", (long) f.maxOutputWords());
    fi.put("blockedKeywords", f.blockedKeywords());
    fi.put("noveltyRougeL", f.noveltyRougeL());
    fi.put("semanticDedup", f.semanticDedup());
    fi.put("cosineThreshold", f.cosineThreshold());
    if (f.judgeEndpoint() != null) {
      Map<String, Object> j = new java.util.LinkedHashMap<>();
      j.put("endpoint", f.judgeEndpoint());
      j.put("rubric", f.judgeRubric());
      j.put("threshold", f.judgeThreshold());
      fi.put("judge", j);
    }
    if (f.jsonSchema() != null) {
      fi.put("jsonSchema", f.jsonSchema());
    }
    m.put("filters", fi);
    Map<String, Object> r = new java.util.LinkedHashMap<>();
    r.put("sampleRate", c.review().sampleRate());
    r.put("minSample", (long) c.review().minSample());
    r.put("maxRejectRate", c.review().maxRejectRate());
    r.put("confidence", c.review().confidence());
    m.put("review", r);
    Map<String, Object> b = new java.util.LinkedHashMap<>();
    b.put("maxTokens", c.budget().maxTokens());
    b.put("maxCost", c.budget().maxCost());
    m.put("budget", b);
    return m;
  }

  private static PipelineConfig.Endpoint endpoint(ConfigNode e) {
    if (e.has("apiKey")) {
      // never echo the value: it is probably a real key
      throw e.error(e.path("apiKey"), "is not allowed: put the key in an environment variable and name it in 'apiKeyEnv'");
    }
    String name = e.string("name", null);
    String type = e.choice("type", "openai", "openai", "ollama");
    String baseUrl = e.string("baseUrl", null);
    try {
      URI u = URI.create(baseUrl);
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
        throw new IllegalArgumentException("not http(s)");
      }
    } catch (IllegalArgumentException ex) {
      throw e.error(e.path("baseUrl"), "must be an http(s) URL such as http://localhost:8000/v1 but was '" + baseUrl + "'");
    }
    String model = e.string("model", null);
    String keyEnv = e.optString("apiKeyEnv");
    if (keyEnv != null && !ENV_NAME.matcher(keyEnv).matches()) {
      // never echo the value: users sometimes paste the key itself here
      throw e.error(e.path("apiKeyEnv"), "must be the NAME of an environment variable (letters, digits, _), not the key itself");
    }
    return new PipelineConfig.Endpoint(name, type, baseUrl, model, keyEnv,
        e.number("temperature", 0.7, 0, 2),
        e.number("topP", 1.0, Double.MIN_VALUE, 1),
        (int) e.integer("maxTokens", 1024, 1, 1_000_000),
        (int) e.integer("concurrency", 4, 1, 1024),
        (int) e.integer("requestsPerMinute", 0, 0, 1_000_000),
        (int) e.integer("timeoutSeconds", 60, 1, 3600),
        (int) e.integer("maxRetries", 4, 0, 100),
        e.number("costPerMillionInputTokens", 0, 0, 1e9),
        e.number("costPerMillionOutputTokens", 0, 0, 1e9));
  }

  private static PipelineConfig.Strategy strategy(ConfigNode s, Path base, Set<String> endpoints) {
    String type = s.choice("type", null, "self-instruct", "evol-instruct", "topics");
    String generator = s.string("generator", null);
    if (!endpoints.contains(generator)) {
      throw s.error(s.path("generator"), "names endpoint '" + generator + "' but the endpoints are " + endpoints);
    }
    int perRound = (int) s.integer("perRound", 100, 1, 10_000_000);
    String seedTasks = s.optString("seedTasks");
    if (seedTasks == null && !type.equals("topics")) {
      throw s.error(s.path("seedTasks"), "is required for strategy " + type + " (a JSONL file of seed tasks)");
    }
    String templates = s.optString("templatesDir");
    List<String> topics = s.strings("topics", List.of());
    List<String> audiences = s.strings("audiences", List.of("a general reader"));
    List<String> styles = s.strings("styles", List.of("a textbook section"));
    if (type.equals("topics") && topics.isEmpty()) {
      throw s.error(s.path("topics"), "must list at least one topic for strategy topics");
    }
    var out = new PipelineConfig.Strategy(type, generator, perRound,
        seedTasks == null ? null : base.resolve(seedTasks),
        (int) s.integer("humanExamples", 6, 0, 100),
        (int) s.integer("machineExamples", 2, 0, 100),
        templates == null ? null : base.resolve(templates),
        topics, audiences, styles);
    s.finish();
    return out;
  }

  private static PipelineConfig.Filters filters(ConfigNode f, Set<String> endpoints) {
    int minWords = (int) f.integer("minWords", 3, 0, 1_000_000);
    int maxWords = (int) f.integer("maxWords", 150, 1, 1_000_000);
    if (maxWords < minWords) {
      throw f.error(f.path("maxWords"), "(" + maxWords + ") must be >= minWords (" + minWords + ")");
    }
    int maxOut = (int) f.integer("maxOutputWords", 2000, 1, 10_000_000);
    List<String> blocked = f.strings("blockedKeywords", DEFAULT_BLOCKED);
    double rouge = f.number("noveltyRougeL", 0.7, 0, 1);
    boolean sem = f.bool("semanticDedup", true);
    double cos = f.number("cosineThreshold", 0.9, -1, 1);
    ConfigNode j = f.object("judge");
    String judgeEndpoint = null;
    String rubric = null;
    double judgeThreshold = 0;
    if (j != null) {
      judgeEndpoint = j.string("endpoint", null);
      if (!endpoints.contains(judgeEndpoint)) {
        throw j.error(j.path("endpoint"), "names endpoint '" + judgeEndpoint + "' but the endpoints are " + endpoints);
      }
      rubric = j.string("rubric", "Rate how helpful, correct, clear and self-contained the response is for the instruction.");
      judgeThreshold = j.number("threshold", 6, 1, 10);
      j.finish();
    }
    ConfigNode schema = f.object("jsonSchema");
    Map<String, Object> jsonSchema = null;
    if (schema != null) {
      jsonSchema = schemaMap(schema);
    }
    f.finish();
    return new PipelineConfig.Filters(minWords, maxWords, maxOut, blocked, rouge, sem, cos,
        judgeEndpoint, rubric, judgeThreshold, jsonSchema);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> schemaMap(ConfigNode schema) {
    // accepted as free-form: validated by the JSON schema filter itself
    return (Map<String, Object>) schema.raw();
  }

  private static PipelineConfig.Review review(ConfigNode r) {
    var out = new PipelineConfig.Review(
        r.number("sampleRate", 0.02, 0, 1),
        (int) r.integer("minSample", 30, 0, 1_000_000),
        r.number("maxRejectRate", 0.1, 0, 1),
        r.number("confidence", 0.95, 0.5, 0.9999));
    r.finish();
    return out;
  }

  private static PipelineConfig.Budget budget(ConfigNode b) {
    var out = new PipelineConfig.Budget(
        b.integer("maxTokens", 0, 0, Long.MAX_VALUE),
        b.number("maxCost", 0, 0, 1e12));
    b.finish();
    return out;
  }
}
