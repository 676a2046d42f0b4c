package dev.ersatz.core.spi;

/** Receives progress of long steps. Implementations must be thread-safe. */
@FunctionalInterface
public interface Progress {
  Progress NONE = (step, done, total) -> {};

  /**
   * Reports that {@code done} of {@code total} units of {@code step} are finished.
   *
   * @param total -1 when unknown
   */
  void update(String step, long done, long total);
}
