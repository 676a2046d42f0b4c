package dev.ersatz.llm.strategy;

import dev.ersatz.llm.endpoint.Completion;
import dev.ersatz.llm.endpoint.Prompt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Book-keeping for the calls one slot makes: request ids, templates, truncation. */
final class Calls {
  final GenerationContext ctx;
  final int slot;
  final List<String> requestIds = new ArrayList<>();
  final Map<String, String> templates = new LinkedHashMap<>();
  boolean truncated;

  Calls(GenerationContext ctx, int slot) {
    this.ctx = ctx;
    this.slot = slot;
  }

  /** Renders a template and calls the generator; the request id is round/slot/step. */
  Completion call(String step, String template, Map<String, String> vars) {
    String id = "r" + ctx.round() + "/s" + slot + "/" + step;
    requestIds.add(id);
    templates.put(template, ctx.templates().hash(template));
    Completion c = ctx.generator().complete(new Prompt(id, "", ctx.templates().render(template, vars)));
    truncated |= c.truncated();
    return c;
  }

  Candidate failed(String reason, String instruction, String stratum, String parentId, List<String> contextIds) {
    return new Candidate(slot, instruction, "", "", reason, truncated, stratum, parentId, contextIds, templates,
        requestIds, ctx.generator().name(), ctx.generator().model());
  }

  Candidate done(String instruction, String input, String output, String stratum, String parentId, List<String> contextIds) {
    return new Candidate(slot, instruction, input, output, null, truncated, stratum, parentId, contextIds, templates,
        requestIds, ctx.generator().name(), ctx.generator().model());
  }

  /** Strips a leading "Task 9:" / "1." / "#Rewritten Prompt#:" label and surrounding quotes. */
  static String clean(String text) {
    String t = text.strip();
    t = t.replaceFirst("(?is)^(#?\\s*(rewritten|created|new)\\s+prompt\\s*#?\\s*:|task\\s*\\d*\\s*:|\\d+\\s*[.)]|instruction\\s*:)\\s*", "");
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    return t.strip();
  }
}
