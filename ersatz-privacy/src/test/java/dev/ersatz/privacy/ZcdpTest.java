package dev.ersatz.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The zCDP to (epsilon, delta) conversion against an independent scipy minimisation
 * (src/test/python/zcdp_reference.py and its .out file).
 */
class ZcdpTest {

  @Test
  void rhoMatchesScipyReference() {
    assertThat(Zcdp.rho(1.0, 1e-6)).isCloseTo(0.02435597036, within(1e-9));
    assertThat(Zcdp.rho(0.1, 1e-6)).isCloseTo(0.0003210476903, within(1e-11));
    assertThat(Zcdp.rho(3.0, 1e-6)).isCloseTo(0.1850698407, within(1e-8));
    assertThat(Zcdp.rho(10.0, 1e-9)).isCloseTo(1.090785704, within(1e-7));
  }

  @Test
  void epsilonMatchesScipyReferenceAndIsTighterThanTheSimpleBound() {
    assertThat(Zcdp.epsilon(0.5, 1e-5)).isCloseTo(4.728386985, within(1e-7));
    assertThat(Zcdp.epsilon(0.02, 1e-6)).isCloseTo(0.8999352677, within(1e-8));
    for (double rho : new double[] {1e-4, 0.01, 0.1, 1, 5}) {
      assertThat(Zcdp.epsilon(rho, 1e-6)).isLessThanOrEqualTo(Zcdp.epsilonSimple(rho, 1e-6));
    }
  }

  @Test
  void roundTripsAndRejectsBadArguments() {
    double rho = Zcdp.rho(2.0, 1e-7);
    assertThat(Zcdp.epsilon(rho, 1e-7)).isCloseTo(2.0, within(1e-6));
    assertThat(Zcdp.delta(rho, 2.0)).isLessThanOrEqualTo(1e-7 * (1 + 1e-6));
    assertThatThrownBy(() -> Zcdp.rho(-1, 1e-6)).hasMessageContaining("epsilon must be > 0");
    assertThatThrownBy(() -> Zcdp.rho(1, 0)).hasMessageContaining("delta must be in (0, 1)");
  }

  @Test
  void accountantRefusesOverspendingAndNamesTheNumbers() {
    PrivacyAccountant a = PrivacyAccountant.ofRho(1.0);
    a.gaussian(0.6, 1, "first");
    assertThatThrownBy(() -> a.laplace(0.5, 1, "second"))
        .isInstanceOf(PrivacyBudgetException.class)
        .hasMessageContaining("second").hasMessageContaining("0.6").hasMessageContaining("0.4");
    assertThat(a.spentRho()).isEqualTo(0.6);
    a.exponential(0.4, 1, "third");
    assertThat(a.remainingRho()).isCloseTo(0, within(1e-12));
    assertThat(a.spends()).extracting(PrivacyAccountant.Spend::mechanism)
        .containsExactly("gaussian", "exponential");
  }
}
