package dev.ersatz.bench;

import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.Progress;
import dev.ersatz.core.spi.Synthesizers;
import dev.ersatz.io.ReadOptions;
import dev.ersatz.io.ReadResult;
import dev.ersatz.io.SampleToFile;
import dev.ersatz.io.TableReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench command: fit seconds, sampling throughput to CSV and Parquet (wall clock, and the
 * process's CPU time per row over all threads, which other load on a shared machine disturbs
 * less), and peak heap, for each generator on a real table, measured side by side in one run.
 * Prints a Markdown table.
 *
 * <pre>
 * bench/run [--data FILE] [--rows N] [--generators trees,copula,independent] [--repeat R]
 * </pre>
 *
 * Figures are medians over {@code --repeat} runs (default 3), save "first fit": the first fit
 * of each generator, the first of all in a fresh JVM, whose code is not compiled yet. That is
 * what {@code ersatz fit} costs for the first generator listed; the median is the warm figure.
 * Run it on a quiet machine; the JVM's heap limit is whatever the script sets (-Xmx512m by
 * default) so memory flatness shows.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    Path data = null;
    long rows = 1_000_000;
    int repeat = 3;
    List<String> generators = List.of("trees", "copula", "independent");
    Path work = Files.createTempDirectory("ersatz-bench");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Paths.get(args[++i]);
        case "--rows" -> rows = Long.parseLong(args[++i]);
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        case "--generators" -> generators = List.of(args[++i].split(","));
        case "--work" -> work = Paths.get(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (data == null) {
      data = Paths.get("..", "shared", "data", "splits", "census_train.csv.gz");
    }
    long t0 = System.nanoTime();
    ReadResult rr = TableReader.read(data, ReadOptions.defaults());
    double readSecs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "# Ersatz bench: %s (%,d rows x %d columns), %,d rows sampled,"
        + " %d cores, max heap %d MB, Java %s%n%n", data.getFileName(), rr.table().rowCount(),
        rr.table().schema().size(), rows, Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
    System.out.printf(Locale.ROOT, "read + type inference: %.2f s%n%n", readSecs);
    System.out.println("| generator | first fit (s) | fit (s) | sample to CSV (rows/s)"
        + " | sample to Parquet (rows/s) | CPU to CSV (ns/row) | CPU to Parquet (ns/row)"
        + " | peak heap while sampling (MB) |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (String g : generators) {
      double[] fit = new double[repeat];
      FittedModel model = null;
      for (int r = 0; r < repeat; r++) {
        long f0 = System.nanoTime();
        model = Synthesizers.get(g).create(Map.of()).fit(rr.table(),
            new FitContext(42, Progress.NONE, rr.source()));
        fit[r] = (System.nanoTime() - f0) / 1e9;
      }
      double[] csv = new double[repeat];
      double[] parquet = new double[repeat];
      double[] csvCpu = new double[repeat];
      double[] parquetCpu = new double[repeat];
      resetPeaks();
      for (int r = 0; r < repeat; r++) {
        Path out = work.resolve(g + ".csv");
        long c0 = processCpuNanos();
        csv[r] = SampleToFile.of(model).rows(rows).seed(r).writeTo(out).rowsPerSecond();
        csvCpu[r] = (double) (processCpuNanos() - c0) / rows;
        Files.deleteIfExists(out);
      }
      long peak = peakHeapMb();
      for (int r = 0; r < repeat; r++) {
        Path out = work.resolve(g + ".parquet");
        long c0 = processCpuNanos();
        parquet[r] = SampleToFile.of(model).rows(rows).seed(r).writeTo(out).rowsPerSecond();
        parquetCpu[r] = (double) (processCpuNanos() - c0) / rows;
        Files.deleteIfExists(out);
      }
      System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %,.0f | %,.0f | %.0f | %.0f | %d |%n",
          g, fit[0], median(fit), median(csv), median(parquet), median(csvCpu), median(parquetCpu), peak);
    }
  }

  /** CPU time of the whole process (all threads, user and system), in nanoseconds. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static double median(double[] x) {
    double[] c = x.clone();
    java.util.Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }

  static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  /** Sum of the heap pools' peak usage since the last reset (an upper bound of the true peak). */
  static long peakHeapMb() {
    long sum = 0;
    List<MemoryPoolMXBean> pools = new ArrayList<>(ManagementFactory.getMemoryPoolMXBeans());
    for (MemoryPoolMXBean p : pools) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum >> 20;
  }
}
