package dev.ersatz.privacy.mst;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.sampling.BatchSampler;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.Progress;
import dev.ersatz.core.spi.Synthesizers;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import dev.ersatz.privacy.testing.TestCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The dp generator on the real census training split (skipped when ../shared/data is absent):
 * the income rate of the sample is near the real one (at epsilon = 1 the noise on it is a few
 * tenths of a percent, the tolerance 3 points), and no category outside the real ones appears.
 * Quality figures are measured by {@link DpCensusBench}, not here.
 */
class DpCensusTest {

  @Test
  void fitsAndSamplesCensus() {
    String dir = System.getProperty("ersatz.shared.data", "../../shared/data");
    Path train = Path.of(dir, "splits", "census_train.csv.gz");
    Assumptions.assumeTrue(Files.exists(train), "shared data absent: " + train);
    Table real = TestCsv.read(train);
    FittedModel m = Synthesizers.get("dp").create(Map.of("epsilon", "1"))
        .fit(real, FitContext.of(3));
    List<Table> parts = new ArrayList<>();
    BatchSampler.run(m::sampleBatch, 20_000, 4, 2, t -> t, parts::add, Progress.NONE);
    Table syn = Tables.concat(parts);
    assertThat(syn.rowCount()).isEqualTo(20_000);
    int income = real.schema().require("income", "test");
    assertThat(rate(syn, income, ">50K")).isCloseTo(rate(real, income, ">50K"),
        org.assertj.core.data.Offset.offset(0.03));
    for (int c = 0; c < real.schema().size(); c++) {
      if (real.column(c) instanceof ColumnData.Codes rc) {
        Set<String> seen = new HashSet<>(rc.levels());
        ColumnData.Codes sc = (ColumnData.Codes) syn.column(c);
        for (int r = 0; r < syn.rowCount(); r++) {
          String v = sc.get(r);
          assertThat(v == null || seen.contains(v)).as(v).isTrue();
        }
      }
    }
  }

  private static double rate(Table t, int col, String value) {
    ColumnData.Codes c = (ColumnData.Codes) t.column(col);
    int k = 0;
    for (int r = 0; r < t.rowCount(); r++) {
      k += value.equals(c.get(r)) ? 1 : 0;
    }
    return k / (double) t.rowCount();
  }
}
