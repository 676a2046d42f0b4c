package dev.ersatz.llm.filter;

import dev.ersatz.llm.strategy.Candidate;
import java.util.Locale;

/** The pool-wide ROUGE-L novelty filter over instructions, backed by an exact {@link NoveltyIndex}. */
public final class NoveltyFilter implements CandidateFilter {
  private final NoveltyIndex index;

  private NoveltyFilter(double threshold) {
    this.index = NoveltyIndex.of(threshold);
  }

  /**
   * Creates the filter.
   *
   * @param threshold reject when ROUGE-L F against any pooled instruction exceeds this
   * @return the filter
   */
  public static NoveltyFilter of(double threshold) {
    return new NoveltyFilter(threshold);
  }

  /**
   * Pools an instruction (seed tasks, examples restored on resume).
   *
   * @param instruction the instruction
   */
  public void add(String instruction) {
    index.add(instruction);
  }

  @Override
  public String name() {
    return "novelty";
  }

  @Override
  public FilterVerdict apply(int round, Candidate c) {
    NoveltyIndex.Decision d = index.check(c.instruction());
    return d.novel() ? FilterVerdict.pass(d.score())
        : FilterVerdict.reject(d.score(), String.format(Locale.ROOT, "ROUGE-L %.4f > %.2f against pooled instruction #%d",
            d.score(), index.threshold(), d.match()));
  }

  @Override
  public void keep(Candidate c) {
    index.add(c.instruction());
  }
}
