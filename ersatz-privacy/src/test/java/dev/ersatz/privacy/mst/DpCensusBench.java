package dev.ersatz.privacy.mst;

import dev.ersatz.core.sampling.BatchSampler;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.Progress;
import dev.ersatz.core.spi.Synthesizers;
import dev.ersatz.core.table.Table;
import dev.ersatz.privacy.testing.TestCsv;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark main: fits the dp generator on a CSV, samples rows to a CSV, prints fit seconds and
 * sampling rows/s. Arguments: train.csv[.gz] out.csv epsilon [rows] [seed] [delta]
 * [option=value...] (generator options such as bounds.age=17:90).
 */
public final class DpCensusBench {
  private DpCensusBench() {}

  public static void main(String[] args) {
    Path train = Path.of(args[0]);
    Path out = Path.of(args[1]);
    String epsilon = args[2];
    long rows = args.length > 3 ? Long.parseLong(args[3]) : 39_074;
    long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
    String delta = args.length > 5 ? args[5] : "1e-6";
    Map<String, String> options = new java.util.LinkedHashMap<>();
    options.put("epsilon", epsilon);
    options.put("delta", delta);
    for (int i = 6; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    Table real = TestCsv.read(train);
    FittedModel model = null;
    double fitSeconds = 0;
    // Warm-up fits so the JIT has compiled the fit path; the last one is timed and used.
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      model = Synthesizers.get("dp").create(options)
          .fit(real, FitContext.of(seed));
      fitSeconds = (System.nanoTime() - t0) / 1e9;
    }
    System.out.printf(Locale.ROOT, "fit: %.3f s (epsilon=%s delta=%s rows=%d)%n", fitSeconds,
        epsilon, delta, real.rowCount());
    System.err.print(model.describe());
    final FittedModel m = model;
    try (TestCsv.Out w = new TestCsv.Out(out)) {
      BatchSampler.run(m::sampleBatch, rows, seed, 2, t -> t, w::write, Progress.NONE);
    }
    long big = 4_000_000;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      BatchSampler.run(m::sampleBatch, big, seed + i, 2, t -> t, t -> { }, Progress.NONE);
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "sampling: %.0f rows/s (%d rows, 2 threads, in memory)%n",
          big / s, big);
    }
  }
}
