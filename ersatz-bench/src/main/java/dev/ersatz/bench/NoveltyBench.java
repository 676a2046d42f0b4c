package dev.ersatz.bench;

import dev.ersatz.core.json.Json;
import dev.ersatz.llm.filter.NoveltyIndex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Benchmark: exact ROUGE-L novelty filtering of the shared 100,000 instructions (expected 30,238
 * accepted). Run with {@code bench/novelty [file] [limit] [repeats]}.
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
    Path file = args.length > 0 ? Path.of(args[0])
        : Path.of("..", "shared", "data", "instructions_100k.jsonl.gz");
    int limit = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    List<String> texts = read(file, limit);
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

  /** The instructions in id order (the order the filter's expected counts refer to). */
  static List<String> read(Path file, int limit) throws IOException {
    List<long[]> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null;) {
        if (!line.isBlank()) {
          var n = Json.parseObject(line).raw();
          ids.add(new long[] {((Number) n.get("id")).longValue(), texts.size()});
          texts.add((String) n.get("instruction"));
        }
      }
    }
    ids.sort((a, b) -> Long.compare(a[0], b[0]));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, ids.size()); i++) {
      out.add(texts.get((int) ids.get(i)[1]));
    }
    return out;
  }
}
