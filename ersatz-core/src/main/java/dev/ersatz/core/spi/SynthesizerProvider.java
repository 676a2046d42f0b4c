package dev.ersatz.core.spi;

import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.schema.Schema;
import java.util.Map;

/**
 * Registers a generator under a name ({@link java.util.ServiceLoader} service). It creates
 * configured {@link Synthesizer}s from options and rebuilds fitted models from model files.
 */
public interface SynthesizerProvider {

  /** The name users pass to {@code --generator}. */
  String name();

  /** One line for {@code --help} and docs. */
  String description();

  /**
   * A configured synthesizer.
   *
   * @param options generator options as text (e.g. {@code k=5}); unknown keys are rejected
   * @throws dev.ersatz.core.UserInputException for unknown or invalid options
   */
  Synthesizer create(Map<String, String> options);

  /**
   * Rebuilds a model from what {@link FittedModel#parameters()} wrote.
   *
   * @throws dev.ersatz.core.ModelFormatException if the parameters are malformed
   */
  FittedModel load(Schema schema, JsonMap parameters, ModelProvenance provenance);
}
