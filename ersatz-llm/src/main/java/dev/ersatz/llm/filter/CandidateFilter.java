package dev.ersatz.llm.filter;

import dev.ersatz.llm.strategy.Candidate;

/**
 * One stage of the filter chain. Stateful filters (novelty, semantic dedup) compare against the
 * pool and learn a candidate only when the whole chain kept it ({@link #keep}).
 */
public interface CandidateFilter {
  /** @return the filter's name, used for counts and lineage */
  String name();

  /**
   * Judges a candidate.
   *
   * @param round the round
   * @param c the candidate
   * @return the verdict, never null
   */
  FilterVerdict apply(int round, Candidate c);

  /**
   * Adds a kept candidate to the filter's pool.
   *
   * @param c a candidate every filter passed
   */
  default void keep(Candidate c) {}
}
