package dev.ersatz.core;

/** A model file that cannot be read: corrupt, truncated, or of another format version. */
public class ModelFormatException extends UserInputException {
  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
