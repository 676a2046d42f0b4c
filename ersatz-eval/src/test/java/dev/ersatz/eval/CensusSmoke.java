package dev.ersatz.eval;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.table.Table;
import java.nio.file.Path;

/** Quick manual run on census (test sources). */
public final class CensusSmoke {
  public static void main(String[] args) throws Exception {
    Path d = Path.of(args[0]);
    Table train = CsvTables.read(d.resolve("splits/census_train.csv.gz"));
    Table hold = CsvTables.read(d.resolve("splits/census_holdout.csv.gz"));
    long t0 = System.nanoTime();
    EvaluationReport r = Evaluation.builder().real(train).synthetic(hold).target("income")
        .positive(">50K").seed(1).threads(2).build().run();
    System.out.println(Json.writePretty(r.headline()));
    System.out.println(Json.writePretty(r.seconds()));
    System.out.println((System.nanoTime() - t0) / 1e9);
  }
}
