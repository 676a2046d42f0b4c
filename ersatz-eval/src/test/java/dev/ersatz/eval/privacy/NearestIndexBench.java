package dev.ersatz.eval.privacy;

import dev.ersatz.core.table.Table;
import dev.ersatz.eval.Aligned;
import dev.ersatz.eval.CsvTables;
import dev.ersatz.eval.Fixtures;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times exact nearest-neighbour search: {@code rows} census-like reference rows (drawn from the
 * census training split) against {@code rows} query rows from a column-independent synthetic
 * table, and checks 300 queries against brute force. Args: data folder, rows (default 50000),
 * threads (default 2).
 */
public final class NearestIndexBench {
  private NearestIndexBench() {}

  public static void main(String[] args) throws Exception {
    Path d = Path.of(args.length > 0 ? args[0] : "../shared/data");
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Table train = CsvTables.read(d.resolve("splits/census_train.csv.gz"));
    Table ref = Fixtures.sample(train, rows, 1);
    Table q = Fixtures.independentColumns(train, rows, 2);
    Aligned a = Aligned.of(List.of("ref", "query"), List.of(ref, q), Map.of(), new ArrayList<>());
    DistanceSpace space = DistanceSpace.of(a, 0);
    DistanceSpace.Points pr = space.embed(a, 0);
    DistanceSpace.Points pq = space.embed(a, 1);
    for (int rep = 0; rep < 3; rep++) {
      long w0 = System.nanoTime();
      NearestIndex idx = NearestIndex.of(pr);
      long w1 = System.nanoTime();
      long cpu0 = totalCpu();
      NearestIndex.Neighbours nb = idx.query(pq, threads, true);
      long w2 = System.nanoTime();
      long cpu1 = totalCpu();
      NearestIndex.Neighbours one = idx.query(pq, threads, false);
      long w3 = System.nanoTime();
      System.out.printf(Locale.ROOT, "%d x %d: build %.2f s; 2-NN query %.2f s wall (%.2f s "
          + "CPU); 1-NN query %.2f s wall (%.2f s CPU); %d threads, load average %.1f%n",
          rows, rows, (w1 - w0) / 1e9, (w2 - w1) / 1e9, (cpu1 - cpu0) / 1e9, (w3 - w2) / 1e9,
          (totalCpu() - cpu1) / 1e9, threads, ManagementFactory.getOperatingSystemMXBean()
              .getSystemLoadAverage());
      if (one.first()[0] != nb.first()[0]) {
        throw new AssertionError("1-NN and 2-NN disagree");
      }
      if (rep == 0) {
        for (int i = 0; i < 300; i++) {
          double best = Double.POSITIVE_INFINITY;
          for (int j = 0; j < pr.size(); j++) {
            best = Math.min(best, pq.distanceSq(i, pr, j));
          }
          if (Math.abs(Math.sqrt(best) - nb.first()[i]) > 1e-12) {
            throw new AssertionError("query " + i + ": index " + nb.first()[i] + " brute "
                + Math.sqrt(best));
          }
        }
        System.out.println("300 queries agree with brute force");
      }
    }
  }

  private static long totalCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
