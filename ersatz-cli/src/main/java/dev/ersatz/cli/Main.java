package dev.ersatz.cli;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.privacy.PrivacyBudgetException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The {@code ersatz} command. Exit codes: 0 success, 1 a check failed (e.g. an evaluation gate),
 * 2 bad input or usage (including a differentially private fit refused because it would
 * overspend the dataset's privacy budget), 3 an unexpected internal error. User mistakes print
 * one clear line, never a stack trace; {@code ERSATZ_DEBUG=1} shows traces for bug reports.
 */
public final class Main {
  public static final int OK = 0;
  public static final int CHECK_FAILED = 1;
  public static final int BAD_INPUT = 2;
  public static final int INTERNAL = 3;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (used by tests). */
  public static int run(String... args) {
    Locale.setDefault(Locale.ROOT);
    CommandLine cl = commandLine();
    return guard(() -> cl.execute(args), cl.getErr());
  }

  /**
   * Runs {@code body}, turning running out of memory (an Error, which picocli passes through)
   * into one clear line instead of a JVM stack trace.
   */
  static int guard(java.util.function.IntSupplier body, PrintWriter err) {
    try {
      return body.getAsInt();
    } catch (OutOfMemoryError e) {
      long max = Runtime.getRuntime().maxMemory();
      err.println("error: Java ran out of memory"
          + (max == Long.MAX_VALUE ? "" : " (its heap limit is " + (max >> 20) + " MB)")
          + "; give it more, e.g. ERSATZ_JAVA_OPTS=-Xmx8g with the ersatz launcher or"
          + " java -Xmx8g -jar ersatz.jar, or use fewer rows or columns");
      if ("1".equals(System.getenv("ERSATZ_DEBUG"))) {
        e.printStackTrace(err);
      }
      err.flush();
      return INTERNAL;
    }
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ErsatzCommand());
    cl.setExecutionExceptionHandler(Main::handle);
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("error: " + ex.getMessage());
      err.println("(see: ersatz " + ex.getCommandLine().getCommandName() + " --help)");
      return BAD_INPUT;
    });
    return cl;
  }

  private static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    boolean debug = "1".equals(System.getenv("ERSATZ_DEBUG"));
    if (ex instanceof UserInputException || ex instanceof PrivacyBudgetException) {
      err.println("error: " + ex.getMessage());
      if (debug) {
        ex.printStackTrace(err);
      }
      return BAD_INPUT;
    }
    if (ex instanceof ErsatzException || ex instanceof UncheckedIOException) {
      err.println("error: " + ex.getMessage());
      if (debug) {
        ex.printStackTrace(err);
      }
      return ex instanceof UncheckedIOException ? BAD_INPUT : INTERNAL;
    }
    err.println("internal error: " + ex + " (this is a bug in Ersatz; run again with "
        + "ERSATZ_DEBUG=1 for details and report it)");
    if (debug) {
      ex.printStackTrace(err);
    }
    return INTERNAL;
  }
}
