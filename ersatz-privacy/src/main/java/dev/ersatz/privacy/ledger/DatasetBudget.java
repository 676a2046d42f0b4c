package dev.ersatz.privacy.ledger;

/**
 * A dataset's budget and what has been spent of it (reserved and committed spends count).
 *
 * @param fingerprint SHA-256 of the dataset
 * @param totalEpsilon the total epsilon allowed over all fits
 * @param spentEpsilon the sum of epsilon over counting spends (basic composition)
 * @param spentDelta the sum of delta over counting spends
 * @param fits how many fits count
 */
public record DatasetBudget(String fingerprint, double totalEpsilon, double spentEpsilon,
    double spentDelta, int fits) {

  /** What remains, never negative. */
  public double remainingEpsilon() {
    return Math.max(0, totalEpsilon - spentEpsilon);
  }
}
