package dev.ersatz.cli;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.llm.Pipeline;
import dev.ersatz.llm.Publication;
import dev.ersatz.llm.review.ReviewItem;
import dev.ersatz.llm.review.ReviewQueue;
import dev.ersatz.llm.review.RoundStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ersatz review}: human review of a pipeline run's sampled examples, then publication of
 * the rounds that pass the review gate.
 *
 * <p>Answers are read line by line from standard input (a letter and Enter per example), so a
 * review can also be scripted: {@code a} accept, {@code r} reject (then an optional reason line),
 * {@code e} edit, {@code s} skip, {@code q} quit; the end of input quits. Edit opens
 * {@code $EDITOR} on a temp file with {@code instruction:}, {@code input:} and {@code output:}
 * sections when {@code $EDITOR} is set and the command runs on a terminal; otherwise it asks for
 * the three fields one line each (an empty line keeps the current text). Every verdict is
 * appended and synced at once, so quitting loses nothing.
 */
@Command(name = "review", mixinStandardHelpOptions = true,
    description = {"Review an LLM pipeline run's sampled examples and publish its corpus.",
        "Answer a (accept), r (reject), e (edit), s (skip) or q (quit) and Enter per example; answers "
            + "can also be piped in. Then the rounds that pass the review gate are published."})
public final class ReviewCommand implements Callable<Integer> {
  private static final List<String> SECTIONS = List.of("instruction", "input", "output");

