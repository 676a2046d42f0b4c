package dev.ersatz.bench;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.sampling.BatchSampler;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.Progress;
import dev.ersatz.core.spi.Synthesizers;
import dev.ersatz.core.table.Table;
import dev.ersatz.io.ModelFiles;
import dev.ersatz.io.ReadOptions;
import dev.ersatz.io.ReadResult;
import dev.ersatz.io.Sinks;
import dev.ersatz.io.TableReader;
import dev.ersatz.io.TableSink;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Single-thread CPU cost per sampled row, split into drawing (the model), CSV encoding and
 * Parquet encoding (pages compressed, as the workers do it), in CPU nanoseconds of the measuring
 * thread: robust to other processes on a shared machine, unlike wall-clock throughput. The total
 * is drawing plus CSV encoding. {@code java -cp ... dev.ersatz.bench.CpuProfile [--data F]
 * [--generators a,b] [--batches N] [--model FILE] [--rounds R]}. With {@code --model} the given
 * model file is measured instead of fitting the generators (so two builds can be compared on
 * the very same model); with {@code --rounds} each figure is the minimum over R rounds, which
 * other load on a shared machine can only raise.
 */
public final class CpuProfile {
  private CpuProfile() {}

  public static void main(String[] args) throws Exception {
    Path data = Paths.get("..", "shared", "data", "splits", "census_train.csv.gz");
    List<String> generators = List.of("independent", "copula", "trees");
    int batches = 200;
    Path modelFile = null;
    int rounds = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Paths.get(args[++i]);
        case "--generators" -> generators = List.of(args[++i].split(","));
        case "--batches" -> batches = Integer.parseInt(args[++i]);
        case "--model" -> modelFile = Paths.get(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    ReadResult rr = modelFile == null ? TableReader.read(data, ReadOptions.defaults()) : null;
    if (modelFile != null) {
      generators = List.of(modelFile.getFileName().toString());
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Path tmp = Files.createTempDirectory("ersatz-cpu");
    System.out.println("| generator | draw (ns/row) | CSV encode (ns/row) | Parquet encode (ns/row)"
        + " | total with CSV (ns/row) |");
    System.out.println("|---|---|---|---|---|");
    for (String g : generators) {
      FittedModel model = modelFile != null ? ModelFiles.read(modelFile)
          : Synthesizers.get(g).create(Map.of()).fit(rr.table(),
              new FitContext(42, Progress.NONE, rr.source()));
      int n = BatchSampler.BATCH_ROWS;
      try (TableSink sink = Sinks.open(tmp.resolve(g + ".csv"), model.schema());
          TableSink parquet = Sinks.open(tmp.resolve(g + ".parquet"), model.schema())) {
        for (int w = 0; w < batches / 2; w++) { // warm-up
          Table t = model.sampleBatch(n, (long) w * n, RandomSource.of(w));
          sink.encode(t);
          parquet.encode(t);
        }
        long draw = Long.MAX_VALUE;
        long enc = Long.MAX_VALUE;
        long pq = Long.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
          long[] t3 = measure(model, sink, parquet, batches, mx);
          draw = Math.min(draw, t3[0]);
          enc = Math.min(enc, t3[1]);
          pq = Math.min(pq, t3[2]);
        }
        double rows = (double) batches * n;
        System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f |%n", g, draw / rows,
            enc / rows, pq / rows, (draw + enc) / rows);
      }
    }
  }

  /** CPU nanoseconds of this thread drawing, CSV-encoding and Parquet-encoding the batches. */
  private static long[] measure(FittedModel model, TableSink sink, TableSink parquet, int batches,
      ThreadMXBean mx) throws java.io.IOException {
    int n = BatchSampler.BATCH_ROWS;
    long draw = 0;
    long enc = 0;
    long pq = 0;
    for (int b = 0; b < batches; b++) {
      long c0 = mx.getCurrentThreadCpuTime();
      Table t = model.sampleBatch(n, (long) b * n, RandomSource.of(1000 + b));
      long c1 = mx.getCurrentThreadCpuTime();
      sink.encode(t);
      long c2 = mx.getCurrentThreadCpuTime();
      parquet.encode(t);
      long c3 = mx.getCurrentThreadCpuTime();
      draw += c1 - c0;
      enc += c2 - c1;
      pq += c3 - c2;
    }
    return new long[] {draw, enc, pq};
  }
}
