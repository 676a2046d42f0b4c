package dev.ersatz.core;

/**
 * A mistake in what the user gave us: a missing or malformed file, an unknown column, an
 * impossible option. The message says where (file, line, column) and how to fix it.
 */
public class UserInputException extends ErsatzException {
  private static final long serialVersionUID = 1L;

  public UserInputException(String message) {
    super(message);
  }

  public UserInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
