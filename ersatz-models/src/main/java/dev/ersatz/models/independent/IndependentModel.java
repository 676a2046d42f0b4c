package dev.ersatz.models.independent;

import dev.ersatz.core.random.AliasTable;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.models.CellModel;
import dev.ersatz.models.codec.Frame;
import java.util.Map;

/** Samples each column's cell from its marginal; conditions simply fix cells. */
final class IndependentModel extends CellModel {
  private final AliasTable[] marginals;

  IndependentModel(Frame frame, ModelProvenance provenance) {
    super(frame, provenance);
    marginals = new AliasTable[frame.width()];
    for (int j = 0; j < marginals.length; j++) {
      marginals[j] = AliasTable.of(frame.codec(j).probabilities());
    }
  }

  @Override
  public String generator() {
    return IndependentProvider.NAME;
  }

  @Override
  protected void sampleCells(int rows, int[] required, int[][] cells, double[][] w,
      RandomSource rng) {
    for (int j = 0; j < marginals.length; j++) {
      int[] out = cells[j];
      if (required[j] >= 0) {
        java.util.Arrays.fill(out, required[j]);
        continue;
      }
      AliasTable a = marginals[j];
      for (int r = 0; r < rows; r++) {
        out[r] = a.sample(rng);
      }
    }
  }

  @Override
  protected Map<String, Object> modelJson() {
    return Map.of();
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("independent columns (no dependencies modelled)\n");
    for (int j = 0; j < frame.width(); j++) {
      sb.append("  ").append(frame.column(j).name()).append(": ")
          .append(frame.codec(j).cells()).append(" cells\n");
    }
    return sb.toString();
  }
}
