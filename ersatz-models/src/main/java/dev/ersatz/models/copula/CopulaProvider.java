package dev.ersatz.models.copula;

import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.core.spi.Synthesizer;
import dev.ersatz.core.spi.SynthesizerProvider;
import dev.ersatz.core.table.Table;
import dev.ersatz.models.Normal;
import dev.ersatz.models.Options;
import dev.ersatz.models.PrivacySettings;
import dev.ersatz.models.codec.Frame;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code copula}: a Gaussian copula (Nelsen, "An Introduction to Copulas", 2006, ch. 2; as used
 * for synthetic data by Patki, Wedge, Veeramachaneni, "The Synthetic Data Vault", IEEE DSAA
 * 2016) over the columns' fitted marginals.
 *
 * <p>Each column's marginal is its codec (cells with in-cell densities, see
 * {@link dev.ersatz.models.codec.NumericCodec}), never raw values. Rows are mapped to normal
 * scores {@code z = Phi^-1(F(x))} (categories and ties spread uniformly over their probability
 * interval), the correlation matrix of the scores is estimated, and sampling draws correlated
 * normals and maps them back through the marginals.
 */
public final class CopulaProvider implements SynthesizerProvider {
  public static final String NAME = "copula";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Gaussian copula over fitted marginals (fast; captures linear dependence only)";
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
        double[][] corr = correlation(frame, real, RandomSource.of(ctx.seed()));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("k", privacy.k());
        return new CopulaModel(frame, corr, ModelProvenance.now(NAME, params, ctx.source(),
            ctx.seed(), privacy.toJson()));
      }
    };
  }

  static double[][] correlation(Frame frame, Table real, RandomSource rng) {
    int d = frame.width();
    int n = real.rowCount();
    int[][] cells = frame.encode(real);
    double[][] w = frame.positions(real, cells, rng);
    double[][] z = new double[d][n];
    for (int j = 0; j < d; j++) {
      double[] p = frame.codec(j).probabilities();
      double[] before = new double[p.length];
      for (int c = 1; c < p.length; c++) {
        before[c] = before[c - 1] + p[c - 1];
      }
      for (int r = 0; r < n; r++) {
        int c = cells[j][r];
        double u = before[c] + w[j][r] * p[c];
        u = Math.min(1 - 1e-9, Math.max(1e-9, u));
        z[j][r] = Normal.quantile(u);
      }
    }
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (int j = 0; j < d; j++) {
      double s = 0;
      for (double v : z[j]) {
        s += v;
      }
      mean[j] = s / n;
      double ss = 0;
      for (double v : z[j]) {
        ss += (v - mean[j]) * (v - mean[j]);
      }
      sd[j] = Math.sqrt(ss / Math.max(1, n - 1));
    }
    double[][] corr = new double[d][d];
    for (int a = 0; a < d; a++) {
      corr[a][a] = 1;
      for (int b = 0; b < a; b++) {
        double s = 0;
        for (int r = 0; r < n; r++) {
          s += (z[a][r] - mean[a]) * (z[b][r] - mean[b]);
        }
        double c = sd[a] > 0 && sd[b] > 0 ? s / ((n - 1) * sd[a] * sd[b]) : 0;
        // a little shrinkage keeps the matrix well conditioned
        c *= 0.999;
        corr[a][b] = c;
        corr[b][a] = c;
      }
    }
    return corr;
  }

  @Override
  public FittedModel load(Schema schema, JsonMap parameters, ModelProvenance provenance) {
    Frame frame = Frame.fromJson(schema, parameters.obj("frame"));
    JsonMap m = parameters.obj("model");
    List<Object> rows = m.list("correlation");
    int d = frame.width();
    if (rows.size() != d) {
      throw new dev.ersatz.core.ModelFormatException("copula correlation has " + rows.size()
          + " rows but the model has " + d + " columns");
    }
    double[][] corr = new double[d][];
    for (int i = 0; i < d; i++) {
      Object r = rows.get(i);
      if (!(r instanceof List<?> l) || l.size() != d) {
        throw new dev.ersatz.core.ModelFormatException("copula correlation row " + i
            + " is malformed");
      }
      corr[i] = new double[d];
      for (int k = 0; k < d; k++) {
        corr[i][k] = ((Number) l.get(k)).doubleValue();
      }
    }
    return new CopulaModel(frame, corr, provenance);
  }
}
