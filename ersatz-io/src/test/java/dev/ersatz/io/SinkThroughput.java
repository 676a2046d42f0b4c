package dev.ersatz.io;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.sampling.BatchSampler;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.Progress;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the throughput of the sinks (rows/s) on a census-like table (15 columns: 6 integers,
 * 9 categoricals), plus a variant with decimals and dates. The batch content is drawn once
 * (seeded), so the figures measure encoding and writing only, with the real
 * {@link BatchSampler} pipeline (encode on worker threads, write in order).
 *
 * <p>Run from the repository root:
 * <pre>
 * ./mvnw -B -q -o -pl ersatz-io -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/io-cp.txt
 * java -cp "ersatz-io/target/test-classes:ersatz-io/target/classes:ersatz-core/target/classes:$(cat /tmp/io-cp.txt)" \
 *     dev.ersatz.io.SinkThroughput [rows, default 1000000] [threads, default all cores]
 * </pre>
 * "encode only" lines give the CPU time of one encoding thread (stable under other load); the
 * other lines run the whole pipeline and give wall-clock and process CPU time.
 */
public final class SinkThroughput {
  private SinkThroughput() {}

  public static void main(String[] args) throws IOException {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    int threads = args.length > 1 ? Integer.parseInt(args[1])
        : Runtime.getRuntime().availableProcessors();
    Path dir = Files.createTempDirectory("ersatz-sink-bench");
    try {
      Table census = censusLike(BatchSampler.BATCH_ROWS, 42);
      Table mixed = mixed(BatchSampler.BATCH_ROWS, 43);
      for (int round = 0; round < 2; round++) { // first round warms up the JIT
        boolean print = round == 1;
        encodeOnly("census-like", census, dir.resolve("e.csv"), rows, print);
        encodeOnly("census-like", census, dir.resolve("e.csv.gz"), rows, print);
        encodeOnly("decimals+dates", mixed, dir.resolve("e.csv"), rows, print);
        for (Codec codec : Codec.values()) {
          encodeOnly("census-like", census, dir.resolve("e.parquet"), codec, rows, print);
          encodeOnly("decimals+dates", mixed, dir.resolve("e.parquet"), codec, rows, print);
        }
        run("census-like", census, dir.resolve("c.csv"), rows, threads, print);
        run("census-like", census, dir.resolve("c.csv.gz"), rows, threads, print);
        run("census-like", census, dir.resolve("c.parquet"), rows, threads, print);
        run("decimals+dates", mixed, dir.resolve("m.csv"), rows, threads, print);
        run("decimals+dates", mixed, dir.resolve("m.parquet"), rows, threads, print);
      }
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
      }
    }
  }

  private static void run(String label, Table batch, Path out, long rows, int threads,
      boolean print) throws IOException {
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    try (TableSink sink = Sinks.open(out, batch.schema())) {
      BatchSampler.run((n, first, rng) -> n == batch.rowCount() ? batch
              : dev.ersatz.core.table.Tables.select(batch, range(n)),
          rows, 1, threads, sink::encode, sink::write, Progress.NONE);
      sink.commit();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
    if (print) {
      System.out.printf(Locale.ROOT, "%-15s %-10s %,12d rows  %6.2f s wall  %,12.0f rows/s  "
          + "%6.2f s CPU (all threads)  %,8.1f MB%n",
          label, out.getFileName().toString().substring(2), rows, secs, rows / secs, cpu,
          Files.size(out) / 1e6);
    }
    Files.delete(out);
  }

  /** CPU time of encoding alone on one thread (independent of other load on the machine). */
  private static void encodeOnly(String label, Table batch, Path out, long rows, boolean print) {
    encodeOnly(label, batch, out, null, rows, print);
  }

  private static void encodeOnly(String label, Table batch, Path out, Codec codec, long rows,
      boolean print) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long bytes = 0;
    long cpu0 = mx.getCurrentThreadCpuTime();
    try (TableSink sink = codec == null ? Sinks.open(out, batch.schema())
        : new ParquetSink(out, batch.schema(), codec, ParquetSink.ROW_GROUP_ROWS,
            ParquetSink.ROW_GROUP_BYTES)) {
      for (long done = 0; done < rows; done += batch.rowCount()) {
        Object e = sink.encode(batch);
        bytes += sink instanceof ParquetSink ? ParquetSink.encodedLength(e)
            : CsvSink.encodedLength(e);
      }
    }
    double secs = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
    if (print) {
      String name = out.getFileName().toString().substring(2)
          + (codec == null ? "" : " " + codec.name().toLowerCase(Locale.ROOT));
      System.out.printf(Locale.ROOT,
          "%-15s %-20s encode only, 1 thread: %,12.0f rows/s of CPU  %6.0f ns/row  "
          + "(%,.0f MB/s, %.1f bytes/row)%n", label, name, rows / secs, secs * 1e9 / rows,
          bytes / secs / 1e6, (double) bytes / rows);
    }
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  private static List<String> levels(String prefix, int k) {
    List<String> l = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      l.add(prefix + "-" + i);
    }
    return l;
  }

  /** 15 columns shaped like the census extract. */
  static Table censusLike(int n, long seed) {
    RandomSource rng = RandomSource.of(seed);
    String[] names = {"age", "workclass", "fnlwgt", "education", "education_num",
      "marital_status", "occupation", "relationship", "race", "sex", "capital_gain",
      "capital_loss", "hours_per_week", "native_country", "income"};
    int[] cats = {0, 9, 0, 16, 0, 7, 15, 6, 5, 2, 0, 0, 0, 42, 2};
    double[] intMax = {90, 0, 1_500_000, 0, 16, 0, 0, 0, 0, 0, 99_999, 4_356, 99, 0, 0};
    List<Column> cols = new ArrayList<>();
    List<ColumnData> data = new ArrayList<>();
    for (int c = 0; c < names.length; c++) {
      if (cats[c] > 0) {
        cols.add(Column.of(names[c], new ColumnType.Categorical()));
        int[] codes = new int[n];
        for (int r = 0; r < n; r++) {
          codes[r] = rng.nextInt(cats[c]);
        }
        data.add(ColumnData.Codes.adopt(codes, levels(names[c], cats[c])));
      } else {
        cols.add(Column.of(names[c], ColumnType.Numeric.ofInteger()));
        double[] v = new double[n];
        for (int r = 0; r < n; r++) {
          // skewed like real counts: many small values
          v[r] = Math.floor(intMax[c] * Math.pow(rng.nextDouble(), 3));
        }
        data.add(ColumnData.Numbers.adopt(v));
      }
    }
    return Table.of(Schema.of(cols), data);
  }

  /** 8 columns: decimals (one fixed-scale), a date, a datetime, a boolean, an identifier. */
  static Table mixed(int n, long seed) {
    RandomSource rng = RandomSource.of(seed);
    List<Column> cols = List.of(
        Column.of("amount", ColumnType.Numeric.ofDecimal(2, false)),
        Column.of("rate", ColumnType.Numeric.ofDecimal(1, true)),
        Column.of("ratio", ColumnType.Numeric.ofDecimal(6, false)),
        Column.of("day", new ColumnType.Datetime("yyyy-MM-dd", true)),
        Column.of("stamp", new ColumnType.Datetime("yyyy-MM-dd HH:mm:ss", false)),
        Column.of("flag", new ColumnType.Bool("Y", "N")),
        Column.of("city", new ColumnType.Categorical()),
        Column.of("ref", new ColumnType.Identifier("AA-9999", 1)));
    double[] a = new double[n];
    double[] b = new double[n];
    double[] c = new double[n];
    double[] d = new double[n];
    double[] e = new double[n];
    int[] f = new int[n];
    int[] g = new int[n];
    String[] h = new String[n];
    for (int r = 0; r < n; r++) {
      a[r] = rng.nextGaussian() * 1000;
      b[r] = rng.nextDouble() * 100;
      c[r] = rng.nextDouble();
      d[r] = 86400.0 * (8000 + rng.nextInt(10000));
      e[r] = 1.5e9 + rng.nextInt(200_000_000);
      f[r] = rng.nextInt(2);
      g[r] = rng.nextInt(50);
      h[r] = String.format(Locale.ROOT, "AB-%04d", r % 10000);
    }
    List<ColumnData> data = List.of(ColumnData.Numbers.adopt(a), ColumnData.Numbers.adopt(b),
        ColumnData.Numbers.adopt(c), ColumnData.Numbers.adopt(d), ColumnData.Numbers.adopt(e),
        ColumnData.Codes.adopt(f, List.of("N", "Y")),
        ColumnData.Codes.adopt(g, levels("city, \"x\"", 50)), ColumnData.Strings.adopt(h));
    return Table.of(Schema.of(cols), data);
  }
}
