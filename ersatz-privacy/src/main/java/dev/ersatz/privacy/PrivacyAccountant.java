package dev.ersatz.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tracks the zCDP budget of one fit: every mechanism is obtained from here, which records its
 * cost and refuses it when the total would be exceeded.
 *
 * <p>zCDP composes additively (Bun and Steinke 2016, Lemma 2.3): running mechanisms that are
 * rho_1-, ..., rho_k-zCDP on the same data is (rho_1 + ... + rho_k)-zCDP, so the accountant
 * only sums rho. Not thread-safe: one fit, one thread.
 */
public final class PrivacyAccountant {
  /** Relative slack for floating-point sums of shares of the total. */
  private static final double SLACK = 1e-9;

  private final double totalRho;
  private final List<Spend> spends = new ArrayList<>();
  private double spentRho;

  /**
   * One recorded use of the data.
   *
   * @param what what was measured (e.g. "2-way marginal age x income")
   * @param mechanism "gaussian", "laplace" or "exponential"
   * @param rho its zCDP cost
   */
  public record Spend(String what, String mechanism, double rho) {}

  private PrivacyAccountant(double totalRho) {
    if (!(totalRho > 0) || !Double.isFinite(totalRho)) {
      throw new IllegalArgumentException("the zCDP budget rho must be > 0 but was " + totalRho);
    }
    this.totalRho = totalRho;
  }

  /** An accountant with a total budget of {@code rho}-zCDP. */
  public static PrivacyAccountant ofRho(double rho) {
    return new PrivacyAccountant(rho);
  }

  /**
   * An accountant whose total zCDP budget converts to (epsilon, delta)-DP by {@link Zcdp#rho}.
   */
  public static PrivacyAccountant ofEpsilonDelta(double epsilon, double delta) {
    return new PrivacyAccountant(Zcdp.rho(epsilon, delta));
  }

  public double totalRho() {
    return totalRho;
  }

  public double spentRho() {
    return spentRho;
  }

  public double remainingRho() {
    return Math.max(0, totalRho - spentRho);
  }

  /** What has been spent, in order. */
  public List<Spend> spends() {
    return List.copyOf(spends);
  }

  /**
   * Records a spend of {@code rho}.
   *
   * @throws PrivacyBudgetException when the total would be exceeded; nothing is recorded then
   */
  public void spend(double rho, String mechanism, String what) {
    if (!(rho > 0) || !Double.isFinite(rho)) {
      throw new IllegalArgumentException("rho must be > 0 but was " + rho + " for " + what);
    }
    if (spentRho + rho > totalRho * (1 + SLACK)) {
      throw new PrivacyBudgetException(String.format(Locale.ROOT,
          "privacy budget exceeded: %s asks for rho=%.6g but %.6g of %.6g is spent and only "
              + "%.6g remains", what, rho, spentRho, totalRho, remainingRho()));
    }
    spentRho += rho;
    spends.add(new Spend(what, mechanism, rho));
  }

  /** A Gaussian mechanism costing {@code rho}, recorded here. */
  public GaussianMechanism gaussian(double rho, double l2Sensitivity, String what) {
    GaussianMechanism m = GaussianMechanism.ofRho(rho, l2Sensitivity);
    spend(rho, "gaussian", what);
    return m;
  }

  /** A Laplace mechanism costing {@code rho}, recorded here. */
  public LaplaceMechanism laplace(double rho, double l1Sensitivity, String what) {
    LaplaceMechanism m = LaplaceMechanism.ofRho(rho, l1Sensitivity);
    spend(rho, "laplace", what);
    return m;
  }

  /** An exponential mechanism costing {@code rho}, recorded here. */
  public ExponentialMechanism exponential(double rho, double sensitivity, String what) {
    ExponentialMechanism m = ExponentialMechanism.ofRho(rho, sensitivity);
    spend(rho, "exponential", what);
    return m;
  }
}
