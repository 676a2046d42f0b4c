package dev.ersatz.privacy;

import dev.ersatz.core.ErsatzException;

/**
 * A privacy budget would be overspent: a fit or a mechanism asked for more than remains. The
 * message says what was asked, what has been spent and what remains.
 */
public class PrivacyBudgetException extends ErsatzException {
  private static final long serialVersionUID = 1L;

  public PrivacyBudgetException(String message) {
    super(message);
  }
}
