package dev.ersatz.llm;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.llm.config.PipelineConfig;
import dev.ersatz.llm.config.PipelineConfigs;
import dev.ersatz.llm.endpoint.Budget;
import dev.ersatz.llm.endpoint.BudgetExhaustedException;
import dev.ersatz.llm.endpoint.Cassette;
import dev.ersatz.llm.endpoint.Endpoints;
import dev.ersatz.llm.endpoint.LlmEndpoint;
import dev.ersatz.llm.filter.CandidateFilter;
import dev.ersatz.llm.filter.Embedder;
import dev.ersatz.llm.filter.FilterVerdict;
import dev.ersatz.llm.filter.HeuristicFilter;
import dev.ersatz.llm.filter.JsonSchemaFilter;
import dev.ersatz.llm.filter.JudgeFilter;
import dev.ersatz.llm.filter.MiniLmEmbedder;
import dev.ersatz.llm.filter.NoveltyFilter;
import dev.ersatz.llm.filter.SemanticDedupFilter;
import dev.ersatz.llm.metrics.Diversity;
import dev.ersatz.llm.review.ReviewQueue;
import dev.ersatz.llm.strategy.Candidate;
import dev.ersatz.llm.strategy.GenerationContext;
import dev.ersatz.llm.strategy.Strategy;
import dev.ersatz.llm.strategy.Templates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An LLM data pipeline run: rounds of generation with a strategy, a filter chain, a review sample
 * per round, metrics, a journal for resumption, record/replay of every model call, and a corpus
 * published from the rounds that passed the review gate.
 *
 * <p>Run folder layout: {@code journal.jsonl}, {@code calls.jsonl} (cassette),
 * {@code review/} (gate, queues, verdicts), {@code corpus/chat.jsonl}, {@code corpus/alpaca.jsonl},
 * {@code corpus/lineage.jsonl}, {@code manifest.json}.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  /**
   * How the pipeline reaches the outside world; tests replace parts.
   *
   * @param env environment lookup for API keys
   * @param embedder supplies the embedding model (created once, lazily)
   * @param cassetteMode record/replay mode of {@code calls.jsonl}; AUTO resumes without paying twice
   * @param baseDelayMillis first retry backoff
   * @param maxDelayMillis backoff cap
   */
  public record Options(Function<String, String> env, Supplier<Embedder> embedder, Cassette.Mode cassetteMode,
      long baseDelayMillis, long maxDelayMillis) {
    /** @return production options: real environment, MiniLM, AUTO cassette, 0.5 s..30 s backoff */
    public static Options defaults() {
      return new Options(System::getenv, MiniLmEmbedder::create, Cassette.Mode.AUTO, 500, 30_000);
    }
  }

  private final PipelineConfig config;
  private final Options options;
  private final String configHash;

  private Pipeline(PipelineConfig config, Options options, String configHash) {
    this.config = config;
    this.options = options;
    this.configHash = configHash;
  }

  /**
   * Reads a pipeline config file.
   *
   * @param file YAML or JSON config
   * @return the pipeline
   * @throws UserInputException when the config is invalid
   */
  public static Pipeline fromConfig(Path file) {
    return of(PipelineConfigs.read(file), Options.defaults());
  }

  /**
   * Creates a pipeline from a parsed config.
   *
   * @param config the config
   * @param options the options
   * @return the pipeline
   */
  public static Pipeline of(PipelineConfig config, Options options) {
    String hash;
    try {
      hash = sha256(Files.exists(config.file()) ? Files.readString(config.file(), StandardCharsets.UTF_8) : config.toString());
    } catch (IOException e) {
      throw new UserInputException("cannot read " + config.file() + ": " + e.getMessage(), e);
    }
    return new Pipeline(config, options, hash);
  }

  /** @return the config */
  public PipelineConfig config() {
    return config;
  }

  /**
   * Runs (or resumes) the pipeline and publishes the corpus of the promoted rounds.
   *
   * @param listener progress receiver
   * @return the outcome
   * @throws UserInputException when the run folder belongs to a different config
   */
  public RunResult run(ProgressListener listener) {
    Path out = config.outputDir();
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UserInputException("cannot create output folder " + out + ": " + e.getMessage(), e);
    }
    Journal journal = Journal.open(out);
    ReviewQueue queue = ReviewQueue.create(out, config.review().maxRejectRate(), config.review().confidence());
    Cassette cassette = Cassette.open(out.resolve("calls.jsonl"), options.cassetteMode());
    Budget budget = Budget.of(config.budget().maxTokens(), config.budget().maxCost());
    Templates templates = Templates.of(config.strategy().templatesDir());
    Endpoints.Options eo = new Endpoints.Options(options.env(), budget, cassette, config.seed(),
        options.baseDelayMillis(), options.maxDelayMillis());
    Map<String, LlmEndpoint> endpoints = new LinkedHashMap<>();
    for (PipelineConfig.Endpoint e : config.endpoints()) {
      endpoints.put(e.name(), Endpoints.of(e, eo));
    }
    Embedder embedder = options.embedder().get();
    if (journal.header == null) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("formatVersion", 1L);
      h.put("configHash", configHash);
      h.put("seed", config.seed());
      h.put("strategy", config.strategy().type());
      h.put("config", PipelineConfigs.toJson(config));
      h.put("embedder", embedder.describe());
      List<Object> eps = new ArrayList<>();
      endpoints.values().forEach(x -> eps.add(x.describe()));
      h.put("endpoints", eps);
      journal.writeHeader(h);
    } else if (!configHash.equals(journal.header.get("configHash"))) {
      throw new UserInputException(out + " holds a run of a different config (the config file changed since the run started); "
          + "use a new outputDir or restore the original config to resume");
    }

    List<Example> seeds = config.strategy().seedTasks() == null ? List.of() : SeedTasks.read(config.strategy().seedTasks());
    List<float[]> seedVectors = new ArrayList<>();
    for (Example s : seeds) {
      seedVectors.add(embedder.embed(s.instruction()));
    }
    NoveltyFilter novelty = NoveltyFilter.of(config.filters().noveltyRougeL());
    SemanticDedupFilter semantic = config.filters().semanticDedup()
        ? SemanticDedupFilter.of(embedder, config.filters().cosineThreshold()) : null;
    for (Example s : seeds) {
      novelty.add(s.instruction());
      if (semantic != null) {
        semantic.add(s.instruction());
      }
    }
    List<CandidateFilter> chain = new ArrayList<>();
    PipelineConfig.Filters f = config.filters();
    chain.add(HeuristicFilter.of(f.minWords(), f.maxWords(), f.maxOutputWords(), f.blockedKeywords()));
    if (f.jsonSchema() != null) {
      chain.add(JsonSchemaFilter.of(f.jsonSchema()));
    }
    chain.add(novelty);
    if (semantic != null) {
      chain.add(semantic);
    }
    JudgeFilter judge = null;
    if (f.judgeEndpoint() != null) {
      judge = JudgeFilter.of(endpoints.get(f.judgeEndpoint()), templates, f.judgeRubric(), f.judgeThreshold());
      chain.add(judge);
    }

    Strategy strategy = Strategy.named(config.strategy().type());
    LlmEndpoint generator = endpoints.get(config.strategy().generator());
    RandomSource root = RandomSource.of(config.seed());
    List<Example> machine = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    boolean stopped = false;
    Map<String, Object> previous = null;

    for (int round = 1; round <= config.rounds(); round++) {
      Map<String, Object> done = journal.rounds.get(round);
      if (done != null) {
        // finished in an earlier session: restore the pool
        for (Example e : journal.examplesOfRound(round)) {
          machine.add(e);
          novelty.add(e.instruction());
          if (semantic != null) {
            semantic.add(e.instruction());
          }
        }
        if (done.get("budgetTokens") instanceof Number t && done.get("budgetCost") instanceof Number c) {
          budget.charge(t.longValue() - budget.tokens(), c.doubleValue() - budget.cost());
        }
        previous = done;
        if (Boolean.TRUE.equals(done.get("stoppedByBudget"))) {
          stopped = true;
          break;
        }
        continue;
      }
      int count = config.strategy().perRound();
      listener.roundStarted(round, config.rounds(), count);
      GenerationContext ctx = new GenerationContext(round, count, seeds, List.copyOf(machine), generator,
          root.split("round").split(round), templates, config.strategy().humanExamples(),
          config.strategy().machineExamples(), config.strategy().topics(), config.strategy().audiences(),
          config.strategy().styles());
      List<Candidate> candidates = new ArrayList<>();
      boolean budgetHit = generate(strategy, ctx, candidates, generator, listener);

      // filter in slot order so decisions do not depend on thread timing
      Map<String, Integer> rejectedBy = new TreeMap<>();
      Map<String, Integer> failures = new TreeMap<>();
      List<Example> kept = new ArrayList<>();
      List<Double> judgeScores = new ArrayList<>();
      int rejected = 0;
      for (Candidate c : candidates) {
        Map<String, Object> scores = new LinkedHashMap<>();
        boolean pass = true;
        boolean chainBudget = false;
        for (CandidateFilter filter : chain) {
          FilterVerdict v;
          try {
            v = filter.apply(round, c);
          } catch (BudgetExhaustedException e) {
            budgetHit = true;
            chainBudget = true;
            break;
          }
          scores.put(filter.name(), v.score() instanceof Number n ? n.doubleValue() : v.score());
          if (filter == judge && v.score() instanceof Number n) {
            judgeScores.add(n.doubleValue());
          }
          if (!v.pass()) {
            pass = false;
            rejectedBy.merge(filter.name(), 1, Integer::sum);
            if (c.failure() != null) {
              failures.merge(shortReason(c.failure()), 1, Integer::sum);
            }
            LOG.debug("round {} slot {} rejected by {}: {}", round, c.slot(), filter.name(), v.reason());
            break;
          }
        }
        if (chainBudget) {
          // the budget ran out inside the chain: this candidate is neither kept nor counted
          break;
        }
        if (!pass) {
          rejected++;
          listener.filtered(round, kept.size(), rejected);
          continue;
        }
        for (CandidateFilter filter : chain) {
          filter.keep(c);
        }
        Lineage lineage = new Lineage(strategy.name(), c.endpoint(), c.model(), c.templates(), c.contextIds(),
            c.parentId(), round, c.stratum(), c.requestIds(), scores, judge == null ? null : judge.model(), null);
        Example e = new Example(String.format(Locale.ROOT, "r%d-%05d", round, c.slot()), c.instruction(), c.input(),
            c.output(), lineage);
        Example old = journal.examples.get(e.id());
        if (old == null) {
          journal.append(e);
        } else if (!Json.write(old.toJson()).equals(Json.write(e.toJson()))) {
          throw new ErsatzException("resumed run regenerated example " + e.id() + " differently from the journal; "
              + "the cassette (calls.jsonl) or the templates changed since the run started");
        }
        kept.add(e);
        listener.filtered(round, kept.size(), rejected);
      }
      machine.addAll(kept);

      List<Example> sample = ReviewQueue.draw(kept, config.review().sampleRate(), config.review().minSample(),
          root.split("review").split(round));
      queue.writeQueue(round, sample);

      Map<String, Object> metrics = metrics(round, candidates, kept, rejectedBy, failures, judgeScores, seeds,
          seedVectors, machine, embedder, templates, budget, sample.size());
      if (budgetHit) {
        metrics.put("stoppedByBudget", true);
      }
      List<String> roundWarnings = diversityWarnings(round, previous, metrics);
      if (budgetHit) {
        roundWarnings.add("round " + round + ": the token/cost budget is exhausted; the run stops after this round");
      }
      metrics.put("warnings", new ArrayList<Object>(roundWarnings));
      for (String w : roundWarnings) {
        LOG.warn(w);
        listener.warning(w);
      }
      warnings.addAll(roundWarnings);
      journal.finishRound(round, metrics);
      listener.roundFinished(round, metrics);
      previous = metrics;
      if (budgetHit) {
        stopped = true;
        break;
      }
    }
    Publication pub = Publication.publish(out);
    return new RunResult(out, journal.rounds.size(), journal.examples.size(), pub.promoted(), stopped, pub.gate(), warnings);
  }

  /** Generates every slot of a round in parallel; returns true when the budget ran out. */
  private static boolean generate(Strategy strategy, GenerationContext ctx, List<Candidate> out, LlmEndpoint generator,
      ProgressListener listener) {
    int threads = Math.max(1, ctxConcurrency(generator));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "ersatz-llm-gen");
      t.setDaemon(true);
      return t;
    });
    AtomicInteger progress = new AtomicInteger();
    boolean budgetHit = false;
    try {
      List<Future<Candidate>> futures = new ArrayList<>();
      for (int slot = 0; slot < ctx.count(); slot++) {
        int s = slot;
        futures.add(pool.submit(() -> {
          Candidate c = strategy.generate(ctx, s);
          listener.generated(ctx.round(), progress.incrementAndGet(), ctx.count());
          return c;
        }));
      }
      for (Future<Candidate> fu : futures) {
        try {
          out.add(fu.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof BudgetExhaustedException) {
            budgetHit = true;
          } else if (e.getCause() instanceof RuntimeException re) {
            throw re;
          } else {
            throw new ErsatzException("generation failed: " + e.getCause(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ErsatzException("interrupted", e);
    } finally {
      pool.shutdownNow();
    }
    return budgetHit;
  }

  private static int ctxConcurrency(LlmEndpoint generator) {
    Object c = generator.describe().get("concurrency");
    return c instanceof Number n ? n.intValue() : 4;
  }

  private static String shortReason(String failure) {
    String s = failure.length() > 60 ? failure.substring(0, 60) : failure;
    return s.replaceAll("\\d+", "#");
  }

  private Map<String, Object> metrics(int round, List<Candidate> candidates, List<Example> kept,
      Map<String, Integer> rejectedBy, Map<String, Integer> failures, List<Double> judgeScores, List<Example> seeds,
      List<float[]> seedVectors, List<Example> pool, Embedder embedder, Templates templates, Budget budget, int sampled) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("round", (long) round);
    m.put("candidates", (long) candidates.size());
    m.put("kept", (long) kept.size());
    m.put("reviewSample", (long) sampled);
    Map<String, Object> rej = new LinkedHashMap<>();
    Map<String, Object> rates = new LinkedHashMap<>();
    for (var e : rejectedBy.entrySet()) {
      rej.put(e.getKey(), (long) e.getValue());
      rates.put(e.getKey(), candidates.isEmpty() ? 0.0 : (double) e.getValue() / candidates.size());
    }
    m.put("rejectedBy", rej);
    m.put("rejectRates", rates);
    Map<String, Object> fail = new LinkedHashMap<>();
    failures.forEach((k, v) -> fail.put(k, (long) v));
    m.put("generationFailures", fail);
    List<String> texts = kept.stream().map(e -> e.instruction() + " " + e.output()).toList();
    m.put("distinct1", Diversity.distinctN(texts, 1));
    m.put("distinct2", Diversity.distinctN(texts, 2));
    List<float[]> vectors = new ArrayList<>();
    for (Example e : kept) {
      vectors.add(embedder.embed(e.instruction()));
    }
    m.put("selfSimilarity", Diversity.selfSimilarity(vectors));
    double vendi = Diversity.vendi(vectors);
    m.put("vendi", vendi);
    m.put("vendiPerExample", kept.isEmpty() ? 0.0 : vendi / kept.size());
    m.put("seedCoverage", Diversity.seedCoverage(vectors, seedVectors));
    if (!judgeScores.isEmpty()) {
      Map<String, Object> j = new LinkedHashMap<>();
      double[] hist = new double[10];
      double sum = 0;
      double min = Double.MAX_VALUE;
      double max = -Double.MAX_VALUE;
      for (double s : judgeScores) {
        sum += s;
        min = Math.min(min, s);
        max = Math.max(max, s);
        hist[(int) Math.max(0, Math.min(9, Math.round(s) - 1))]++;
      }
      j.put("n", (long) judgeScores.size());
      j.put("mean", sum / judgeScores.size());
      j.put("min", min);
      j.put("max", max);
      List<Object> h = new ArrayList<>();
      for (double x : hist) {
        h.add((long) x);
      }
      j.put("histogram1to10", h);
      m.put("judgeScores", j);
    }
    long ctxTotal = 0;
    long ctxHuman = 0;
    java.util.Set<String> seedIds = new java.util.HashSet<>();
    seeds.forEach(s -> seedIds.add(s.id()));
    for (Example e : kept) {
      for (String id : e.lineage().contextIds()) {
        ctxTotal++;
        ctxHuman += seedIds.contains(id) ? 1 : 0;
      }
    }
    m.put("humanShareInPrompts", ctxTotal == 0 ? 0.0 : (double) ctxHuman / ctxTotal);
    m.put("humanShareOfPool", seeds.size() + pool.size() == 0 ? 0.0 : (double) seeds.size() / (seeds.size() + pool.size()));
    m.put("templates", new LinkedHashMap<String, Object>(templates.hashes()));
    m.put("budgetTokens", budget.tokens());
    m.put("budgetCost", budget.cost());
    return m;
  }

  /** Warns when distinct-2 or the per-example Vendi score fell by more than 10% from the last round. */
  static List<String> diversityWarnings(int round, Map<String, Object> prev, Map<String, Object> cur) {
    List<String> w = new ArrayList<>();
    if (prev == null) {
      return w;
    }
    for (String k : List.of("distinct2", "vendiPerExample")) {
      if (prev.get(k) instanceof Number a && cur.get(k) instanceof Number b && a.doubleValue() > 0
          && b.doubleValue() < 0.9 * a.doubleValue()) {
        w.add(String.format(Locale.ROOT, "round %d: diversity falling: %s %.4f -> %.4f (more than 10%% down)",
            round, k, a.doubleValue(), b.doubleValue()));
      }
    }
    if (prev.get("selfSimilarity") instanceof Number a && cur.get("selfSimilarity") instanceof Number b
        && b.doubleValue() > a.doubleValue() + 0.05) {
      w.add(String.format(Locale.ROOT, "round %d: diversity falling: selfSimilarity %.4f -> %.4f", round,
          a.doubleValue(), b.doubleValue()));
    }
    return w;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new ErsatzException("SHA-256 unavailable", e);
    }
  }

  /**
   * Writes the corpus and manifest of a run folder from its journal and review verdicts (the CLI
   * calls this after {@code ersatz review}).
   *
   * @param runDir the run folder
   * @return what was published
   */
  public static Publication publish(Path runDir) {
    return Publication.publish(runDir);
  }
}
