package dev.ersatz.models.independent;

import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.core.spi.Synthesizer;
import dev.ersatz.core.spi.SynthesizerProvider;
import dev.ersatz.core.table.Table;
import dev.ersatz.models.Options;
import dev.ersatz.models.PrivacySettings;
import dev.ersatz.models.codec.Frame;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code independent}: every column sampled from its own marginal, ignoring all others. The
 * baseline every report compares against; it keeps shapes and loses every relationship.
 */
public final class IndependentProvider implements SynthesizerProvider {
  public static final String NAME = "independent";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "per-column marginals only (baseline; loses relationships between columns)";
  }

  @Override
  public Synthesizer create(Map<String, String> options) {
    Options o = new Options(NAME, options, Set.of("k"));
    PrivacySettings privacy = new PrivacySettings(o.integer("k", 5, 1, 1_000_000));
    return new Synthesizer() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public FittedModel fit(Table real, FitContext ctx) {
        Frame frame = Frame.fit(real, privacy);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("k", privacy.k());
        return new IndependentModel(frame, ModelProvenance.now(NAME, params, ctx.source(),
            ctx.seed(), privacy.toJson()));
      }
    };
  }

  @Override
  public FittedModel load(Schema schema, JsonMap parameters, ModelProvenance provenance) {
    return new IndependentModel(Frame.fromJson(schema, parameters.obj("frame")), provenance);
  }
}
