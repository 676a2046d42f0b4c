package dev.ersatz.llm.strategy;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.llm.Example;
import dev.ersatz.llm.endpoint.Completion;
import dev.ersatz.llm.filter.RougeL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Evol-Instruct (Xu et al. 2023, "WizardLM: Empowering Large Language Models to Follow Complex
 * Instructions", section 3): each slot picks a parent from the pool and rewrites it with one of
 * four in-depth operations (add constraints, deepen, concretize, increase reasoning steps) or the
 * in-breadth mutation, then answers the evolved instruction. Failed evolutions are eliminated by
 * the paper's rules (section 3.3): (1) no information gain over the parent, (2) the answer is an
 * apology shorter than 80 words, (3) the answer is only punctuation and stop words, (4) the
 * evolved instruction copies words from the evolving prompt ("given prompt", "rewritten prompt").
 *
 * <p>Deviation: rule (1) is judged by ROUGE-L F >= 0.95 against the parent instead of asking the
 * model whether the two instructions are equal.
 */
final class EvolInstruct implements Strategy {
  private static final String[][] DEPTH = {
      {"constraints", "Add one more constraint or requirement into the given prompt."},
      {"deepening", "If the given prompt contains inquiries about certain issues, increase the depth and breadth of the inquiry."},
      {"concretizing", "Replace general concepts with more specific concepts."},
      {"reasoning", "If the given prompt can be solved with just a few simple thinking processes, rewrite it to explicitly request multiple-step reasoning."},
  };
  private static final List<String> COPIED = List.of("given prompt", "rewritten prompt", "#rewritten prompt#", "created prompt", "#created prompt#", "prompt rewriter");
  private static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "of", "to", "in", "is", "it", "i", "you", "this", "that", "be", "for", "on", "with", "as", "are", "was", "not", "no", "yes", "ok", "okay");

  @Override
  public String name() {
    return "evol-instruct";
  }

  @Override
  public Candidate generate(GenerationContext ctx, int slot) {
    RandomSource rng = ctx.rng().split(slot);
    List<Example> pool = new ArrayList<>(ctx.seeds());
    pool.addAll(ctx.machine());
    Example parent = pool.get(rng.nextInt(pool.size()));
    int op = rng.nextInt(DEPTH.length + 1);
    Calls calls = new Calls(ctx, slot);
    String stratum;
    Completion c1;
    if (op < DEPTH.length) {
      stratum = "in-depth:" + DEPTH[op][0];
      c1 = calls.call("evolve", "evol-in-depth", Map.of("instruction", parent.userTurn(), "method", DEPTH[op][1]));
    } else {
      stratum = "in-breadth";
      c1 = calls.call("evolve", "evol-in-breadth", Map.of("instruction", parent.userTurn()));
    }
    List<String> ctxIds = List.of(parent.id());
    if (!c1.ok()) {
      return calls.failed(c1.failure(), "", stratum, parent.id(), ctxIds);
    }
    String evolved = Calls.clean(c1.text());
    String lower = evolved.toLowerCase(Locale.ROOT);
    for (String w : COPIED) {
      if (lower.contains(w)) {
        return calls.failed("eliminated: copies '" + w + "' from the evolving prompt", evolved, stratum, parent.id(), ctxIds);
      }
    }
    if (RougeL.score(parent.userTurn(), evolved) >= 0.95) {
      return calls.failed("eliminated: no information gain over the parent", evolved, stratum, parent.id(), ctxIds);
    }
    Completion c2 = calls.call("answer", "answer", Map.of("instruction", evolved));
    if (!c2.ok()) {
      return calls.failed(c2.failure(), evolved, stratum, parent.id(), ctxIds);
    }
    String answer = c2.text().strip();
    List<String> words = RougeL.tokenize(answer);
    if (answer.toLowerCase(Locale.ROOT).contains("sorry") && words.size() < 80) {
      return calls.failed("eliminated: the answer is a short apology", evolved, stratum, parent.id(), ctxIds);
    }
    if (words.stream().allMatch(STOP::contains)) {
      return calls.failed("eliminated: the answer is only punctuation and stop words", evolved, stratum, parent.id(), ctxIds);
    }
    return calls.done(evolved, "", answer, stratum, parent.id(), ctxIds);
  }
}
