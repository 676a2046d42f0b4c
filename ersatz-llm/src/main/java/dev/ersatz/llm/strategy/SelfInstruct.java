package dev.ersatz.llm.strategy;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.llm.Example;
import dev.ersatz.llm.endpoint.Completion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Self-Instruct (Wang et al., ACL 2023, "Self-Instruct: Aligning Language Models with
 * Self-Generated Instructions", section 2.2): a prompt shows sampled human seed tasks and machine
 * tasks from earlier rounds and asks for a new instruction; the model then says whether the task is
 * a classification task; instances are generated output-first for classification (label, then
 * input, to avoid label bias) and input-first otherwise.
 *
 * <p>Deviation: one new instruction per call (the paper asks for several per prompt), which keeps
 * a slot's lineage exact.
 */
final class SelfInstruct implements Strategy {
  private static final Pattern INPUT = Pattern.compile("(?is)input\\s*:\\s*(.*?)(?:\\n\\s*output\\s*:|$)");
  private static final Pattern OUTPUT = Pattern.compile("(?is)\\n?\\s*output\\s*:\\s*(.*)$");
  private static final Pattern LABEL = Pattern.compile("(?is)class\\s*label\\s*:\\s*(.*?)\\n\\s*input\\s*:\\s*(.*)$");

  @Override
  public String name() {
    return "self-instruct";
  }

  @Override
  public Candidate generate(GenerationContext ctx, int slot) {
    RandomSource rng = ctx.rng().split(slot);
    List<Example> shown = new ArrayList<>(sample(ctx.seeds(), ctx.humanExamples(), rng.split("human")));
    shown.addAll(sample(ctx.machine(), ctx.machineExamples(), rng.split("machine")));
    int[] order = new int[shown.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    rng.split("order").shuffle(order);
    StringBuilder examples = new StringBuilder();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < order.length; i++) {
      Example e = shown.get(order[i]);
      ids.add(e.id());
      examples.append("Task ").append(i + 1).append(": ").append(e.instruction().replace('\n', ' ')).append('\n');
    }
    Calls calls = new Calls(ctx, slot);
    Completion c1 = calls.call("instruction", "self-instruct-instruction", Map.of("examples", examples.toString()));
    if (!c1.ok()) {
      return calls.failed(c1.failure(), "", "unknown", null, ids);
    }
    String instruction = firstParagraph(Calls.clean(c1.text()));
    Completion c2 = calls.call("classify", "self-instruct-is-classification", Map.of("instruction", instruction));
    if (!c2.ok()) {
      return calls.failed(c2.failure(), instruction, "unknown", null, ids);
    }
    boolean cls = c2.text().strip().toLowerCase(Locale.ROOT).startsWith("yes");
    String stratum = cls ? "classification" : "generation";
    Completion c3 = calls.call("instance", cls ? "self-instruct-output-first" : "self-instruct-input-first",
        Map.of("instruction", instruction));
    if (!c3.ok()) {
      return calls.failed(c3.failure(), instruction, stratum, null, ids);
    }
    String text = c3.text().strip();
    if (cls) {
      Matcher m = LABEL.matcher(text);
      if (!m.find()) {
        return calls.failed("malformed instance: expected 'Class label:' then 'Input:'", instruction, stratum, null, ids);
      }
      return calls.done(instruction, noInput(m.group(2)), m.group(1).strip(), stratum, null, ids);
    }
    Matcher out = OUTPUT.matcher(text);
    if (!out.find()) {
      return calls.failed("malformed instance: no 'Output:'", instruction, stratum, null, ids);
    }
    Matcher in = INPUT.matcher(text);
    String input = in.find() && in.start() < out.start() ? in.group(1) : "";
    return calls.done(instruction, noInput(input), out.group(1).strip(), stratum, null, ids);
  }

  private static String noInput(String s) {
    String t = s.strip();
    return t.equalsIgnoreCase("<noinput>") || t.equalsIgnoreCase("none") ? "" : t;
  }

  static String firstParagraph(String s) {
    int i = s.indexOf("\n\n");
    return i < 0 ? s.strip() : s.substring(0, i).strip();
  }

  /** k items without replacement (partial Fisher-Yates), in draw order. */
  static <T> List<T> sample(List<T> from, int k, RandomSource rng) {
    int n = from.size();
    k = Math.min(k, n);
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    List<T> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
      out.add(from.get(idx[i]));
    }
    return out;
  }
}
