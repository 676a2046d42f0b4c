package dev.ersatz.llm.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Function;

/**
 * A deterministic stand-in for an instruction-generating model: recognizes the built-in prompt
 * templates and answers from a hash of the prompt, so the same prompt always gets the same answer
 * regardless of request order. A share of answers is deliberately bad (blocked keywords, malformed
 * instances, low judge scores) so every filter has work.
 */
public final class InstructResponder implements Function<ScriptedLlmServer.Request, String> {
  private static final String[] VERBS = {"Explain", "Summarize", "Describe", "Compare", "List", "Outline", "Argue",
      "Evaluate", "Suggest", "Classify", "Translate", "Rewrite", "Estimate", "Plan", "Critique", "Define"};
  private static final String[] TOPICS = {"tidal energy", "medieval trade routes", "sourdough fermentation",
      "binary search trees", "urban beekeeping", "the water cycle", "jazz improvisation", "volcanic soils",
      "public key cryptography", "marathon training", "coral reef bleaching", "supply and demand",
      "chess openings", "photosynthesis", "the printing press", "noise cancelling headphones", "glacier retreat",
      "compound interest", "migratory birds", "solar sails", "the Roman census", "vaccine trials",
      "container shipping", "bicycle gears", "lichen symbiosis", "carbon pricing", "origami folding",
      "night sky navigation", "rainwater harvesting", "wind turbine blades"};
  private static final String[] FRAMES = {"for a ten year old", "in three bullet points", "using an everyday analogy",
      "with one worked example", "in under fifty words", "as a short dialogue", "for a busy manager",
      "highlighting common misconceptions", "with a historical note", "as a step by step guide"};
  private final long delayMillis;

  /** Creates a responder that answers at once. */
  public InstructResponder() {
    this(0);
  }

  /**
   * Creates a responder.
   *
   * @param delayMillis delay before each answer (to make runs slow enough to kill)
   */
  public InstructResponder(long delayMillis) {
    this.delayMillis = delayMillis;
  }

  static long hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      long h = 0;
      for (int i = 0; i < 8; i++) {
        h = (h << 8) | (d[i] & 0xff);
      }
      return h & Long.MAX_VALUE;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String apply(ScriptedLlmServer.Request r) {
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String p = r.user();
    long h = hash(p);
    if (p.contains("strict reviewer")) {
      long score = 4 + h % 6; // 4..9
      return "Score: " + score + "\nThe response is adequate.";
    }
    if (p.contains("Is it classification?")) {
      return h % 4 == 0 ? "Yes" : "No";
    }
    if (p.contains("Class label: <the label>")) {
      return "Class label: " + (h % 2 == 0 ? "positive" : "negative") + "\nInput: A short text about " + TOPICS[(int) (h % TOPICS.length)] + ".";
    }
    if (p.contains("Output: <the output>")) {
      if (h % 13 == 0) {
        return "Sure! Here is something without the expected format.";
      }
      return "Input: <noinput>\nOutput: A clear and helpful answer about " + TOPICS[(int) (h % TOPICS.length)]
          + " that covers the main idea, one example and a caveat.";
    }
    if (p.contains("Come up with a new task") || p.contains("Prompt Rewriter") || p.contains("Prompt Creator")
        || p.contains("Write one self-contained instruction")) {
      String verb = VERBS[(int) (h % VERBS.length)];
      String topic = TOPICS[(int) ((h / 16) % TOPICS.length)];
      String frame = FRAMES[(int) ((h / 512) % FRAMES.length)];
      if (h % 17 == 0) {
        return "Draw a picture of " + topic + ".";
      }
      return verb + " " + topic + " " + frame + ".";
    }
    // answering an instruction
    return "Here is a careful answer. " + p.strip() + " The key points are the mechanism, an example, and the limits of the idea.";
  }
}
