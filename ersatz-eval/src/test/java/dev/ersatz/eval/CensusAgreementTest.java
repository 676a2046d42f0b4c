package dev.ersatz.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.table.Table;
import dev.ersatz.eval.fidelity.Fidelity;
import dev.ersatz.eval.fidelity.FidelityReport;
import dev.ersatz.eval.privacy.Privacy;
import dev.ersatz.eval.privacy.PrivacyReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * On census (train as real, holdout as "synthetic") the quality figures agree with the shared
 * scorer's ({@code score.py}, SDMetrics 0.13 definitions), whose output is committed in
 * {@code src/test/resources/expected/census_score_py.json} (the command is in the file).
 * Skips when the shared data folder is absent.
 */
class CensusAgreementTest {
  @Test
  @SuppressWarnings("unchecked")
  void qualityAgreesWithScorePy() throws Exception {
    Path data = CsvTables.sharedData();
    Assumptions.assumeTrue(data != null && Files.exists(data.resolve(
        "splits/census_train.csv.gz")), "shared data folder absent: census test skipped");
    Table train = CsvTables.read(data.resolve("splits/census_train.csv.gz"));
    Table hold = CsvTables.read(data.resolve("splits/census_holdout.csv.gz"));
    Map<String, Object> exp = (Map<String, Object>) Json.parse(Files.readString(
        Path.of("src/test/resources/expected/census_score_py.json"), StandardCharsets.UTF_8));
    Aligned a = Aligned.of(List.of("real", "synthetic"), List.of(train, hold), Map.of(),
        new ArrayList<>());
    Map<String, Object> kinds = (Map<String, Object>) exp.get("column_kinds");
    for (int c = 0; c < a.columnCount(); c++) {
      assertThat(a.continuous(c)).as(a.name(c))
          .isEqualTo("numerical".equals(kinds.get(a.name(c))));
    }
    FidelityReport f = Fidelity.compare(a, 1, RandomSource.of(1));
    // the issue asks for 0.005; the definitions coincide, so the figures agree far closer
    double tol = 1e-9;
    assertThat(f.quality()).isCloseTo(num(exp.get("quality_overall")), within(tol));
    assertThat(f.columnShapes()).isCloseTo(num(exp.get("column_shapes")), within(tol));
    assertThat(f.columnPairTrends()).isCloseTo(num(exp.get("column_pair_trends")), within(tol));
    Map<String, Object> shapes = (Map<String, Object>) exp.get("column_shapes_detail");
    for (FidelityReport.ColumnShape s : f.shapes()) {
      Map<String, Object> e = (Map<String, Object>) shapes.get(s.column());
      assertThat(s.metric()).isEqualTo(e.get("metric"));
      assertThat(s.score()).as(s.column()).isCloseTo(num(e.get("score")), within(tol));
    }
    List<Object> pairs = (List<Object>) exp.get("column_pair_trends_detail");
    for (int i = 0; i < pairs.size(); i++) {
      Map<String, Object> e = (Map<String, Object>) pairs.get(i);
      assertThat(f.pairs().get(i).score()).as(e.get("column_1") + "~" + e.get("column_2"))
          .isCloseTo(num(e.get("score")), within(tol));
    }
    PrivacyReport p = Privacy.compute(a, 0, 1, -1, RandomSource.of(1), 2);
    assertThat(p.exactMatchTrain()).isCloseTo(num(exp.get("exact_match_train")), within(1e-12));
  }

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }
}
