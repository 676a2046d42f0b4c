package dev.ersatz.bench;

import dev.ersatz.core.demo.ClinicPatients;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.sampling.BatchSampler;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.Synthesizers;
import dev.ersatz.core.table.Table;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one batch of {@link BatchSampler#BATCH_ROWS} rows drawn by each generator on the demo
 * table, with no I/O (the generation cost alone). Run with
 * {@code java -cp ersatz-cli/target/ersatz.jar:ersatz-bench/target/classes org.openjdk.jmh.Main SamplingBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SamplingBenchmark {
  @Param({"independent", "copula", "trees"})
  public String generator;

  private FittedModel model;
  private long batch;

  @Setup
  public void fit() {
    Table t = ClinicPatients.generate(20_000, 1);
    model = Synthesizers.get(generator).create(Map.of()).fit(t, FitContext.of(1));
  }

  /** Rows per second = this throughput x BATCH_ROWS. */
  @Benchmark
  public Table batch() {
    return model.sampleBatch(BatchSampler.BATCH_ROWS, 0, RandomSource.of(batch++));
  }
}
