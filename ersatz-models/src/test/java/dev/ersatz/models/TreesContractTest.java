package dev.ersatz.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.sampling.BatchSampler;
import dev.ersatz.core.spi.Condition;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.SupportsConditionalSampling;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import dev.ersatz.testkit.SynthesizerContractTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreesContractTest extends SynthesizerContractTest {
  @Override
  protected String generatorName() {
    return "trees";
  }

  private static Table sample(FittedModel m, long rows, long seed, int threads) {
    List<Table> parts = new ArrayList<>();
    BatchSampler.run(m::sampleBatch, rows, seed, threads, t -> t, parts::add, (s, d, t) -> {});
    return Tables.concat(parts);
  }

  /** Blocks of rows are drawn column by column inside a batch: threads must not matter. */
  @Test
  void sameRowsWhateverTheThreadCount() {
    FittedModel m = clinicModel();
    Table one = sample(m, 20_000, 9, 1);
    assertThat(sample(m, 20_000, 9, 3).columns()).isEqualTo(one.columns());
    assertThat(sample(m, 20_000, 9, 2).columns()).isEqualTo(one.columns());
  }

  /** Conditional batches (the row-by-row path) are as reproducible as unconditional ones. */
  @Test
  void conditionalSamplingIsReproducible() {
    SupportsConditionalSampling m = (SupportsConditionalSampling) clinicModel();
    Condition c = new Condition(List.of(new Condition.Clause("smoker", "yes")));
    Table a = m.sampleBatch(c, 3000, 0, dev.ersatz.core.random.RandomSource.of(4));
    Table b = m.sampleBatch(c, 3000, 0, dev.ersatz.core.random.RandomSource.of(4));
    assertThat(a.columns()).isEqualTo(b.columns());
    assertThat(a.rowCount()).isEqualTo(3000);
  }
}
