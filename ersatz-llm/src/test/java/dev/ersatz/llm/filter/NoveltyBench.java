package dev.ersatz.llm.filter;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark: exact ROUGE-L novelty filtering of the shared 100,000 instructions (expected 30,238
 * accepted). Run with {@code java -cp ... dev.ersatz.llm.filter.NoveltyBench [file] [limit]}.
 */
public final class NoveltyBench {
  private NoveltyBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional file path and limit
   * @throws Exception on I/O failure
   */
  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : Instructions.sharedFile();
    int limit = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    List<String> texts = Instructions.read(file, limit);
    for (int rep = 0; rep < reps; rep++) {
      var mx = java.lang.management.ManagementFactory.getThreadMXBean();
      long c0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      boolean[] ok = NoveltyIndex.filterAll(texts, 0.7);
      long t1 = System.nanoTime();
      long c1 = mx.getCurrentThreadCpuTime();
      int accepted = 0;
      for (boolean b : ok) {
        accepted += b ? 1 : 0;
      }
      System.out.printf(Locale.ROOT, "novelty filter: %d instructions, %d accepted, %.2f s wall, %.2f s CPU, one thread (run %d)%n",
          texts.size(), accepted, (t1 - t0) / 1e9, (c1 - c0) / 1e9, rep + 1);
    }
  }
}
