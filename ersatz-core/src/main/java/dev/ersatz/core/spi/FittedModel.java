package dev.ersatz.core.spi;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.Table;
import java.util.Map;

/**
 * A fitted generative model: immutable, holds no random generator, no raw real row, and can be
 * written to a model file through {@link #parameters()}.
 *
 * <p>Sampling is by batches: {@link #sampleBatch} must be a pure function of its arguments, so
 * that the batched sampler can draw batches on many threads and still give byte-identical
 * output for a seed. Use {@link dev.ersatz.core.sampling.BatchSampler} rather than calling it in
 * a loop.
 */
public interface FittedModel {

  /** The schema of the rows this model samples (the training table's schema). */
  Schema schema();

  /** Name of the generator that made this model (its provider's name). */
  String generator();

  /** How this model was made. */
  ModelProvenance provenance();

  /**
   * The fitted parameters as plain JSON values (see {@link dev.ersatz.core.json.Json}); the
   * generator's provider rebuilds an equal model from them.
   */
  Map<String, Object> parameters();

  /**
   * Samples one batch.
   *
   * @param rows number of rows, {@code >= 0}
   * @param firstRow index of the batch's first row in the whole output (identifiers count from it)
   * @param rng this batch's own random stream
   * @return a table with {@link #schema()} and exactly {@code rows} rows
   */
  Table sampleBatch(int rows, long firstRow, RandomSource rng);

  /**
   * The oldest model-file format version that holds this model (docs/model-format.md): 1, or 2
   * when its {@link #parameters()} use what version 1 readers would misread (a frame whose
   * modelled columns are in another order than the schema's). Files are written with it, so a
   * model that needs nothing newer keeps its version 1 bytes.
   */
  default int formatVersion() {
    return 1;
  }

  /** A short human-readable account of what was learned, for {@code ersatz inspect}. */
  default String describe() {
    return generator() + " model over " + schema().size() + " columns";
  }
}
