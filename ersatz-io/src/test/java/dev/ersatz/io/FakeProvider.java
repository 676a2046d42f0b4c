package dev.ersatz.io;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.core.spi.Synthesizer;
import dev.ersatz.core.spi.SynthesizerProvider;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A tiny generator for model-file tests: every numeric column is its constant mean. */
public final class FakeProvider implements SynthesizerProvider {
  static final String NAME = "io-test-fake";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "test only";
  }

  @Override
  public Synthesizer create(Map<String, String> options) {
    return new Synthesizer() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public FittedModel fit(Table real, FitContext ctx) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Override
  public FittedModel load(Schema schema, JsonMap parameters, ModelProvenance provenance) {
    double[] means = parameters.doubles("means");
    if (means.length != schema.size()) {
      throw new ModelFormatException("expected " + schema.size() + " means");
    }
    return new Model(schema, means, provenance);
  }

  /** The fake model. */
  record Model(Schema schema, double[] means, ModelProvenance provenance) implements FittedModel {
    @Override
    public String generator() {
      return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
      return Map.of("means", means);
    }

    @Override
    public Table sampleBatch(int rows, long firstRow, RandomSource rng) {
      List<ColumnData> cols = new ArrayList<>();
      for (double m : means) {
        double[] v = new double[rows];
        java.util.Arrays.fill(v, m);
        cols.add(ColumnData.Numbers.adopt(v));
      }
      return Table.of(schema, cols);
    }
  }
}
