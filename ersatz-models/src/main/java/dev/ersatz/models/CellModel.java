package dev.ersatz.models;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.Condition;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.core.spi.SupportsConditionalSampling;
import dev.ersatz.core.table.Table;
import dev.ersatz.models.codec.Frame;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of models that generate cells (see {@link dev.ersatz.models.codec.ColumnCodec}): they
 * draw a cell, and optionally an in-cell position, for every modelled column of every row, and
 * the {@link Frame} turns those into output values.
 */
public abstract class CellModel implements FittedModel, SupportsConditionalSampling {
  protected final Frame frame;
  private final ModelProvenance provenance;

  protected CellModel(Frame frame, ModelProvenance provenance) {
    this.frame = frame;
    this.provenance = provenance;
  }

  /**
   * Draws cells (and positions, or leaves {@code w} untouched to let the frame draw them).
   *
   * @param required per modelled column the cell it must take, or -1; never {@code null}
   * @param cells output {@code [column][row]}, allocated by the caller
   * @param w output positions {@code [column][row]}, or {@code null} if the model has none
   */
  protected abstract void sampleCells(int rows, int[] required, int[][] cells, double[][] w,
      RandomSource rng);

  /** Whether {@link #sampleCells} fills in-cell positions. */
  protected boolean hasPositions() {
    return false;
  }

  /** Model-specific parameters for the model file. */
  protected abstract Map<String, Object> modelJson();

  @Override
  public Schema schema() {
    return frame.schema();
  }

  @Override
  public ModelProvenance provenance() {
    return provenance;
  }

  /** 2 when the frame models its columns in another order than the schema's, else 1. */
  @Override
  public int formatVersion() {
    return frame.inSchemaOrder() ? 1 : 2;
  }

  public Frame frame() {
    return frame;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("frame", frame.toJson());
    m.put("model", modelJson());
    return m;
  }

  @Override
  public Table sampleBatch(int rows, long firstRow, RandomSource rng) {
    return sample(rows, firstRow, noRequirement(), null, rng);
  }

  private int[] noRequirement() {
    int[] req = new int[frame.width()];
    java.util.Arrays.fill(req, -1);
    return req;
  }

  @Override
  public void validate(Condition condition) {
    frame.resolve(condition, new double[frame.width()]);
  }

  @Override
  public Table sampleBatch(Condition condition, int rows, long firstRow, RandomSource rng) {
    double[] fixed = new double[frame.width()];
    int[] req = frame.resolve(condition, fixed);
    return sample(rows, firstRow, req, fixed, rng);
  }

  @Override
  public java.util.List<String> categories(String column) {
    int i = frame.schema().require(column, "--rebalance " + column);
    for (int j = 0; j < frame.width(); j++) {
      if (frame.column(j).name().equals(column)) {
        if (frame.codec(j) instanceof dev.ersatz.models.codec.CategoricalCodec cc) {
          return cc.levels();
        }
      }
    }
    throw new dev.ersatz.core.UserInputException("--rebalance " + column + ": column '" + column
        + "' is " + frame.schema().column(i).type().kind()
        + "; only categorical and boolean columns can be rebalanced");
  }

  private Table sample(int rows, long firstRow, int[] req, double[] fixed, RandomSource rng) {
    Scratch s = scratch.get();
    int[][] cells = s.cells(frame.width(), rows);
    double[][] w = hasPositions() ? s.positions(frame.width(), rows) : null;
    sampleCells(rows, req, cells, w, rng.split(1));
    return frame.decode(rows, firstRow, cells, w, fixed, rng.split(2));
  }

  /**
   * Per thread, the cell and position arrays of the batch being drawn. {@link Frame#decode}
   * copies what it needs into the batch's own columns, so they are free again once it returns;
   * reusing them keeps a sampling thread's working set in cache instead of allocating (and
   * collecting) some 1.5 MB per batch. Cleared before each use, as fresh arrays would be.
   */
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    private int[][] cells = new int[0][0];
    private double[][] positions = new double[0][0];

    int[][] cells(int width, int rows) {
      if (cells.length != width || cells.length > 0 && cells[0].length != rows) {
        cells = new int[width][rows];
      } else {
        for (int[] c : cells) {
          java.util.Arrays.fill(c, 0);
        }
      }
      return cells;
    }

    double[][] positions(int width, int rows) {
      if (positions.length != width || positions.length > 0 && positions[0].length != rows) {
        positions = new double[width][rows];
      } else {
        for (double[] p : positions) {
          java.util.Arrays.fill(p, 0);
        }
      }
      return positions;
    }
  }
}
