package dev.ersatz.eval;

import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import dev.ersatz.eval.report.ReportWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Times the whole evaluation on census: real train (39,074 rows), a 39,074-row synthetic table
 * (each column drawn independently from train), and the
 * 9,768-row holdout. Run from the repository root after {@code test-compile}:
 * {@code java -cp <test classpath> dev.ersatz.eval.EvaluateCensusBench ../shared/data [outDir]
 * [repeats] [synthetic.csv]}.
 */
public final class EvaluateCensusBench {
  private EvaluateCensusBench() {}

  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  public static void main(String[] args) throws Exception {
    Path d = Path.of(args.length > 0 ? args[0] : "../shared/data");
    Table train = CsvTables.read(d.resolve("splits/census_train.csv.gz"));
    Table hold = CsvTables.read(d.resolve("splits/census_holdout.csv.gz"));
    // optional 4th argument: a synthetic CSV to use instead of the built-in one
    Table synth = args.length > 3 ? CsvTables.read(Path.of(args[3]))
        : Fixtures.independentColumns(train, train.rowCount(), 7);
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    for (int rep = 0; rep < reps; rep++) {
      long t0 = System.nanoTime();
      long c0 = cpu();
      EvaluationReport r = Evaluation.builder().real(train).synthetic(synth).holdout(hold)
          .target("income").positive(">50K").seed(1).threads(2)
          .gates(Gates.parse("quality=0.95,tstr_auc_ratio=0.95,dcr_share=0.55")).build().run();
      if (args.length > 1) {
        ReportWriter.write(r, Path.of(args[1]));
      }
      System.out.printf(Locale.ROOT, "run %d: %.2f s wall, %.2f s process CPU, load average "
          + "%.1f; stages %s%n", rep, (System.nanoTime() - t0) / 1e9, (cpu() - c0) / 1e9,
          java.lang.management.ManagementFactory.getOperatingSystemMXBean()
              .getSystemLoadAverage(), r.seconds());
      if (rep == 0) {
        System.out.println(r.headline());
      }
    }
  }
}
