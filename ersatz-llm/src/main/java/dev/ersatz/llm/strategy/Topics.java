package dev.ersatz.llm.strategy;

import dev.ersatz.llm.endpoint.Completion;
import java.util.List;
import java.util.Map;

/**
 * Textbook-style topic grids (after Gunasekar et al. 2023, "Textbooks Are All You Need", and
 * Li et al. 2023, "Textbooks Are All You Need II"): slots walk the topic x audience x style grid,
 * continuing across rounds, so diversity comes from the grid rather than from sampling. Each slot
 * asks for an instruction for its cell, then answers it.
 */
final class Topics implements Strategy {
  @Override
  public String name() {
    return "topics";
  }

  @Override
  public Candidate generate(GenerationContext ctx, int slot) {
    List<String> t = ctx.topics();
    List<String> a = ctx.audiences();
    List<String> s = ctx.styles();
    long cells = (long) t.size() * a.size() * s.size();
    long cell = Math.floorMod((long) (ctx.round() - 1) * ctx.count() + slot, cells);
    String topic = t.get((int) (cell % t.size()));
    String audience = a.get((int) ((cell / t.size()) % a.size()));
    String style = s.get((int) (cell / ((long) t.size() * a.size())));
    Calls calls = new Calls(ctx, slot);
    Completion c1 = calls.call("instruction", "topics-instruction", Map.of("topic", topic, "audience", audience, "style", style));
    if (!c1.ok()) {
      return calls.failed(c1.failure(), "", topic, null, List.of());
    }
    String instruction = SelfInstruct.firstParagraph(Calls.clean(c1.text()));
    Completion c2 = calls.call("answer", "answer", Map.of("instruction", instruction));
    if (!c2.ok()) {
      return calls.failed(c2.failure(), instruction, topic, null, List.of());
    }
    return calls.done(instruction, "", c2.text(), topic, null, List.of());
  }
}
