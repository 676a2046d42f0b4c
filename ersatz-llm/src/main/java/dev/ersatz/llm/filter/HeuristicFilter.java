package dev.ersatz.llm.filter;

import dev.ersatz.llm.strategy.Candidate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Self-Instruct's heuristics (Wang et al. 2023, section 2.3): instruction length bounds in words,
 * blocked keywords that a text-only model cannot act on (image, graph, picture, file, map, draw,
 * plot, ...), truncated outputs, instructions starting with punctuation or a non-ASCII character,
 * and failed or empty generations.
 */
public final class HeuristicFilter implements CandidateFilter {
  private final int minWords;
  private final int maxWords;
  private final int maxOutputWords;
  private final List<Pattern> blocked;
  private final List<String> blockedWords;

  private HeuristicFilter(int minWords, int maxWords, int maxOutputWords, List<String> blocked) {
    this.minWords = minWords;
    this.maxWords = maxWords;
    this.maxOutputWords = maxOutputWords;
    this.blockedWords = List.copyOf(blocked);
    this.blocked = blocked.stream()
        .map(w -> Pattern.compile("\\b" + Pattern.quote(w.toLowerCase(Locale.ROOT)) + "\\b")).toList();
  }

  /**
   * Creates the filter.
   *
   * @param minWords minimum instruction words
   * @param maxWords maximum instruction words
   * @param maxOutputWords maximum output words
   * @param blocked blocked keywords (whole words, case-insensitive)
   * @return the filter
   */
  public static HeuristicFilter of(int minWords, int maxWords, int maxOutputWords, List<String> blocked) {
    return new HeuristicFilter(minWords, maxWords, maxOutputWords, blocked);
  }

  @Override
  public String name() {
    return "heuristics";
  }

  @Override
  public FilterVerdict apply(int round, Candidate c) {
    if (c.failure() != null) {
      return FilterVerdict.reject("failed", "generation failed: " + c.failure());
    }
    if (c.truncated()) {
      return FilterVerdict.reject("truncated", "a model response stopped at the token limit");
    }
    String ins = c.instruction();
    if (ins.isEmpty()) {
      return FilterVerdict.reject("empty", "empty instruction");
    }
    if (c.output().isEmpty()) {
      return FilterVerdict.reject("empty-output", "empty output");
    }
    int words = ins.split("\\s+").length;
    if (words < minWords || words > maxWords) {
      return FilterVerdict.reject("length", "instruction has " + words + " words, outside [" + minWords + ", " + maxWords + "]");
    }
    int outWords = c.output().split("\\s+").length;
    if (outWords > maxOutputWords) {
      return FilterVerdict.reject("output-length", "output has " + outWords + " words, more than " + maxOutputWords);
    }
    char first = ins.charAt(0);
    if (!Character.isLetterOrDigit(first) || first > 127) {
      return FilterVerdict.reject("non-text-start", "instruction starts with '" + first + "' (punctuation or non-ASCII)");
    }
    String lower = ins.toLowerCase(Locale.ROOT);
    for (int i = 0; i < blocked.size(); i++) {
      if (blocked.get(i).matcher(lower).find()) {
        return FilterVerdict.reject("blocked", "contains blocked keyword '" + blockedWords.get(i) + "'");
      }
    }
    return FilterVerdict.pass("ok");
  }
}
