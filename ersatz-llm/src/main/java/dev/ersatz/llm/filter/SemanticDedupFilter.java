package dev.ersatz.llm.filter;

import dev.ersatz.llm.strategy.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Semantic near-duplicate removal: rejects a candidate whose instruction embedding has cosine
 * similarity at least the threshold with a pooled instruction (exact nearest-neighbour scan; pools
 * of a few hundred thousand instructions are fine). Not thread-safe.
 */
public final class SemanticDedupFilter implements CandidateFilter {
  private final Embedder embedder;
  private final double threshold;
  private final List<float[]> pool = new ArrayList<>();
  // the last candidate's vector, reused by keep() (the pipeline calls apply then keep)
  private String lastText;
  private float[] lastVector;

  private SemanticDedupFilter(Embedder embedder, double threshold) {
    this.embedder = embedder;
    this.threshold = threshold;
  }

  /**
   * Creates the filter.
   *
   * @param embedder the embedding model
   * @param threshold reject when cosine >= this (0.9 by default)
   * @return the filter
   */
  public static SemanticDedupFilter of(Embedder embedder, double threshold) {
    return new SemanticDedupFilter(embedder, threshold);
  }

  /**
   * Pools an instruction.
   *
   * @param instruction the instruction
   */
  public void add(String instruction) {
    pool.add(vector(instruction));
  }

  float[] vector(String s) {
    if (!s.equals(lastText)) {
      lastVector = embedder.embed(s);
      lastText = s;
    }
    return lastVector;
  }

  @Override
  public String name() {
    return "semantic";
  }

  @Override
  public FilterVerdict apply(int round, Candidate c) {
    float[] v = vector(c.instruction());
    double best = -1;
    for (float[] p : pool) {
      best = Math.max(best, Embedder.cosine(v, p));
    }
    double score = Math.round(best * 1e6) / 1e6;
    return best >= threshold
        ? FilterVerdict.reject(score, String.format(Locale.ROOT, "cosine %.4f >= %.2f to a pooled instruction", best, threshold))
        : FilterVerdict.pass(score);
  }

  @Override
  public void keep(Candidate c) {
    pool.add(vector(c.instruction()));
  }
}
