package dev.ersatz.models.trees;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.models.codec.Frame;
import dev.ersatz.models.codec.NumericCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The distance-to-closest-record check used at fit time: the share of synthetic rows that lie
 * closer to the rows the model was fitted on than to real rows it never saw. 0.5 means the
 * model generalises like fresh real data; above 0.5 it leans towards its training rows.
 *
 * <p>Distance: squared Euclidean over range-normalised numerics (a missing value is 0 plus a
 * missing indicator) and 0/1 mismatches of categories, the definition used by the evaluation
 * reports. As there, a number column with at most {@link #AUTO_MIN_DISTINCT} distinct values in
 * the real rows counts as categorical: its values match or they do not (a count of children, a
 * rating from 1 to 5). Measured as scaled numbers instead, a mismatch of one such value cost a
 * fraction of what the evaluation charges for it. On the benchmark tables both rules chose the
 * same leaves, save titanic's and psid's within seed noise; the rule is here so that the check
 * measures what is judged.
 *
 * <p>The nearest-record search is exact but ordered for speed: a category mismatch adds a whole
 * 1, more than most numeric differences, so for each query the mismatch count against every
 * reference row is taken first, column by column over compact arrays (a tight loop the JIT
 * vectorises), and the numeric part is added only for reference rows whose count is still below
 * the best distance so far, stopping as soon as it is reached. This search was a third of the
 * census fit's CPU time when it walked every reference row's full feature vector.
 */
final class Proximity {
  private final Frame frame;
  private final int[] numeric;
  private final int[] categorical;
  /** Number columns of few values, compared as categories: their modelled column indexes. */
  private final int[] valued;
  /** Per {@link #valued} column, an id for each real value (missing included). */
  private final List<Map<Double, Integer>> ids = new ArrayList<>();

  /**
   * The evaluation's auto rule ({@code dev.ersatz.eval.Aligned.AUTO_MIN_DISTINCT}, which this
   * module cannot see): a number column needs more distinct values than this to be numeric.
   */
  static final int AUTO_MIN_DISTINCT = 10;

  /**
   * @param frame the model's columns
   * @param real the real rows, whose distinct values decide which number columns are compared
   *     as categories
   */
  Proximity(Frame frame, Table real) {
    this.frame = frame;
    List<Integer> num = new ArrayList<>();
    List<Integer> cat = new ArrayList<>();
    List<Integer> val = new ArrayList<>();
    for (int j = 0; j < frame.width(); j++) {
      if (!(frame.codec(j) instanceof NumericCodec)) {
        cat.add(j);
        continue;
      }
      Map<Double, Integer> values = frame.column(j).type() instanceof ColumnType.Numeric
          ? fewValues(numbers(real, j)) : null;
      if (values == null) {
        num.add(j);
      } else {
        val.add(j);
        ids.add(values);
      }
    }
    this.numeric = num.stream().mapToInt(Integer::intValue).toArray();
    this.categorical = cat.stream().mapToInt(Integer::intValue).toArray();
    this.valued = val.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Ids of a column's distinct values (missing is one of them), or null if there are more. */
  private static Map<Double, Integer> fewValues(ColumnData.Numbers d) {
    Map<Double, Integer> out = new HashMap<>();
    int present = 0;
    for (int r = 0; r < d.size(); r++) {
      Double key = key(d.get(r));
      if (!out.containsKey(key)) {
        if (!key.isNaN() && ++present > AUTO_MIN_DISTINCT) {
          return null;
        }
        out.put(key, out.size());
      }
    }
    return out;
  }

  /** A value as a map key: NaN for missing, and one zero. */
  private static Double key(double x) {
    return Double.isNaN(x) ? Double.NaN : x == 0 ? 0.0 : x;
  }

  private ColumnData.Numbers numbers(Table t, int j) {
    return (ColumnData.Numbers) t.column(
        frame.schema().require(frame.column(j).name(), "proximity"));
  }

  /**
   * Rows as distance features: each categorical column's cells and each few-valued number
   * column's value ids (column-major; a value the real rows do not have matches none of them)
   * and, row-major, per numeric column the scaled value and a missing indicator.
   */
  record Points(int n, int[][] cat, double[] num) {}

  Points features(Table t, int[][] cells) {
    int n = t.rowCount();
    int[][] cat = new int[categorical.length + valued.length][];
    for (int c = 0; c < categorical.length; c++) {
      cat[c] = java.util.Arrays.copyOf(cells[categorical[c]], n);
    }
    for (int v = 0; v < valued.length; v++) {
      ColumnData.Numbers d = numbers(t, valued[v]);
      Map<Double, Integer> id = ids.get(v);
      int[] out = new int[n];
      for (int r = 0; r < n; r++) {
        out[r] = id.getOrDefault(key(d.get(r)), -1);
      }
      cat[categorical.length + v] = out;
    }
    int w = numeric.length;
    double[] num = new double[n * w * 2];
    for (int q = 0; q < w; q++) {
      int j = numeric[q];
      NumericCodec nc = (NumericCodec) frame.codec(j);
      ColumnData.Numbers d = numbers(t, j);
      double lo = nc.lower();
      double range = nc.upper() - lo;
      for (int r = 0; r < n; r++) {
        double x = d.get(r);
        int at = (r * w + q) * 2;
        if (Double.isNaN(x)) {
          num[at] = 0;
          num[at + 1] = 1;
        } else {
          x = Math.min(nc.upper(), Math.max(lo, x));
          num[at] = range > 0 ? (x - lo) / range : 0;
          num[at + 1] = 0;
        }
      }
    }
    return new Points(n, cat, num);
  }

  /**
   * {@code n} rows whose columns are drawn independently from {@code from}'s rows, each column
   * (a category, or a number with its missing indicator) from a row drawn for it alone: every
   * column's distribution and none of the joint.
   */
  static Points columnsAlone(Points from, int n, RandomSource rng) {
    int[][] cat = new int[from.cat().length][n];
    for (int c = 0; c < cat.length; c++) {
      for (int r = 0; r < n; r++) {
        cat[c][r] = from.cat()[c][rng.nextInt(from.n())];
      }
    }
    int w2 = from.n() == 0 ? 0 : from.num().length / from.n();
    double[] num = new double[n * w2];
    for (int q = 0; q < w2; q += 2) {
      for (int r = 0; r < n; r++) {
        int at = rng.nextInt(from.n()) * w2 + q;
        num[r * w2 + q] = from.num()[at];
        num[r * w2 + q + 1] = from.num()[at + 1];
      }
    }
    return new Points(n, cat, num);
  }

  /** Rows of queries handled together by one task (one scratch buffer each). */
  private static final int CHUNK = 64;

  /** Smallest squared distance from each query row to any reference row. */
  double[] nearest(Points query, Points ref) {
    int nq = query.n();
    int nr = ref.n();
    int w = numeric.length;
    int nc = query.cat().length;
    double[] out = new double[nq];
    IntStream.range(0, (nq + CHUNK - 1) / CHUNK).parallel().forEach(chunk -> {
      int[] mismatches = new int[nr];
      double[] qn = query.num();
      double[] rn = ref.num();
      for (int q = chunk * CHUNK; q < Math.min(nq, (chunk + 1) * CHUNK); q++) {
        java.util.Arrays.fill(mismatches, 0);
        for (int c = 0; c < nc; c++) {
          int v = query.cat()[c][q];
          int[] col = ref.cat()[c];
          for (int r = 0; r < nr; r++) {
            mismatches[r] += col[r] != v ? 1 : 0;
          }
        }
        double best = Double.MAX_VALUE;
        int qo = q * w * 2;
        for (int r = 0; r < nr; r++) {
          double d = mismatches[r];
          if (d >= best) {
            continue;
          }
          int ro = r * w * 2;
          for (int j = 0; j < 2 * w && d < best; j += 2) {
            double diff = qn[qo + j] - rn[ro + j];
            double m = qn[qo + j + 1] - rn[ro + j + 1];
            d += diff * diff + m * m;
          }
          if (d < best) {
            best = d;
          }
        }
        out[q] = best;
      }
    });
    return out;
  }

  /** Share of synthetic rows strictly closer to {@code train} than to {@code fresh}, ties half. */
  double share(Points synth, Points train, Points fresh) {
    double[] dt = nearest(synth, train);
    double[] df = nearest(synth, fresh);
    double s = 0;
    for (int i = 0; i < synth.n(); i++) {
      if (dt[i] < df[i]) {
        s += 1;
      } else if (dt[i] == df[i]) {
        s += 0.5;
      }
    }
    return s / synth.n();
  }
}
