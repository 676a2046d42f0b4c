package dev.ersatz.llm.review;

/**
 * The review gate's state for one round.
 *
 * @param round the round
 * @param sampled items drawn for review
 * @param reviewed items with a verdict
 * @param rejected items rejected
 * @param upperBound Clopper-Pearson upper bound of the reject rate (1 until fully reviewed)
 * @param confidence the bound's confidence
 * @param maxRejectRate the gate's threshold
 * @param promotable true when every item is reviewed and the bound is below the threshold
 */
public record RoundStatus(int round, int sampled, int reviewed, int rejected, double upperBound, double confidence,
    double maxRejectRate, boolean promotable) {
  /** @return the observed reject rate among reviewed items (0 when none) */
  public double rejectRate() {
    return reviewed == 0 ? 0 : (double) rejected / reviewed;
  }

  /** @return a one-line explanation */
  public String explain() {
    if (reviewed < sampled) {
      return String.format(java.util.Locale.ROOT, "round %d blocked: %d of %d sampled examples reviewed", round, reviewed, sampled);
    }
    return String.format(java.util.Locale.ROOT, "round %d %s: %d of %d rejected, %.0f%% upper bound %.4f %s %.4f",
        round, promotable ? "promoted" : "blocked", rejected, reviewed, confidence * 100, upperBound,
        promotable ? "<" : ">=", maxRejectRate);
  }
}
