package dev.ersatz.core;

/**
 * The root of Ersatz's one unchecked exception family.
 *
 * <p>Messages name the offending value (never a real data value at a privacy-sensitive
 * place) and, where there is one, the fix. Front ends (CLI, server) print {@link #getMessage()}
 * without a stack trace for {@link UserInputException} and its kin.
 */
public class ErsatzException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ErsatzException(String message) {
    super(message);
  }

  public ErsatzException(String message, Throwable cause) {
    super(message, cause);
  }
}
