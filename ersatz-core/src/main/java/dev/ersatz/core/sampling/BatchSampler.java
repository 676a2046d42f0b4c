package dev.ersatz.core.sampling;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.spi.Progress;
import dev.ersatz.core.table.Table;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Streams any number of rows in fixed-size batches, drawn on several threads, delivered in
 * order.
 *
 * <p>Batch {@code i} always holds rows {@code [i * BATCH_ROWS, ...)} and always draws from
 * {@code RandomSource.of(seed).split(i)}, so the output is a pure function of the model, the
 * row count and the seed, whatever the number of threads. At most a few batches per thread are
 * in flight, so memory does not grow with the number of rows. The {@code prepare} step (for
 * example formatting a batch as CSV bytes) runs on the worker threads too; {@code sink} runs on
 * the calling thread, in batch order.
 */
public final class BatchSampler {
  /** Rows per batch. Part of the output's definition: changing it changes sampled rows. */
  public static final int BATCH_ROWS = 8192;

  private BatchSampler() {}

  /** Draws one batch. Must be a pure function of its arguments. */
  @FunctionalInterface
  public interface BatchFn {
    Table batch(int rows, long firstRow, RandomSource rng);
  }

  /**
   * Samples {@code rows} rows.
   *
   * @param fn draws a batch
   * @param rows total rows, {@code >= 0}
   * @param seed the run's seed
   * @param threads worker threads, {@code >= 1}
   * @param prepare runs on a worker for each batch (e.g. encode it)
   * @param sink receives the prepared batches in order on the calling thread
   * @param progress told after each batch
   * @return the number of rows delivered
   */
  public static <T> long run(BatchFn fn, long rows, long seed, int threads,
      Function<Table, T> prepare, Consumer<T> sink, Progress progress) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0 but was " + rows);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
    }
    long batches = (rows + BATCH_ROWS - 1) / BATCH_ROWS;
    RandomSource root = RandomSource.of(seed);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "ersatz-sampler");
      t.setDaemon(true);
      return t;
    });
    try {
      int window = threads * 3;
      ArrayDeque<Future<T>> inFlight = new ArrayDeque<>();
      long next = 0;
      long done = 0;
      while (done < batches) {
        while (next < batches && inFlight.size() < window) {
          final long b = next++;
          final long first = b * BATCH_ROWS;
          final int n = (int) Math.min(BATCH_ROWS, rows - first);
          inFlight.add(pool.submit(() -> prepare.apply(fn.batch(n, first, root.split(b)))));
        }
        T item = await(inFlight.poll());
        sink.accept(item);
        done++;
        progress.update("sample", Math.min(rows, done * BATCH_ROWS), rows);
      }
      return rows;
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ErsatzException("sampling was interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new ErsatzException("sampling failed: " + c, c);
    }
  }
}
