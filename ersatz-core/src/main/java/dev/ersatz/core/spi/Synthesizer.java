package dev.ersatz.core.spi;

import dev.ersatz.core.table.Table;

/**
 * A configured, stateless generator: {@link #fit} learns from a real table and returns an
 * immutable {@link FittedModel}. (Lifecycle as Tribuo's {@code Trainer.train -> Model}.)
 */
public interface Synthesizer {

  /** The name users select it by, e.g. {@code "copula"}. */
  String name();

  /**
   * Learns a model of {@code real}.
   *
   * @param real the training table; identifier and text columns are carried in the schema but
   *     not learned
   * @param ctx seed, progress reporting and the source's fingerprint for provenance
   * @return an immutable model that holds no raw real row
   * @throws dev.ersatz.core.UserInputException if the table cannot be modelled (e.g. no rows)
   */
  FittedModel fit(Table real, FitContext ctx);
}
