package dev.ersatz.llm;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.llm.review.ReviewQueue;
import dev.ersatz.llm.review.RoundStatus;
import dev.ersatz.llm.review.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The published corpus of a run: examples of the rounds that passed the review gate (minus the
 * examples reviewers rejected, with their edits applied), in chat-messages and Alpaca JSONL, their
 * lineage, and a manifest with per-round gate status and metrics.
 *
 * @param promoted number of examples in the corpus
 * @param gate per-round gate status
 */
public record Publication(int promoted, List<RoundStatus> gate) {

  /**
   * Publishes a run folder (idempotent; files are written through temp files and renamed).
   *
   * @param runDir the run folder
   * @return what was published
   */
  public static Publication publish(Path runDir) {
    if (!Files.exists(runDir.resolve("journal.jsonl"))) {
      throw new UserInputException(runDir + " is not a pipeline run folder (no journal.jsonl)");
    }
    Journal journal = Journal.open(runDir);
    ReviewQueue queue = ReviewQueue.open(runDir);
    StringBuilder chat = new StringBuilder();
    StringBuilder alpaca = new StringBuilder();
    StringBuilder lineage = new StringBuilder();
    List<RoundStatus> gate = new ArrayList<>();
    List<Object> rounds = new ArrayList<>();
    int promoted = 0;
    for (var entry : journal.rounds.entrySet()) {
      int round = entry.getKey();
      RoundStatus st = queue.status(round);
      gate.add(st);
      Map<String, Verdict> verdicts = queue.verdicts(round);
      int n = 0;
      if (st.promotable()) {
        for (Example e : journal.examplesOfRound(round)) {
          Verdict v = verdicts.get(e.id());
          if (v != null && v.rejected()) {
            continue;
          }
          Example x = e;
          String verdict = "not-sampled";
          if (v != null) {
            verdict = v.kind();
            if (v.kind().equals("edit")) {
              x = new Example(e.id(), nz(v.instruction(), e.instruction()), nz(v.input(), e.input()),
                  nz(v.output(), e.output()), e.lineage());
            }
          }
          x = new Example(x.id(), x.instruction(), x.input(), x.output(), x.lineage().withVerdict(verdict));
          chat.append(Json.write(chatLine(x))).append('\n');
          Map<String, Object> a = new LinkedHashMap<>();
          a.put("id", x.id());
          a.put("instruction", x.instruction());
          a.put("input", x.input());
          a.put("output", x.output());
          alpaca.append(Json.write(a)).append('\n');
          Map<String, Object> l = new LinkedHashMap<>();
          l.put("id", x.id());
          l.put("lineage", x.lineage().toJson());
          lineage.append(Json.write(l)).append('\n');
          n++;
        }
      }
      promoted += n;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("round", (long) round);
      r.put("status", st.promotable() ? "promoted" : "blocked");
      r.put("gate", st.explain());
      r.put("reviewSampled", (long) st.sampled());
      r.put("reviewed", (long) st.reviewed());
      r.put("humanRejected", (long) st.rejected());
      r.put("humanRejectRate", st.rejectRate());
      r.put("rejectRateUpperBound", st.upperBound());
      r.put("promotedExamples", (long) n);
      r.put("metrics", entry.getValue());
      rounds.add(r);
    }
    Path corpus = runDir.resolve("corpus");
    ReviewQueue.writeAtomically(corpus.resolve("chat.jsonl"), chat.toString());
    ReviewQueue.writeAtomically(corpus.resolve("alpaca.jsonl"), alpaca.toString());
    ReviewQueue.writeAtomically(corpus.resolve("lineage.jsonl"), lineage.toString());
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", "ersatz-llm-corpus");
    manifest.put("formatVersion", 1L);
    manifest.put("publishedAt", Instant.now().toString());
    manifest.put("run", journal.header == null ? Map.of() : journal.header);
    manifest.put("keptExamples", (long) journal.examples.size());
    manifest.put("promotedExamples", (long) promoted);
    manifest.put("files", List.of("corpus/chat.jsonl", "corpus/alpaca.jsonl", "corpus/lineage.jsonl"));
    manifest.put("rounds", rounds);
    manifest.put("javaVersion", System.getProperty("java.version"));
    manifest.put("osArch", System.getProperty("os.arch"));
    ReviewQueue.writeAtomically(runDir.resolve("manifest.json"), Json.writePretty(manifest));
    return new Publication(promoted, List.copyOf(gate));
  }

  private static String nz(String a, String b) {
    return a == null ? b : a;
  }

  private static Map<String, Object> chatLine(Example x) {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("role", "user");
    user.put("content", x.userTurn());
    Map<String, Object> asst = new LinkedHashMap<>();
    asst.put("role", "assistant");
    asst.put("content", x.output());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", x.id());
    m.put("messages", List.of(user, asst));
    return m;
  }
}
