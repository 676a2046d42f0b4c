package dev.ersatz.models.trees;

import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.models.codec.CategoricalCodec;
import dev.ersatz.models.codec.Frame;
import dev.ersatz.models.codec.NumericCodec;
import java.util.stream.IntStream;

/**
 * The distance-to-closest-record check used at fit time: the share of synthetic rows that lie
 * closer to the rows the model was fitted on than to real rows it never saw. 0.5 means the
 * model generalises like fresh real data; above 0.5 it leans towards its training rows.
 *
 * <p>Distance: squared Euclidean over range-normalised numerics (a missing value is 0 plus a
 * missing indicator) and 0/1 mismatches of categories, the definition used by the evaluation
 * reports.
 */
final class Proximity {
  private final Frame frame;
  private final int width;

  Proximity(Frame frame) {
    this.frame = frame;
    this.width = frame.width();
  }

  /** Row-major features: per modelled column a scaled number or a category cell. */
  double[] features(Table t, int[][] cells) {
    int n = t.rowCount();
    double[] f = new double[n * width * 2];
    int col = 0;
    for (int j = 0; j < width; j++) {
      if (frame.codec(j) instanceof NumericCodec nc) {
        int schemaIndex = frame.schema().require(frame.column(j).name(), "proximity");
        ColumnData.Numbers d = (ColumnData.Numbers) t.column(schemaIndex);
        double lo = nc.lower();
        double range = nc.upper() - lo;
        for (int r = 0; r < n; r++) {
          double x = d.get(r);
          int at = (r * width + col) * 2;
          if (Double.isNaN(x)) {
            f[at] = 0;
            f[at + 1] = 1;
          } else {
            x = Math.min(nc.upper(), Math.max(lo, x));
            f[at] = range > 0 ? (x - lo) / range : 0;
            f[at + 1] = 0;
          }
        }
      } else {
        CategoricalCodec cc = (CategoricalCodec) frame.codec(j);
        for (int r = 0; r < n; r++) {
          int at = (r * width + col) * 2;
          f[at] = cells[j][r];
          f[at + 1] = -1; // marks a categorical slot
        }
        assert cc != null;
      }
      col++;
    }
    return f;
  }

  /** Smallest squared distance from each query row to any reference row. */
  double[] nearest(double[] query, int nq, double[] ref, int nr) {
    double[] out = new double[nq];
    IntStream.range(0, nq).parallel().forEach(q -> {
      double best = Double.MAX_VALUE;
      int qo = q * width * 2;
      for (int r = 0; r < nr; r++) {
        int ro = r * width * 2;
        double d = 0;
        for (int j = 0; j < width && d < best; j++) {
          int a = qo + 2 * j;
          int b = ro + 2 * j;
          if (query[a + 1] < 0) {
            if (query[a] != ref[b]) {
              d += 1;
            }
          } else {
            double diff = query[a] - ref[b];
            double m = query[a + 1] - ref[b + 1];
            d += diff * diff + m * m;
          }
        }
        if (d < best) {
          best = d;
        }
      }
      out[q] = best;
    });
    return out;
  }

  /** Share of synthetic rows strictly closer to {@code train} than to {@code fresh}, ties half. */
  double share(double[] synth, int ns, double[] train, int nt, double[] fresh, int nf) {
    double[] dt = nearest(synth, ns, train, nt);
    double[] df = nearest(synth, ns, fresh, nf);
    double s = 0;
    for (int i = 0; i < ns; i++) {
      if (dt[i] < df[i]) {
        s += 1;
      } else if (dt[i] == df[i]) {
        s += 0.5;
      }
    }
    return s / ns;
  }
}
