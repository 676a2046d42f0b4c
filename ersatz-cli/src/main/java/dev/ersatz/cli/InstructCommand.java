package dev.ersatz.cli;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.llm.Pipeline;
import dev.ersatz.llm.ProgressListener;
import dev.ersatz.llm.RunResult;
import dev.ersatz.llm.config.PipelineConfigs;
import dev.ersatz.llm.endpoint.Cassette;
import dev.ersatz.llm.filter.MiniLmEmbedder;
import dev.ersatz.llm.review.RoundStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ersatz instruct}: runs (or resumes) an LLM data pipeline from its config file.
 *
 * <p>Exit codes: 0 when the run finished (even when rounds wait for review), 1 when the token or
 * cost budget stopped the run early (it ended cleanly; the CLI uses 1 rather than the draft's 3
 * because 3 means an internal error) or the pipeline failed, 2 for a bad config, a changed config
 * on a resumed run folder or a missing recording with {@code --replay}.
 */
@Command(name = "instruct", mixinStandardHelpOptions = true,
    description = {"Run or resume an LLM instruction-data pipeline.",
        "Config reference: docs/llm-pipelines.md. Rounds are promoted into the corpus only after "
            + "`ersatz review`. Exit code 1 when the token/cost budget stopped the run early."})
public final class InstructCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "pipeline config, YAML (or JSON when the name ends in .json)")
  Path config;

  @Option(names = "--replay",
      description = "offline: answer every model call from <outputDir>/calls.jsonl; fail on a missing one")
  boolean replay;

  @Option(names = "--record",
      description = "always call the servers and re-record (default: replay what is recorded, record the rest)")
  boolean record;

  @Option(names = {"-q", "--quiet"}, description = "no progress bar")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (replay && record) {
      throw new UserInputException("--replay and --record exclude each other; pass at most one");
    }
    quietLibraryLogs();
    Cassette.Mode mode = replay ? Cassette.Mode.REPLAY : record ? Cassette.Mode.RECORD : Cassette.Mode.AUTO;
    RunResult result;
    try (Listener listener = new Listener(err, !quiet && System.console() != null)) {
      Pipeline pipeline = Pipeline.of(PipelineConfigs.read(config),
          new Pipeline.Options(System::getenv, MiniLmEmbedder::create, mode, 500, 30_000));
      result = pipeline.run(listener);
    } catch (UserInputException e) {
      throw e;
    } catch (ErsatzException e) {
      err.println("error: " + e.getMessage());
      if ("1".equals(System.getenv("ERSATZ_DEBUG"))) {
        e.printStackTrace(err);
      }
      err.flush();
      return Main.CHECK_FAILED;
    }
    out.printf(Locale.ROOT, "%d round(s) completed, %s examples kept, %s promoted into %s%n",
        result.roundsCompleted(), Console.count(result.kept()), Console.count(result.promoted()),
        result.outputDir().resolve("corpus"));
    boolean blocked = false;
    for (RoundStatus s : result.gate()) {
      out.println(s.explain());
      blocked |= !s.promotable();
    }
    if (blocked) {
      out.println("review with: ersatz review --run " + result.outputDir());
    }
    out.flush();
    if (result.stoppedByBudget()) {
      err.println("the token/cost budget is exhausted: the run stopped early (exit code 1); raise budget "
          + "in the config and run again to continue");
      err.flush();
      return Main.CHECK_FAILED;
    }
    return Main.OK;
  }

  /**
   * Keeps stderr readable: the embedding runtime's GPU probe and platform notices go to ERROR
   * level, and the pipeline's own warnings are printed once by the listener (as {@code WARNING:})
   * instead of twice. Settings the user passed with {@code -D} are kept.
   */
  private static void quietLibraryLogs() {
    for (String logger : new String[] {"ai.djl", "dev.ersatz.llm.Pipeline"}) {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) {
        System.setProperty(key, "error");
      }
    }
  }

  /** Progress bar per round (on a terminal only), round summaries and warnings on stderr. */
  static final class Listener implements ProgressListener, AutoCloseable {
    private final PrintWriter err;
    private final boolean bars;
    private ProgressBar bar;

    Listener(PrintWriter err, boolean bars) {
      this.err = err;
      this.bars = bars;
    }

    @Override
    public synchronized void roundStarted(int round, int rounds, int candidates) {
      closeBar();
      if (bars) {
        bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "round %d/%d", round, rounds))
            .setInitialMax(Math.max(candidates, 1)).setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(200).build();
      }
    }

    @Override
    public synchronized void generated(int round, int generated, int total) {
      if (bar != null) {
        bar.stepTo(generated);
      }
    }

    @Override
    public synchronized void filtered(int round, int kept, int rejected) {
      if (bar != null) {
        bar.setExtraMessage(String.format(Locale.ROOT, "kept %d / rejected %d", kept, rejected));
      }
    }

    @Override
    public synchronized void roundFinished(int round, Map<String, Object> metrics) {
      closeBar();
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "round %d: %s of %s candidates kept", round,
          num(metrics.get("kept")), num(metrics.get("candidates"))));
      if (metrics.get("rejectedBy") instanceof Map<?, ?> rej && !rej.isEmpty()) {
        sb.append(", rejected by");
        rej.forEach((k, v) -> sb.append(' ').append(k).append('=').append(num(v)));
      }
      sb.append(String.format(Locale.ROOT, ", distinct-2 %s, vendi %s", dec(metrics.get("distinct2")),
          dec(metrics.get("vendi"))));
      if (metrics.get("judgeScores") instanceof Map<?, ?> j) {
        sb.append(", judge mean ").append(dec(j.get("mean")));
      }
      err.println(sb);
      err.flush();
    }

    @Override
    public synchronized void warning(String message) {
      closeBar();
      err.println("WARNING: " + message);
      err.flush();
    }

    private void closeBar() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }

    @Override
    public synchronized void close() {
      closeBar();
    }

    private static String num(Object o) {
      return o instanceof Number n ? Long.toString(n.longValue()) : "?";
    }

    private static String dec(Object o) {
      return o instanceof Number n ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : "?";
    }
  }
}
