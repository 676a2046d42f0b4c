package dev.ersatz.cli;

import dev.ersatz.core.spi.Progress;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Output helpers: data and results to stdout, diagnostics and progress to stderr. */
final class Console {
  private Console() {}

  static String bytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    if (b < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KB", b / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MB", b / (1024.0 * 1024));
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /**
   * A progress bar on stderr for long steps, shown only on an interactive terminal (so logs and
   * CI output stay clean) and only when not {@code quiet}.
   */
  static Bar bar(String task, boolean quiet) {
    return new Bar(task, !quiet && System.console() != null);
  }

  /** A lazily created progress bar that is a {@link Progress} listener. */
  static final class Bar implements Progress, AutoCloseable {
    private final String task;
    private final boolean enabled;
    private ProgressBar bar;

    Bar(String task, boolean enabled) {
      this.task = task;
      this.enabled = enabled;
    }

    @Override
    public synchronized void update(String step, long done, long total) {
      if (!enabled) {
        return;
      }
      if (bar == null) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(total, 1))
            .setStyle(ProgressBarStyle.ASCII).setConsumer(
                new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
            .setUpdateIntervalMillis(200).build();
      }
      if (total > 0) {
        bar.maxHint(total);
      }
      bar.stepTo(done);
    }

    @Override
    public synchronized void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }

  static void warn(PrintStream err, String msg) {
    err.println("warning: " + msg);
  }
}
