package dev.ersatz.core.spi;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.table.Table;
import java.util.List;

/**
 * A model that samples from its own conditional distribution given fixed column values, rather
 * than by generating and throwing away rows that do not match.
 */
public interface SupportsConditionalSampling {

  /**
   * Checks that a condition can be met, before any sampling.
   *
   * @throws dev.ersatz.core.UserInputException naming the column or value and why not
   */
  void validate(Condition condition);

  /**
   * Samples one batch of rows that all satisfy {@code condition}.
   *
   * @see FittedModel#sampleBatch
   */
  Table sampleBatch(Condition condition, int rows, long firstRow, RandomSource rng);

  /**
   * The values this model can emit for a categorical or boolean column, in the input's
   * spelling (used by {@code --rebalance}).
   *
   * @throws dev.ersatz.core.UserInputException if the column is unknown or not categorical
   */
  List<String> categories(String column);
}
