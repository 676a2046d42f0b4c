package dev.ersatz.eval;

import dev.ersatz.core.table.Table;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs the whole evaluation on 1,000,000-row real and synthetic tables (census training rows
 * drawn with replacement, and column-independent draws) with the census holdout, to check that
 * large inputs finish and say they were subsampled. Args: data folder, rows (default 1e6).
 */
public final class EvaluateLargeBench {
  private EvaluateLargeBench() {}

  public static void main(String[] args) throws Exception {
    Path d = Path.of(args.length > 0 ? args[0] : "../shared/data");
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Table train = CsvTables.read(d.resolve("splits/census_train.csv.gz"));
    Table hold = CsvTables.read(d.resolve("splits/census_holdout.csv.gz"));
    Table real = Fixtures.sample(train, rows, 1);
    Table synth = Fixtures.independentColumns(train, rows, 2);
    long t0 = System.nanoTime();
    EvaluationReport r = Evaluation.builder().real(real).synthetic(synth).holdout(hold)
        .target("income").positive(">50K").seed(1).threads(2).build().run();
    System.out.printf(Locale.ROOT, "%d rows: %.1f s; stages %s%nnotes %s%nwarnings %s%n", rows,
        (System.nanoTime() - t0) / 1e9, r.seconds(), r.notes(), r.warnings());
  }
}
