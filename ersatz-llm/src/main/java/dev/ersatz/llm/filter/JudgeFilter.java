package dev.ersatz.llm.filter;

import dev.ersatz.llm.endpoint.Completion;
import dev.ersatz.llm.endpoint.LlmEndpoint;
import dev.ersatz.llm.endpoint.Prompt;
import dev.ersatz.llm.strategy.Candidate;
import dev.ersatz.llm.strategy.Templates;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LLM-as-a-judge (Zheng et al. 2023, "Judging LLM-as-a-Judge with MT-Bench and Chatbot Arena",
 * single-answer grading): a judge model scores each candidate 1-10 against a rubric; candidates
 * below the threshold, and unparsable or failed judgements, are rejected.
 */
public final class JudgeFilter implements CandidateFilter {
  private static final Pattern SCORE = Pattern.compile("(?i)score\\s*[:=]?\\s*(\\d+(?:\\.\\d+)?)");
  private static final Pattern NUMBER = Pattern.compile("\\b(\\d+(?:\\.\\d+)?)\\b");
  private final LlmEndpoint judge;
  private final Templates templates;
  private final String rubric;
  private final double threshold;

  private JudgeFilter(LlmEndpoint judge, Templates templates, String rubric, double threshold) {
    this.judge = judge;
    this.templates = templates;
    this.rubric = rubric;
    this.threshold = threshold;
  }

  /**
   * Creates the filter.
   *
   * @param judge the judge endpoint
   * @param templates templates (uses {@code judge})
   * @param rubric the rubric
   * @param threshold keep when score >= this
   * @return the filter
   */
  public static JudgeFilter of(LlmEndpoint judge, Templates templates, String rubric, double threshold) {
    return new JudgeFilter(judge, templates, rubric, threshold);
  }

  /** @return the judge's model */
  public String model() {
    return judge.model();
  }

  @Override
  public String name() {
    return "judge";
  }

  @Override
  public FilterVerdict apply(int round, Candidate c) {
    String prompt = templates.render("judge", Map.of("rubric", rubric, "instruction", c.instruction(),
        "input", c.input().isEmpty() ? "(none)" : c.input(), "output", c.output()));
    Completion r = judge.complete(new Prompt("r" + round + "/s" + c.slot() + "/judge", "", prompt));
    if (!r.ok()) {
      return FilterVerdict.reject("failed", "judge call failed: " + r.failure());
    }
    Double score = parse(r.text());
    if (score == null || score < 1 || score > 10) {
      return FilterVerdict.reject("unparsable", "judge answer has no score from 1 to 10");
    }
    return score >= threshold ? FilterVerdict.pass(score)
        : FilterVerdict.reject(score, "judge score " + score + " < " + threshold);
  }

  static Double parse(String text) {
    Matcher m = SCORE.matcher(text);
    if (m.find()) {
      return Double.valueOf(m.group(1));
    }
    m = NUMBER.matcher(text);
    return m.find() ? Double.valueOf(m.group(1)) : null;
  }
}
