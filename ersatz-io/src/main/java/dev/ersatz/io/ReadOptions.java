package dev.ersatz.io;

import dev.ersatz.core.UserInputException;
import java.nio.file.Path;

/**
 * How to read a table.
 *
 * @param metadata a metadata JSON file whose column entries override the inferred types, or
 *     {@code null} to infer every column
 * @param maxRows read at most this many data rows; 0 reads all
 */
public record ReadOptions(Path metadata, int maxRows) {
  public ReadOptions {
    if (maxRows < 0) {
      throw new UserInputException("maxRows must be >= 0 (0 = all rows) but was " + maxRows);
    }
  }

  /** No metadata, all rows. */
  public static ReadOptions defaults() {
    return new ReadOptions(null, 0);
  }
}
