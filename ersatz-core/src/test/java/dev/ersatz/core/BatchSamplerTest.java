package dev.ersatz.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.sampling.BatchSampler;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.Condition;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {
  static final Schema S = Schema.of(List.of(Column.of("x", ColumnType.Numeric.ofDecimal(3,
      false))));

  static Table batch(int n, long first, RandomSource rng) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = first + i + rng.nextDouble();
    }
    return Table.of(S, List.of(ColumnData.Numbers.adopt(v)));
  }

  static List<Double> run(long rows, long seed, int threads) {
    List<Double> out = new ArrayList<>();
    BatchSampler.run(BatchSamplerTest::batch, rows, seed, threads, t -> t, t -> {
      ColumnData.Numbers n = (ColumnData.Numbers) t.column(0);
      for (int i = 0; i < n.size(); i++) {
        out.add(n.get(i));
      }
    }, (s, d, total) -> {});
    return out;
  }

  @Test
  void outputIsInOrderExactAndIndependentOfThreads() {
    List<Double> one = run(50_001, 9, 1);
    List<Double> four = run(50_001, 9, 4);
    assertThat(one).hasSize(50_001).isEqualTo(four);
    for (int i = 0; i < one.size(); i++) {
      assertThat(Math.floor(one.get(i))).isEqualTo(i);
    }
    assertThat(run(50_001, 10, 2)).isNotEqualTo(one);
    assertThat(run(0, 9, 2)).isEmpty();
  }

  @Test
  void failuresPropagate() {
    assertThatThrownBy(() -> BatchSampler.run((n, f, r) -> {
      throw new UserInputException("boom");
    }, 10, 1, 2, t -> t, t -> {}, (s, d, t) -> {})).isInstanceOf(UserInputException.class)
        .hasMessage("boom");
  }

  @Test
  void conditionsParseAndRejectRepeats() {
    assertThat(Condition.parseClause("a=b=c")).isEqualTo(new Condition.Clause("a", "b=c"));
    assertThatThrownBy(() -> Condition.parseClause("nothing")).hasMessageContaining("column=value");
    assertThatThrownBy(() -> new Condition(List.of(new Condition.Clause("a", "1"),
        new Condition.Clause("a", "2")))).hasMessageContaining("twice");
  }
}