  @Spec
  CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "DIR", description = "the pipeline's outputDir")
  Path run;

  @Option(names = "--round", paramLabel = "N",
      description = "review only this round (default: every round with pending examples, ascending)")
  Integer round;

  @Option(names = "--reviewer", paramLabel = "NAME", description = "recorded with each verdict (default: $USER)")
  String reviewer;

  @Option(names = "--status", description = "print the review gate of every round and exit")
  boolean status;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ReviewQueue queue = ReviewQueue.open(run);
    List<Integer> rounds = queue.rounds();
    if (round != null && !rounds.contains(round)) {
      throw new UserInputException("--round " + round + ": " + run + " has no review queue for that round; it has rounds "
          + rounds);
    }
    if (!status) {
      String who = reviewer != null && !reviewer.isBlank() ? reviewer.strip()
          : System.getenv("USER") != null && !System.getenv("USER").isBlank() ? System.getenv("USER") : "unknown";
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      try {
        review(queue, round == null ? rounds : List.of(round), who, in, out);
      } catch (IOException e) {
        throw new ErsatzException("cannot read the answers from standard input: " + e.getMessage(), e);
      }
    }
    Publication pub = Pipeline.publish(run);
    for (RoundStatus s : pub.gate()) {
      out.println(s.explain());
    }
    out.printf(Locale.ROOT, "%s examples promoted into %s%n", Console.count(pub.promoted()), run.resolve("corpus"));
    out.flush();
    return Main.OK;
  }

  private void review(ReviewQueue queue, List<Integer> rounds, String who, BufferedReader in, PrintWriter out)
      throws IOException {
    int width = width();
    int accepted = 0;
    int rejected = 0;
    int edited = 0;
    int skipped = 0;
    boolean any = false;
    outer:
    for (int r : rounds) {
      List<ReviewItem> pending = queue.pending(r);
      for (int i = 0; i < pending.size(); i++) {
        any = true;
        ReviewItem item = pending.get(i);
        show(out, item, i + 1, pending.size(), width);
        while (true) {
          out.print("[a]ccept [r]eject [e]dit [s]kip [q]uit > ");
          out.flush();
          String line = in.readLine();
          String key = line == null ? "q" : line.strip().toLowerCase(Locale.ROOT);
          if (key.equals("a")) {
            queue.accept(r, item.exampleId(), who);
            accepted++;
          } else if (key.equals("r")) {
            out.print("reason (optional, Enter for none) > ");
            out.flush();
            String reason = in.readLine();
            queue.reject(r, item.exampleId(), who, reason == null || reason.isBlank() ? null : reason.strip());
            rejected++;
          } else if (key.equals("e")) {
            String[] fields = edit(item, in, out);
            if (fields == null) {
              continue;
            }
            queue.edit(r, item.exampleId(), who, fields[0], fields[1], fields[2]);
            edited++;
          } else if (key.equals("s")) {
            skipped++;
          } else if (key.equals("q")) {
            out.println();
            break outer;
          } else {
            out.println("answer a, r, e, s or q");
            continue;
          }
          break;
        }
      }
    }
    if (!any) {
      out.println("nothing to review: every sampled example has a verdict");
    } else {
      out.printf(Locale.ROOT, "this session: %d accepted, %d rejected, %d edited, %d skipped%n", accepted, rejected,
          edited, skipped);
    }
  }

  private static void show(PrintWriter out, ReviewItem item, int n, int of, int width) {
    out.println("-".repeat(Math.min(width, 80)));
    out.printf(Locale.ROOT, "round %d  [%d/%d]  stratum %s  id %s%n", item.round(), n, of, item.stratum(),
        item.exampleId());
    section(out, "instruction", item.instruction(), width);
    section(out, "input", item.input(), width);
    section(out, "output", item.output(), width);
  }

  private static void section(PrintWriter out, String name, String text, int width) {
    out.println(name + ":");
    if (text == null || text.isEmpty()) {
      out.println("  (empty)");
      return;
    }
    for (String line : wrap(text, width - 2)) {
      out.println("  " + line);
    }
  }

  /** Wraps text at word boundaries to at most {@code width} characters per line (longer words are split). */
  static List<String> wrap(String text, int width) {
    int w = Math.max(20, width);
    List<String> lines = new ArrayList<>();
    for (String para : text.split("\n", -1)) {
      StringBuilder cur = new StringBuilder();
      for (String word : para.split(" ")) {
        while (word.length() > w) {
          if (cur.length() > 0) {
            lines.add(cur.toString());
            cur.setLength(0);
          }
          lines.add(word.substring(0, w));
          word = word.substring(w);
        }
        if (cur.length() > 0 && cur.length() + 1 + word.length() > w) {
          lines.add(cur.toString());
          cur.setLength(0);
        }
        if (cur.length() > 0) {
          cur.append(' ');
        }
        cur.append(word);
      }
      lines.add(cur.toString());
    }
    return lines;
  }

  private static int width() {
    String cols = System.getenv("COLUMNS");
    if (cols != null) {
      try {
        int c = Integer.parseInt(cols.strip());
        if (c >= 20) {
          return c;
        }
      } catch (NumberFormatException e) {
        // not a number: use the default
      }
    }
    return 80;
  }

  /** @return instruction, input, output after editing, or null when the edit was abandoned */
  private static String[] edit(ReviewItem item, BufferedReader in, PrintWriter out) throws IOException {
    String editor = System.getenv("EDITOR");
    if (editor != null && !editor.isBlank() && System.console() != null) {
      return editInEditor(item, editor.strip(), out);
    }
    String[] current = {item.instruction(), item.input(), item.output()};
    String[] result = new String[3];
    for (int i = 0; i < 3; i++) {
      out.print(SECTIONS.get(i) + " (one line; Enter keeps the current text) > ");
      out.flush();
      String line = in.readLine();
      if (line == null) {
        return null;
      }
      result[i] = line.isEmpty() ? nz(current[i]) : line;
    }
    return result;
  }

  private static String[] editInEditor(ReviewItem item, String editor, PrintWriter out) throws IOException {
    Path tmp = Files.createTempFile("ersatz-review-", ".txt");
    try {
      String text = "# Edit the text under each section header and save. Lines before the first header are ignored.\n"
          + "instruction:\n" + nz(item.instruction()) + "\ninput:\n" + nz(item.input()) + "\noutput:\n"
          + nz(item.output()) + "\n";
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      List<String> cmd = new ArrayList<>(List.of(editor.split("\\s+")));
      cmd.add(tmp.toString());
      int code;
      try {
        code = new ProcessBuilder(cmd).inheritIO().start().waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ErsatzException("interrupted while waiting for the editor", e);
      } catch (IOException e) {
        throw new UserInputException("cannot start the editor from $EDITOR (" + editor + "): " + e.getMessage()
            + "; fix EDITOR or unset it to edit line by line", e);
      }
      if (code != 0) {
        out.println("the editor exited with code " + code + "; edit abandoned");
        return null;
      }
      String[] fields = parseSections(Files.readString(tmp, StandardCharsets.UTF_8));
      if (fields == null) {
        out.println("the file lost a section header (instruction:, input:, output:); edit abandoned");
      }
      return fields;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Parses the editor file: text under {@code instruction:}, {@code input:}, {@code output:} lines; null if one is missing. */
  static String[] parseSections(String text) {
    String[] result = new String[3];
    int current = -1;
    StringBuilder sb = null;
    for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
      int header = SECTIONS.indexOf(line.endsWith(":") ? line.substring(0, line.length() - 1) : "");
      if (header >= 0 && result[header] == null && header > current) {
        if (current >= 0) {
          result[current] = sb.toString().strip();
        }
        current = header;
        sb = new StringBuilder();
        continue;
      }
      if (current >= 0) {
        sb.append(line).append('\n');
      }
    }
    if (current >= 0) {
      result[current] = sb.toString().strip();
    }
    for (String s : result) {
      if (s == null) {
        return null;
      }
    }
    return result;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
