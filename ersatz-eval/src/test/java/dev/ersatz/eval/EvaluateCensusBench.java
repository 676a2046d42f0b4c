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
 * {@code java -cp <test classpath> dev.ersatz.eval.EvaluateCensusBench ../shared/data [outDir]}.
 */
public final class EvaluateCensusBench {
  private EvaluateCensusBench() {}

  public static void main(String[] args) throws Exception {
    Path d = Path.of(args.length > 0 ? args[0] : "../shared/data");
    Table train = CsvTables.read(d.resolve("splits/census_train.csv.gz"));
    Table hold = CsvTables.read(d.resolve("splits/census_holdout.csv.gz"));
    Table synth = Fixtures.independentColumns(train, train.rowCount(), 7);
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    for (int rep = 0; rep < reps; rep++) {
      long t0 = System.nanoTime();
      EvaluationReport r = Evaluation.builder().real(train).synthetic(synth).holdout(hold)
          .target("income").positive(">50K").seed(1).threads(2)
          .gates(Gates.parse("quality=0.95,tstr_auc_ratio=0.95,dcr_share=0.55")).build().run();
      if (args.length > 1) {
        ReportWriter.write(r, Path.of(args[1]));
      }
      System.out.printf(Locale.ROOT, "run %d: %.2f s total; stages %s%n", rep,
          (System.nanoTime() - t0) / 1e9, r.seconds());
      if (rep == 0) {
        System.out.println(r.headline());
      }
    }
  }
}
