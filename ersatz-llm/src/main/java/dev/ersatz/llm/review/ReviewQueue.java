package dev.ersatz.llm.review;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.llm.Example;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The human review gate of a run folder: per round, a queue of sampled examples
 * ({@code review/round-NNN.queue.jsonl}) and an append-only verdict log
 * ({@code review/round-NNN.verdicts.jsonl}; the latest verdict per example wins, all are kept).
 * A round is promotable when every sampled example has a verdict and the Clopper-Pearson upper
 * bound of its reject rate is below the threshold ({@code review/gate.json}).
 *
 * <p>This is the API {@code ersatz review --run DIR} drives.
 */
public final class ReviewQueue {
  private static final Pattern QUEUE = Pattern.compile("round-(\\d+)\\.queue\\.jsonl");
  private final Path dir;
  private final double maxRejectRate;
  private final double confidence;

  private ReviewQueue(Path dir, double maxRejectRate, double confidence) {
    this.dir = dir;
    this.maxRejectRate = maxRejectRate;
    this.confidence = confidence;
  }

  /**
   * Opens the review gate of a run.
   *
   * @param runDir the run's output folder
   * @return the queue
   * @throws UserInputException when the folder has no review gate
   */
  public static ReviewQueue open(Path runDir) {
    Path dir = runDir.resolve("review");
    Path gate = dir.resolve("gate.json");
    if (!Files.exists(gate)) {
      throw new UserInputException(runDir + " is not a pipeline run folder (no review/gate.json); pass the run's outputDir");
    }
    try {
      var m = Json.parseObject(Files.readString(gate, StandardCharsets.UTF_8)).raw();
      return new ReviewQueue(dir, ((Number) m.get("maxRejectRate")).doubleValue(), ((Number) m.get("confidence")).doubleValue());
    } catch (IOException e) {
      throw new UserInputException("cannot read " + gate + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates the review gate of a new run (idempotent).
   *
   * @param runDir the run folder
   * @param maxRejectRate the threshold
   * @param confidence the bound's confidence
   * @return the queue
   */
  public static ReviewQueue create(Path runDir, double maxRejectRate, double confidence) {
    Path dir = runDir.resolve("review");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("maxRejectRate", maxRejectRate);
    m.put("confidence", confidence);
    writeAtomically(dir.resolve("gate.json"), Json.writePretty(m));
    return new ReviewQueue(dir, maxRejectRate, confidence);
  }

  /**
   * Draws a stratified random sample: n = max(minSample, ceil(rate * N)) capped at N, allocated to
   * strata in proportion to their sizes (largest remainder), uniformly without replacement within
   * each stratum.
   *
   * @param kept the round's kept examples
   * @param rate sampling rate
   * @param minSample minimum sample
   * @param rng random source
   * @return the sample, in the order of {@code kept}
   */
  public static List<Example> draw(List<Example> kept, double rate, int minSample, RandomSource rng) {
    int total = kept.size();
    int n = (int) Math.min(total, Math.max(minSample, Math.ceil(rate * total)));
    Map<String, List<Integer>> strata = new TreeMap<>();
    for (int i = 0; i < total; i++) {
      strata.computeIfAbsent(kept.get(i).lineage().stratum(), k -> new ArrayList<>()).add(i);
    }
    Map<String, Integer> quota = new LinkedHashMap<>();
    List<Map.Entry<String, Double>> rema = new ArrayList<>();
    int given = 0;
    for (var e : strata.entrySet()) {
      double exact = (double) n * e.getValue().size() / Math.max(1, total);
      int q = (int) Math.floor(exact);
      quota.put(e.getKey(), q);
      given += q;
      rema.add(Map.entry(e.getKey(), exact - q));
    }
    rema.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
    for (int i = 0; given < n && i < rema.size(); i++, given++) {
      quota.merge(rema.get(i).getKey(), 1, Integer::sum);
    }
    boolean[] chosen = new boolean[total];
    for (var e : strata.entrySet()) {
      List<Integer> idx = new ArrayList<>(e.getValue());
      RandomSource r = rng.split(e.getKey());
      int q = Math.min(quota.get(e.getKey()), idx.size());
      for (int i = 0; i < q; i++) {
        int j = i + r.nextInt(idx.size() - i);
        int t = idx.get(i);
        idx.set(i, idx.get(j));
        idx.set(j, t);
        chosen[idx.get(i)] = true;
      }
    }
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      if (chosen[i]) {
        out.add(kept.get(i));
      }
    }
    return out;
  }

  /**
   * Writes a round's queue (replacing any earlier queue of that round).
   *
   * @param round the round
   * @param sample the sampled examples
   */
  public void writeQueue(int round, List<Example> sample) {
    StringBuilder sb = new StringBuilder();
    for (Example e : sample) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("round", (long) round);
      m.put("exampleId", e.id());
      m.put("stratum", e.lineage().stratum());
      m.put("instruction", e.instruction());
      m.put("input", e.input());
      m.put("output", e.output());
      sb.append(Json.write(m)).append('\n');
    }
    writeAtomically(queueFile(round), sb.toString());
  }

  /** @return rounds with a queue, ascending */
  public List<Integer> rounds() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> QUEUE.matcher(p.getFileName().toString())).filter(Matcher::matches)
          .map(m -> Integer.parseInt(m.group(1))).sorted().toList();
    } catch (IOException e) {
      throw new ErsatzException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The sampled items of a round.
   *
   * @param round the round
   * @return the items (empty when the round has no queue)
   */
  public List<ReviewItem> items(int round) {
    List<ReviewItem> out = new ArrayList<>();
    for (Map<String, Object> m : readJsonl(queueFile(round))) {
      out.add(new ReviewItem(((Number) m.get("round")).intValue(), (String) m.get("exampleId"), (String) m.get("stratum"),
          (String) m.get("instruction"), (String) m.get("input"), (String) m.get("output")));
    }
    return out;
  }

  /**
   * Items of a round still without a verdict.
   *
   * @param round the round
   * @return pending items
   */
  public List<ReviewItem> pending(int round) {
    Map<String, Verdict> v = verdicts(round);
    return items(round).stream().filter(i -> !v.containsKey(i.exampleId())).toList();
  }

  /**
   * Latest verdict per example of a round.
   *
   * @param round the round
   * @return example id to verdict
   */
  public Map<String, Verdict> verdicts(int round) {
    Map<String, Verdict> out = new LinkedHashMap<>();
    for (Map<String, Object> m : readJsonl(verdictFile(round))) {
      Verdict v = new Verdict((String) m.get("exampleId"), (String) m.get("verdict"), (String) m.get("reviewer"),
          (String) m.get("reason"), (String) m.get("instruction"), (String) m.get("input"), (String) m.get("output"));
      out.put(v.exampleId(), v);
    }
    return out;
  }

  /**
   * Accepts an example.
   *
   * @param round the round
   * @param exampleId the example
   * @param reviewer who
   */
  public void accept(int round, String exampleId, String reviewer) {
    record(round, new Verdict(exampleId, "accept", reviewer, null, null, null, null));
  }

  /**
   * Rejects an example.
   *
   * @param round the round
   * @param exampleId the example
   * @param reviewer who
   * @param reason why (may be null)
   */
  public void reject(int round, String exampleId, String reviewer, String reason) {
    record(round, new Verdict(exampleId, "reject", reviewer, reason, null, null, null));
  }

  /**
   * Accepts an example with corrections.
   *
   * @param round the round
   * @param exampleId the example
   * @param reviewer who
   * @param instruction corrected instruction
   * @param input corrected input
   * @param output corrected output
   */
  public void edit(int round, String exampleId, String reviewer, String instruction, String input, String output) {
    record(round, new Verdict(exampleId, "edit", reviewer, null, instruction, input, output));
  }

  private void record(int round, Verdict v) {
    if (items(round).stream().noneMatch(i -> i.exampleId().equals(v.exampleId()))) {
      throw new UserInputException("example " + v.exampleId() + " is not in the review sample of round " + round);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("exampleId", v.exampleId());
    m.put("verdict", v.kind());
    m.put("reviewer", v.reviewer());
    m.put("reason", v.reason());
    m.put("instruction", v.instruction());
    m.put("input", v.input());
    m.put("output", v.output());
    m.put("time", Instant.now().toString());
    appendSynced(verdictFile(round), Json.write(m) + "\n");
  }

  /**
   * The gate's state for a round.
   *
   * @param round the round
   * @return the status
   */
  public RoundStatus status(int round) {
    List<ReviewItem> items = items(round);
    Map<String, Verdict> v = verdicts(round);
    int reviewed = 0;
    int rejected = 0;
    for (ReviewItem i : items) {
      Verdict x = v.get(i.exampleId());
      if (x != null) {
        reviewed++;
        rejected += x.rejected() ? 1 : 0;
      }
    }
    boolean complete = reviewed == items.size();
    double upper = complete && !items.isEmpty() ? ClopperPearson.upper(rejected, reviewed, confidence) : (items.isEmpty() ? 0 : 1);
    boolean promotable = complete && upper < maxRejectRate;
    return new RoundStatus(round, items.size(), reviewed, rejected, upper, confidence, maxRejectRate, promotable);
  }

  private Path queueFile(int round) {
    return dir.resolve(String.format(Locale.ROOT, "round-%03d.queue.jsonl", round));
  }

  private Path verdictFile(int round) {
    return dir.resolve(String.format(Locale.ROOT, "round-%03d.verdicts.jsonl", round));
  }

  static List<Map<String, Object>> readJsonl(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<Map<String, Object>> out = new ArrayList<>();
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        try {
          out.add(Json.parseObject(lines.get(i)).raw());
        } catch (RuntimeException e) {
          if (i == lines.size() - 1) {
            break; // torn last line of an interrupted append
          }
          throw new UserInputException(file + ": line " + (i + 1) + " is not valid JSON");
        }
      }
      return out;
    } catch (IOException e) {
      throw new ErsatzException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Appends text to a file and forces it to disk.
   *
   * @param file the file
   * @param text the text
   */
  public static void appendSynced(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(false);
      }
    } catch (IOException e) {
      throw new ErsatzException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a file through a temp file and an atomic rename.
   *
   * @param file the file
   * @param text the content
   */
  public static void writeAtomically(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ErsatzException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
