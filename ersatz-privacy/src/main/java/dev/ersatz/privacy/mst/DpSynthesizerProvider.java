package dev.ersatz.privacy.mst;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.core.spi.Synthesizer;
import dev.ersatz.core.spi.SynthesizerProvider;
import java.util.Map;

/** Registers the {@code dp} generator (differentially private MST) with the SPI. */
public final class DpSynthesizerProvider implements SynthesizerProvider {
  public static final String NAME = "dp";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "differentially private tree of noisy marginals (MST, McKenna et al. 2021); "
        + "needs epsilon";
  }

  @Override
  public Synthesizer create(Map<String, String> options) {
    return DpSynthesizer.of(DpConfig.parse(options));
  }

  @Override
  public FittedModel load(Schema schema, JsonMap parameters, ModelProvenance provenance) {
    try {
      return DpModel.fromJson(schema, parameters, provenance);
    } catch (Json.JsonException | IllegalArgumentException | ArithmeticException e) {
      throw new ModelFormatException("malformed dp model: " + e.getMessage());
    }
  }
}
