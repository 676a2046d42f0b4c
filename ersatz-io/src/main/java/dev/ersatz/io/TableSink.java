package dev.ersatz.io;

import dev.ersatz.core.table.Table;

/**
 * Where synthetic rows go. Batches are encoded on worker threads ({@link #encode}) and written
 * in order on one thread ({@link #write}), which fits
 * {@link dev.ersatz.core.sampling.BatchSampler#run}'s {@code prepare} and {@code sink} steps.
 * Output goes to a temporary file that {@link #commit} renames to the target, so a failed or
 * interrupted run never leaves a half-written target.
 *
 * <pre>{@code
 * try (TableSink sink = Sinks.open(out, schema)) {
 *   BatchSampler.run(model::sampleBatch, rows, seed, threads, sink::encode, sink::write, progress);
 *   sink.commit();
 * }
 * }</pre>
 */
public interface TableSink extends AutoCloseable {

  /**
   * Prepares a batch for writing (e.g. formats it as CSV bytes). Thread-safe; may be called on
   * many threads at once.
   *
   * @param batch rows with the sink's schema
   * @return an opaque value for {@link #write}
   */
  Object encode(Table batch);

  /** Appends an encoded batch; called on one thread, in row order. */
  void write(Object encoded);

  /** Flushes, closes and atomically renames the temporary file to the target. */
  void commit();

  /** Releases resources; without a prior {@link #commit} deletes the temporary file(s). */
  @Override
  void close();
}
