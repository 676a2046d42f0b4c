package dev.ersatz.io;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.sampling.BatchSampler;
import dev.ersatz.core.spi.Condition;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.Progress;
import dev.ersatz.core.spi.SupportsConditionalSampling;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Samples a fitted model into a CSV, JSON or Parquet file: the Java API behind {@code ersatz
 * sample}.
 *
 * <p>Rows stream in batches drawn on {@code threads} threads (see {@link BatchSampler}); memory
 * does not grow with the row count. The output is written to a temporary file beside the target
 * and renamed only when every row is written, so a failure never leaves a half-written file.
 * The same model, row count, seed and options always give the same bytes. {@link
 * #writeTo(OutputStream, String, Sinks.StreamFormat)} streams the same bytes to a stream instead
 * (a pipe).
 */
public final class SampleToFile {
  /** Keeps some rows of a batch and drops others (e.g. a privacy gate). Thread-safe. */
  @FunctionalInterface
  public interface BatchFilter {
    /** The kept rows of {@code batch}. */
    Table keep(Table batch);
  }

  /**
   * Rewrites each batch before it is filtered and written (e.g. a watermark). Must keep the
   * schema and the row count, be deterministic and thread-safe: batches are transformed on the
   * sampling threads.
   */
  @FunctionalInterface
  public interface BatchTransform {
    /** The rewritten {@code batch}. */
    Table apply(Table batch);
  }

  /** What a run did. */
  public record Result(Path file, long rows, long dropped, double seconds) {
    public double rowsPerSecond() {
      return seconds > 0 ? rows / seconds : Double.POSITIVE_INFINITY;
    }
  }

  private final FittedModel model;
  private long rows = -1;
  private long seed = 42;
  private int threads = Runtime.getRuntime().availableProcessors();
  private Condition condition = Condition.NONE;
  private String rebalance;
  private BatchFilter filter;
  private BatchTransform transform;
  private Progress progress = Progress.NONE;

  private SampleToFile(FittedModel model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  public static SampleToFile of(FittedModel model) {
    return new SampleToFile(model);
  }

  /**
   * @param n rows to write, {@code >= 1}
   * @throws UserInputException otherwise
   */
  public SampleToFile rows(long n) {
    if (n < 1) {
      throw new UserInputException("the number of rows (-n) must be at least 1 but was " + n);
    }
    this.rows = n;
    return this;
  }

  public SampleToFile seed(long s) {
    this.seed = s;
    return this;
  }

  public SampleToFile threads(int t) {
    if (t < 1) {
      throw new UserInputException("threads must be at least 1 but was " + t);
    }
    this.threads = t;
    return this;
  }

  /** Only rows matching {@code c}, drawn from the model's conditional distribution. */
  public SampleToFile where(Condition c) {
    this.condition = Objects.requireNonNull(c, "condition");
    return this;
  }

  /** Draws the categories of {@code column} uniformly (rare-class upsampling). */
  public SampleToFile rebalance(String column) {
    this.rebalance = column;
    return this;
  }

  public SampleToFile filter(BatchFilter f) {
    this.filter = f;
    return this;
  }

  /**
   * Rewrites every drawn batch before the filter sees it, so filtered rows are judged as they
   * will be written. Without a filter, the rows are the ones the same seed gives without the
   * transform, rewritten.
   */
  public SampleToFile transform(BatchTransform t) {
    this.transform = t;
    return this;
  }

  public SampleToFile progress(Progress p) {
    this.progress = Objects.requireNonNull(p, "progress");
    return this;
  }

  /** Checks the options against the model before any work. */
  public void validate() {
    if (rows < 1) {
      throw new UserInputException("say how many rows to sample (-n ROWS, at least 1)");
    }
    if (!condition.isEmpty() || rebalance != null) {
      if (!(model instanceof SupportsConditionalSampling cs)) {
        throw new UserInputException("generator '" + model.generator()
            + "' does not support --where or --rebalance");
      }
      cs.validate(condition);
      if (rebalance != null) {
        for (Condition.Clause c : condition.clauses()) {
          if (c.column().equals(rebalance)) {
            throw new UserInputException("--rebalance " + rebalance
                + " conflicts with --where on the same column");
          }
        }
        if (cs.categories(rebalance).isEmpty()) {
          throw new UserInputException("--rebalance " + rebalance + ": the column has no values");
        }
      }
    }
  }

  /** Writes the rows to {@code out}, in the format its extension names ({@link Sinks#open}). */
  public Result writeTo(Path out) {
    validate();
    return write(() -> Sinks.open(out, model.schema()), out);
  }

  /**
   * Writes the rows as CSV to {@code stream} as they are drawn (for {@code sample -o -}); the
   * stream is flushed, not closed. The result names no file.
   *
   * @param where how error messages name the stream ("standard output")
   */
  public Result writeTo(OutputStream stream, String where) {
    return writeTo(stream, where, Sinks.StreamFormat.CSV);
  }

  /** As {@link #writeTo(OutputStream, String)}, in {@code format}. */
  public Result writeTo(OutputStream stream, String where, Sinks.StreamFormat format) {
    validate();
    return write(() -> Sinks.toStream(stream, where, model.schema(), format), null);
  }

  private Result write(Supplier<TableSink> opener, Path out) {
    BatchSampler.BatchFn drawn = batchFunction();
    BatchSampler.BatchFn base = transform == null ? drawn
        : (n, first, rng) -> transform.apply(drawn.batch(n, first, rng));
    AtomicLong dropped = new AtomicLong();
    BatchSampler.BatchFn fn = filter == null ? base : (n, first, rng) -> {
      // keep drawing until the batch is full, so the requested row count is always delivered
      List<Table> parts = new ArrayList<>();
      int have = 0;
      int attempt = 0;
      while (have < n) {
        if (attempt > 1000) {
          throw new UserInputException("the privacy gate rejects almost every sampled row; "
              + "check the gate's reference data and threshold");
        }
        int ask = attempt == 0 ? n : Math.max(64, (n - have) * 2);
        Table t = base.batch(ask, first + have + (long) attempt * 1_000_000_000L,
            rng.split(attempt));
        Table kept = filter.keep(t);
        dropped.addAndGet(t.rowCount() - kept.rowCount());
        if (kept.rowCount() > n - have) {
          int[] idx = new int[n - have];
          for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
          }
          kept = Tables.select(kept, idx);
        }
        if (kept.rowCount() > 0) {
          parts.add(kept);
          have += kept.rowCount();
        }
        attempt++;
      }
      return parts.size() == 1 ? parts.get(0) : Tables.concat(parts);
    };
    long t0 = System.nanoTime();
    try (TableSink sink = opener.get()) {
      BatchSampler.run(fn, rows, seed, threads, sink::encode, sink::write, progress);
      sink.commit();
    }
    return new Result(out, rows, dropped.get(), (System.nanoTime() - t0) / 1e9);
  }

  private BatchSampler.BatchFn batchFunction() {
    if (rebalance == null && condition.isEmpty()) {
      return model::sampleBatch;
    }
    SupportsConditionalSampling cs = (SupportsConditionalSampling) model;
    if (rebalance == null) {
      return (n, first, rng) -> cs.sampleBatch(condition, n, first, rng);
    }
    List<String> levels = cs.categories(rebalance);
    return (n, first, rng) -> {
      // each row's category is drawn uniformly; rows of one category are drawn together
      int[] counts = new int[levels.size()];
      RandomSource pick = rng.split("rebalance");
      int[] cat = new int[n];
      for (int r = 0; r < n; r++) {
        cat[r] = pick.nextInt(levels.size());
        counts[cat[r]]++;
      }
      List<Table> parts = new ArrayList<>();
      long at = first;
      for (int c = 0; c < levels.size(); c++) {
        if (counts[c] == 0) {
          continue;
        }
        List<Condition.Clause> clauses = new ArrayList<>(condition.clauses());
        clauses.add(new Condition.Clause(rebalance, levels.get(c)));
        parts.add(cs.sampleBatch(new Condition(clauses), counts[c], at, rng.split(c)));
        at += counts[c];
      }
      Table all = parts.size() == 1 ? parts.get(0) : Tables.concat(parts);
      // interleave the categories again
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      pick.shuffle(order);
      return Tables.select(all, order);
    };
  }
}
