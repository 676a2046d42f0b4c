package dev.ersatz.eval.drift;

import dev.ersatz.core.table.Table;
import dev.ersatz.eval.Aligned;
import dev.ersatz.eval.fidelity.Fidelity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per-column drift statistics between any two tables with the same columns, for instance real
 * data arriving later against the synthetic set a model was trained on.
 *
 * <ul>
 *   <li>PSI (population stability index; Siddiqi, "Credit Risk Scorecards", Wiley 2006):
 *       {@code sum (q - p) ln(q / p)} over bins fitted on table {@code a} (its deciles for a
 *       continuous column plus a missing bin; every level, missing included, for a categorical
 *       one), with each share floored at 1e-4 so an empty bin stays finite.
 *   <li>Kolmogorov-Smirnov D with the asymptotic p-value {@code Q_KS(sqrt(nm/(n+m)) D)}
 *       (Kolmogorov's limiting distribution; SciPy's {@code kstwobign.sf}), continuous columns.
 *   <li>Pearson's chi-square test of homogeneity on the 2 x k table of level counts (levels
 *       with no count in either table dropped; no continuity correction), categorical columns.
 * </ul>
 */
public final class Drift {
  static final double PSI_FLOOR = 1e-4;

  private Drift() {}

  /**
   * Compares table {@code b} with the reference table {@code a}.
   *
   * @throws dev.ersatz.core.UserInputException naming the columns {@code b} lacks
   */
  public static DriftReport compare(Table a, Table b) {
    List<String> notes = new ArrayList<>();
    Aligned d = Aligned.of(List.of("reference", "compared"), List.of(a, b), Map.of(), notes);
    List<DriftReport.ColumnDrift> out = new ArrayList<>();
    for (int c = 0; c < d.columnCount(); c++) {
      if (d.continuous(c)) {
        double[] x = d.numbers(c, 0);
        double[] y = d.numbers(c, 1);
        double ks = Fidelity.ksStatistic(x, y);
        int n = count(x);
        int m = count(y);
        double p = Double.isNaN(ks) ? Double.NaN
            : Stats.kolmogorovSf(Math.sqrt(n * (double) m / (n + (double) m)) * ks);
        out.add(new DriftReport.ColumnDrift(d.name(c), "continuous", psiContinuous(x, y), ks, p,
            Double.NaN, Double.NaN, 0));
      } else {
        int k = d.cardinality(c);
        long[] ca = new long[k];
        long[] cb = new long[k];
        for (int v : d.codes(c, 0)) {
          ca[v]++;
        }
        for (int v : d.codes(c, 1)) {
          cb[v]++;
        }
        double[] chi = chiSquare(ca, cb);
        out.add(new DriftReport.ColumnDrift(d.name(c), "categorical", psi(ca, cb), Double.NaN,
            Double.NaN, chi[0], chi[1], (int) chi[2]));
      }
    }
    return new DriftReport(a.rowCount(), b.rowCount(), List.copyOf(out), List.copyOf(notes));
  }

  private static int count(double[] x) {
    int n = 0;
    for (double v : x) {
      if (!Double.isNaN(v)) {
        n++;
      }
    }
    return n;
  }

  static double psiContinuous(double[] a, double[] b) {
    double[] breaks = decileBreaks(a);
    int k = breaks.length + 2;
    long[] ca = new long[k];
    long[] cb = new long[k];
    for (double v : a) {
      ca[bin(v, breaks)]++;
    }
    for (double v : b) {
      cb[bin(v, breaks)]++;
    }
    return psi(ca, cb);
  }

  private static double[] decileBreaks(double[] a) {
    double[] x = java.util.Arrays.stream(a).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (x.length == 0) {
      return new double[0];
    }
    List<Double> b = new ArrayList<>();
    for (int q = 1; q < 10; q++) {
      double h = (x.length - 1) * q / 10.0;
      int lo = (int) Math.floor(h);
      double v = x[lo] + (h - lo) * (x[Math.min(lo + 1, x.length - 1)] - x[lo]);
      if (b.isEmpty() || v > b.get(b.size() - 1)) {
        b.add(v);
      }
    }
    return b.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Number of breaks strictly below v; missing values go to the last bin. */
  private static int bin(double v, double[] breaks) {
    if (Double.isNaN(v)) {
      return breaks.length + 1;
    }
    int k = 0;
    while (k < breaks.length && breaks[k] < v) {
      k++;
    }
    return k;
  }

  /** PSI of two count vectors over the same bins, shares floored at 1e-4. */
  public static double psi(long[] ca, long[] cb) {
    long na = 0;
    long nb = 0;
    for (int i = 0; i < ca.length; i++) {
      na += ca[i];
      nb += cb[i];
    }
    if (na == 0 || nb == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (int i = 0; i < ca.length; i++) {
      if (ca[i] == 0 && cb[i] == 0) {
        continue;
      }
      double p = Math.max(PSI_FLOOR, ca[i] / (double) na);
      double q = Math.max(PSI_FLOOR, cb[i] / (double) nb);
      s += (q - p) * Math.log(q / p);
    }
    return s;
  }

  /** {statistic, p-value, dof} of Pearson's chi-square test on a 2 x k table. */
  public static double[] chiSquare(long[] ca, long[] cb) {
    double na = 0;
    double nb = 0;
    int k = 0;
    for (int i = 0; i < ca.length; i++) {
      na += ca[i];
      nb += cb[i];
      if (ca[i] + cb[i] > 0) {
        k++;
      }
    }
    if (na == 0 || nb == 0 || k < 2) {
      return new double[] {Double.NaN, Double.NaN, Math.max(0, k - 1)};
    }
    double n = na + nb;
    double stat = 0;
    for (int i = 0; i < ca.length; i++) {
      double col = ca[i] + cb[i];
      if (col == 0) {
        continue;
      }
      double ea = na * col / n;
      double eb = nb * col / n;
      stat += (ca[i] - ea) * (ca[i] - ea) / ea + (cb[i] - eb) * (cb[i] - eb) / eb;
    }
    int dof = k - 1;
    return new double[] {stat, Stats.chiSquareSf(stat, dof), dof};
  }
}
