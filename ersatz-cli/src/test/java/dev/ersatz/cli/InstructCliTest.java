package dev.ersatz.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.llm.testing.InstructResponder;
import dev.ersatz.llm.testing.ScriptedLlmServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end tests of {@code ersatz instruct} and {@code ersatz review} through the real command
 * line, against the scripted local LLM server from ersatz-llm's test jar (deterministic answers,
 * no network beyond 127.0.0.1).
 */
class InstructCliTest {
  private static final String[] SEEDS = {
      "Give three tips for staying healthy.",
      "Rewrite the sentence in passive voice.",
      "Is the following review positive or negative?",
      "Write a haiku about autumn leaves.",
      "Explain why the sky is blue to a child.",
      "Convert 100 degrees Fahrenheit to Celsius.",
      "Suggest a name for a bakery that sells vegan bread.",
      "Classify the animal as a mammal, bird or reptile.",
  };

  record Run(int code, String out, String err) {}

  static Run run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    InputStream oldIn = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      int code = cl.execute(args);
      return new Run(code, out.toString(), err.toString());
    } finally {
      System.setIn(oldIn);
    }
  }

  /** Writes seed tasks and a 2-round self-instruct config (review: at least 4 sampled per round). */
  static Path config(Path dir, String baseUrl, String name, String extra) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < SEEDS.length; i++) {
      boolean cls = SEEDS[i].contains("positive or negative") || SEEDS[i].startsWith("Classify");
      sb.append("{\"id\": \"seed_task_").append(i).append("\", \"instruction\": \"").append(SEEDS[i])
          .append("\", \"instances\": [{\"input\": \"\", \"output\": \"An example answer.\"}], \"is_classification\": ")
          .append(cls).append("}\n");
    }
    Files.writeString(dir.resolve("seed_tasks.jsonl"), sb.toString(), StandardCharsets.UTF_8);
    // with 0 of 4 rejected the 90% Clopper-Pearson upper bound is 1 - 0.1^(1/4) = 0.438 < 0.6
    String yaml = """
        seed: 7
        outputDir: %s
        rounds: 2
        endpoints:
          - name: gen
            type: openai
            baseUrl: %s
            model: scripted-gen
            concurrency: 2
            maxRetries: 1
            timeoutSeconds: 10
        strategy:
          type: self-instruct
          generator: gen
          perRound: 10
          seedTasks: seed_tasks.jsonl
          humanExamples: 3
          machineExamples: 1
        review: {sampleRate: 0.1, minSample: 4, maxRejectRate: 0.6, confidence: 0.9}
        %s
        """.formatted(name, baseUrl, extra);
    Path p = dir.resolve(name + ".yaml");
    Files.writeString(p, yaml, StandardCharsets.UTF_8);
    return p;
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void instructThenReviewPromotesARound(@TempDir Path dir) throws Exception {
    Path cfg;
    Run instruct;
    try (ScriptedLlmServer server = ScriptedLlmServer.start(new InstructResponder())) {
      cfg = config(dir, server.openAiBaseUrl(), "run", "");
      instruct = run("", "instruct", "--config", cfg.toString(), "-q");

      // a budget that runs out in round 1: the run ends cleanly but early, exit code 1
      Path small = config(dir, server.openAiBaseUrl(), "budget", "budget: {maxTokens: 400}");
      Run stopped = run("", "instruct", "--config", small.toString(), "-q");
      assertThat(stopped.code()).as(stopped.out() + stopped.err()).isEqualTo(Main.CHECK_FAILED);
      assertThat(stopped.out()).contains("1 round(s) completed");
      assertThat(stopped.err()).contains("WARNING: round 1: the token/cost budget is exhausted")
          .contains("run stopped early");
    }
    assertThat(instruct.code()).as(instruct.err()).isZero();
    Path runDir = dir.resolve("run");
    assertThat(instruct.out()).contains("2 round(s) completed")
        .contains("round 1 blocked: 0 of").contains("round 2 blocked: 0 of")
        .contains("review with: ersatz review --run " + runDir);
    assertThat(instruct.err()).contains("round 1: ").contains("round 2: ").contains("distinct-2");
    for (String f : new String[] {"journal.jsonl", "calls.jsonl", "manifest.json", "corpus/chat.jsonl",
        "corpus/alpaca.jsonl", "corpus/lineage.jsonl"}) {
      assertThat(runDir.resolve(f)).exists();
    }
    assertThat(Files.readString(runDir.resolve("corpus/chat.jsonl"))).isEmpty();

    // resume offline: every round is in the journal, nothing is called
    Run replay = run("", "instruct", "--config", cfg.toString(), "--replay", "-q");
    assertThat(replay.code()).as(replay.err()).isZero();
    assertThat(replay.out()).contains("2 round(s) completed");

    Run status = run("", "review", "--run", runDir.toString(), "--status");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("round 1 blocked: 0 of").contains("round 2 blocked: 0 of")
        .contains("0 examples promoted");

    // round 1: accept everything (more answers than items; the rest is not read)
    Run review1 = run("a\n".repeat(50), "review", "--run", runDir.toString(), "--round", "1", "--reviewer", "alice");
    assertThat(review1.code()).as(review1.err()).isZero();
    assertThat(review1.out()).contains("round 1 ").contains("instruction:").contains("stratum")
        .contains("round 1 promoted: 0 of").contains("round 2 blocked: 0 of");
    int accepted = count(review1.out(), "\\[a\\]ccept");
    assertThat(accepted).isGreaterThanOrEqualTo(4);
    assertThat(review1.out()).contains("this session: " + accepted + " accepted, 0 rejected");
    String chat = Files.readString(runDir.resolve("corpus/chat.jsonl"));
    assertThat(chat).contains("\"role\":\"assistant\"").doesNotContain("\"id\":\"r2-");
    assertThat(Files.readString(runDir.resolve("review/round-001.verdicts.jsonl"))).contains("alice");

    // round 2: edit one (line by line: keep instruction and input, new output), reject one, skip, quit
    String answers = "e\n\n\nA reviewed and corrected answer.\nr\nfactually wrong\nx\ns\nq\n";
    Run review2 = run(answers, "review", "--run", runDir.toString(), "--reviewer", "bob");
    assertThat(review2.code()).as(review2.err()).isZero();
    assertThat(review2.out()).contains("answer a, r, e, s or q")
        .contains("this session: 0 accepted, 1 rejected, 1 edited, 1 skipped")
        .contains("round 1 promoted").contains("round 2 blocked: 2 of");
    String verdicts = Files.readString(runDir.resolve("review/round-002.verdicts.jsonl"));
    assertThat(verdicts).contains("A reviewed and corrected answer.").contains("factually wrong").contains("bob");
    String manifest = Files.readString(runDir.resolve("manifest.json"));
    assertThat(manifest).contains("promoted").contains("blocked");

    // nothing left in round 1
    Run again = run("", "review", "--run", runDir.toString(), "--round", "1");
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("nothing to review");
  }

  @Test
  void badConfigIsOneLineAndExitTwo(@TempDir Path dir) throws IOException {
    Path cfg = dir.resolve("bad.yaml");
    Files.writeString(cfg, """
        outputDir: run
        endpoints:
          - name: gen
            type: openai
            baseUrl: http://127.0.0.1:9/v1
            model: m
            temperature: 5
        strategy: {type: topics, generator: gen, topics: [tides]}
        """, StandardCharsets.UTF_8);
    Run r = run("", "instruct", "--config", cfg.toString());
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).startsWith("error: ").contains("temperature").doesNotContain("\tat ");
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
    assertThat(r.out()).isEmpty();

    Run missing = run("", "instruct", "--config", dir.resolve("nope.yaml").toString());
    assertThat(missing.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(missing.err()).startsWith("error: ").doesNotContain("\tat ");

    Run both = run("", "instruct", "--config", cfg.toString(), "--replay", "--record");
    assertThat(both.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(both.err()).contains("--replay and --record");

    Run notARun = run("", "review", "--run", dir.toString(), "--status");
    assertThat(notARun.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(notARun.err()).startsWith("error: ").contains("not a pipeline run folder");
  }

  @Test
  void editorSectionsParse() {
    String[] f = ReviewCommand.parseSections("# comment\ninstruction:\nDo it.\ninput:\n\noutput:\nline one\nline two\n");
    assertThat(f).containsExactly("Do it.", "", "line one\nline two");
    assertThat(ReviewCommand.parseSections("instruction:\nx\noutput:\ny\n")).isNull();
    assertThat(ReviewCommand.wrap("aaa bbb ccc ddd eee fff ggg hhh iii jjj kkk lll", 20))
        .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(20)).hasSize(3);
  }
}
