package dev.ersatz.models.codec;

import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.table.ColumnData;
import java.util.Map;

/**
 * Turns one modelled column into a small alphabet of <em>cells</em> and back.
 *
 * <p>Every generator works on cells: a categorical column's cells are its protected levels, a
 * numeric column's cells are frequent exact values ("spikes") and quantile ranges, each range
 * with its own fitted density. Cells are ordered (numeric cells by value), the missing cell, if
 * the column has missing values, is last. A cell plus a position {@code w} in [0, 1) decodes to
 * one output value, so a generator that picks cells (trees, Bayesian networks) and one that
 * picks marginal quantiles (copulas) share the same decoding, and no binning artefacts show.
 */
public sealed interface ColumnCodec permits CategoricalCodec, NumericCodec {

  /** Number of cells, including the missing cell. */
  int cells();

  /** Index of the missing cell, or -1 when the column had no missing value. */
  int missingCell();

  /** Marginal probability of each cell in the training data. */
  double[] probabilities();

  /** Whether cell order carries meaning (numeric) or not (categorical). */
  boolean ordered();

  /** The cell of each row of {@code data}. */
  int[] encode(ColumnData data);

  /**
   * Where a row's value sits inside its cell, in [0, 1): the in-cell CDF for numeric ranges,
   * {@code NaN} for cells without extent (the caller then draws a uniform position).
   */
  double position(ColumnData data, int row, int cell);

  /** Per cell: whether decoding uses the in-cell position (true only for numeric ranges). */
  boolean[] positional();

  /** Plain JSON values for the model file. */
  Map<String, Object> toJson();

  /** Reads what {@link #toJson()} wrote. */
  static ColumnCodec fromJson(JsonMap j) {
    String kind = j.str("codec");
    if (kind.equals("categorical")) {
      return CategoricalCodec.fromJson(j);
    }
    if (kind.equals("numeric")) {
      return NumericCodec.fromJson(j);
    }
    throw new dev.ersatz.core.ModelFormatException("unknown codec '" + kind + "' at " + j.path());
  }
}
