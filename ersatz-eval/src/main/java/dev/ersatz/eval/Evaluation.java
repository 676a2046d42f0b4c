package dev.ersatz.eval;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.table.Table;
import dev.ersatz.eval.detection.Detection;
import dev.ersatz.eval.detection.DetectionReport;
import dev.ersatz.eval.fidelity.Fidelity;
import dev.ersatz.eval.fidelity.FidelityReport;
import dev.ersatz.eval.privacy.Privacy;
import dev.ersatz.eval.privacy.PrivacyReport;
import dev.ersatz.eval.utility.Utility;
import dev.ersatz.eval.utility.UtilityReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluation of a synthetic table against the real table it imitates (and, optionally, a
 * real holdout the generator never saw): fidelity, utility, detection and privacy in one
 * {@link EvaluationReport}.
 *
 * <pre>{@code
 * EvaluationReport r = Evaluation.builder().real(train).synthetic(synth).holdout(holdout)
 *     .target("income").seed(1).build().run();
 * }</pre>
 */
public final class Evaluation {
  private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);
  /** Below this many rows a table's figures are flagged as unreliable. */
  public static final int MIN_RELIABLE_ROWS = 50;

  private final Table real;
  private final Table synthetic;
  private final Table holdout;
  private final String target;
  private final String positive;
  private final Map<String, Aligned.Kind> kinds;
  private final long seed;
  private final int threads;
  private final boolean utility;
  private final boolean detection;
  private final boolean privacy;
  private final Gates gates;

  private Evaluation(Builder b) {
    this.real = b.real;
    this.synthetic = b.synthetic;
    this.holdout = b.holdout;
    this.target = b.target;
    this.positive = b.positive;
    this.kinds = Map.copyOf(b.kinds);
    this.seed = b.seed;
    this.threads = b.threads;
    this.utility = b.utility;
    this.detection = b.detection;
    this.privacy = b.privacy;
    this.gates = b.gates;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings of an {@link Evaluation}; {@code real} and {@code synthetic} are required. */
  public static final class Builder {
    private Table real;
    private Table synthetic;
    private Table holdout;
    private String target;
    private String positive;
    private Map<String, Aligned.Kind> kinds = Map.of();
    private long seed = 0;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private boolean utility = true;
    private boolean detection = true;
    private boolean privacy = true;
    private Gates gates = Gates.none();

    private Builder() {}

    /** The real (training) table: it decides the compared columns and their kinds. */
    public Builder real(Table t) {
      this.real = Objects.requireNonNull(t, "real");
      return this;
    }

    public Builder synthetic(Table t) {
      this.synthetic = Objects.requireNonNull(t, "synthetic");
      return this;
    }

    /** Real rows the generator never saw (optional): the ceiling and the privacy baseline. */
    public Builder holdout(Table t) {
      this.holdout = t;
      return this;
    }

    /** The label column for TSTR/TRTR (optional). */
    public Builder target(String column) {
      this.target = column;
      return this;
    }

    /** The positive class of a two-class target (default: the rarest real class). */
    public Builder positive(String label) {
      this.positive = label;
      return this;
    }

    /** Column kinds that override the automatic rule (for example from a metadata file). */
    public Builder kinds(Map<String, Aligned.Kind> k) {
      this.kinds = Map.copyOf(k);
      return this;
    }

    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** Threads for nearest-neighbour searches (models always use one). */
    public Builder threads(int n) {
      if (n < 1) {
        throw new UserInputException("threads must be >= 1 but was " + n);
      }
      this.threads = n;
      return this;
    }

    public Builder utility(boolean on) {
      this.utility = on;
      return this;
    }

    public Builder detection(boolean on) {
      this.detection = on;
      return this;
    }

    public Builder privacy(boolean on) {
      this.privacy = on;
      return this;
    }

    /** Gates whose results go into the report's score card. */
    public Builder gates(Gates g) {
      this.gates = Objects.requireNonNull(g, "gates");
      return this;
    }

    /**
     * Checks the settings.
     *
     * @throws UserInputException when a table is missing or empty
     */
    public Evaluation build() {
      if (real == null || synthetic == null) {
        throw new UserInputException("an evaluation needs both a real and a synthetic table");
      }
      if (real.rowCount() == 0) {
        throw new UserInputException("the real table has no rows");
      }
      if (synthetic.rowCount() == 0) {
        throw new UserInputException("the synthetic table has no rows");
      }
      if (holdout != null && holdout.rowCount() == 0) {
        throw new UserInputException("the holdout table has no rows; leave it out instead");
      }
      return new Evaluation(this);
    }
  }

  /**
   * Runs every part.
   *
   * @throws UserInputException when the tables do not share the real table's columns, or the
   *     target is unusable
   */
  public EvaluationReport run() {
    long t0 = System.nanoTime();
    Map<String, Double> seconds = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    RandomSource rng = RandomSource.of(seed);
    List<String> roles = new ArrayList<>(List.of("real", "synthetic"));
    List<Table> tables = new ArrayList<>(List.of(real, synthetic));
    if (holdout != null) {
      roles.add("holdout");
      tables.add(holdout);
    }
    Aligned data = Aligned.of(roles, tables, kinds, notes);
    int h = holdout == null ? -1 : 2;
    if (data.columnCount() == 0) {
      throw new UserInputException("the real table has no column that can be compared "
          + "(identifier and text columns are not)");
    }
    if (target != null && !data.names().contains(target)) {
      throw new UserInputException("target '" + target + "' is not a compared column; the "
          + "columns are " + data.names());
    }
    for (int t = 0; t < data.tableCount(); t++) {
      if (data.rows(t) < MIN_RELIABLE_ROWS) {
        warnings.add("the " + roles.get(t) + " table has only " + data.rows(t) + " rows (< "
            + MIN_RELIABLE_ROWS + "): its figures are computed but unreliable");
      }
    }
    Map<String, String> kindNames = new LinkedHashMap<>();
    for (int c = 0; c < data.columnCount(); c++) {
      kindNames.put(data.name(c), data.kind(c).name().toLowerCase(Locale.ROOT));
      for (int t = 0; t < data.tableCount(); t++) {
        boolean allMissing = true;
        for (int r = 0; r < data.rows(t) && allMissing; r++) {
          allMissing = data.isMissing(c, t, r);
        }
        if (allMissing) {
          warnings.add("column " + data.name(c) + " has no values in the " + roles.get(t)
              + " table" + (data.continuous(c) ? ": its shape score is left out of the mean"
              : ""));
        }
      }
    }
    seconds.put("align", secs(t0));
    long t1 = System.nanoTime();
    FidelityReport fid = Fidelity.compare(data, 1, rng.split("fidelity"));
    FidelityReport ceil = h < 0 ? null : Fidelity.compare(data, h, rng.split("fidelity"));
    if (fid.pairRowsUsed() < Math.max(data.rows(0), data.rows(1))) {
      notes.add("pair trends and accuracy use a seeded sample of " + fid.pairRowsUsed()
          + " rows per table (tables larger than " + Fidelity.PAIR_MAX_ROWS + " rows)");
    }
    seconds.put("fidelity", secs(t1));
    UtilityReport util = null;
    if (utility && target != null) {
      long t2 = System.nanoTime();
      util = Utility.compute(data, 0, 1, h, target, positive, rng.split("utility"), notes);
      seconds.put("utility", secs(t2));
    }
    DetectionReport det = null;
    if (detection) {
      long t3 = System.nanoTime();
      det = Detection.compute(data, 0, 1, rng.split("detection"));
      seconds.put("detection", secs(t3));
      if (det.belowChance()) {
        notes.add(String.format(java.util.Locale.ROOT, "detection AUC %.3f is below what "
            + "chance gives (%.3f): the cross-validated detector is turned against synthetic "
            + "rows that sit on particular real rows (a real row and its near-copy fall into "
            + "different folds with opposite labels). Read it as closeness to the real rows, "
            + "not as indistinguishability, and see the privacy figures", det.auc(),
            det.chanceFloor()));
      }
    }
    PrivacyReport priv = null;
    if (privacy) {
      long t4 = System.nanoTime();
      priv = Privacy.compute(data, 0, 1, h, target, rng.split("privacy"), threads);
      seconds.put("privacy", secs(t4));
      if (h < 0) {
        notes.add("privacy: without a holdout there is no DCR share, membership attack or "
            + "exact-match baseline");
      }
    }
    long t5 = System.nanoTime();
    EvaluationReport.Plots plots = plots(data, h, priv);
    seconds.put("plots", secs(t5));
    EvaluationReport draft = new EvaluationReport(data.rows(0), data.rows(1),
        h < 0 ? 0 : data.rows(h), kindNames, fid, ceil, util, det, priv, List.of(), plots,
        warnings, notes, seconds, seed);
    List<Gates.Result> results = gates.evaluate(draft.headline());
    seconds.put("total", secs(t0));
    LOG.debug("evaluation done in {} s", seconds.get("total"));
    return new EvaluationReport(draft.rowsReal(), draft.rowsSynthetic(), draft.rowsHoldout(),
        kindNames, fid, ceil, util, det, priv, List.copyOf(results), plots,
        List.copyOf(warnings), List.copyOf(notes), seconds, seed);
  }

  private static double secs(long since) {
    return Math.round((System.nanoTime() - since) / 1e6) / 1e3;
  }

  static EvaluationReport.Plots plots(Aligned data, int h, PrivacyReport priv) {
    List<EvaluationReport.Histogram> cols = new ArrayList<>();
    for (int c = 0; c < data.columnCount(); c++) {
      cols.add(data.continuous(c) ? numeric(data, c, h) : categorical(data, c, h));
    }
    EvaluationReport.Histogram dcr = null;
    if (priv != null && priv.dcrSynthetic().length > 0) {
      double[] all = concat(priv.dcrSynthetic(), priv.dcrHoldout());
      double hi = Privacy.quantile(all, 0.99);
      if (!(hi > 0)) {
        hi = Arrays.stream(all).max().orElse(1);
      }
      if (!(hi > 0)) {
        hi = 1;
      }
      // "real" = holdout rows (genuinely new real data), "synthetic" = synthetic rows
      dcr = bins("distance to closest training row", 0, hi, priv.dcrHoldout(),
          priv.dcrSynthetic(), null, 30);
    }
    return new EvaluationReport.Plots(List.copyOf(cols), dcr);
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static EvaluationReport.Histogram numeric(Aligned data, int c, int h) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < 2; t++) {
      for (double v : data.numbers(c, t)) {
        if (!Double.isNaN(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (lo > hi) {
      lo = 0;
      hi = 1;
    }
    return bins(data.name(c), lo, hi, data.numbers(c, 0), data.numbers(c, 1),
        h < 0 ? null : data.numbers(c, h), 30);
  }

  /** Shares per equal-width bin over [lo, hi] (values outside are clamped); NaN ignored. */
  private static EvaluationReport.Histogram bins(String name, double lo, double hi, double[] a,
      double[] b, double[] c, int n) {
    double w = hi > lo ? (hi - lo) / n : 1;
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      labels.add(fmt(lo + i * w));
    }
    labels.add(fmt(hi));
    return new EvaluationReport.Histogram(name, "continuous", labels, share(a, lo, w, n),
        share(b, lo, w, n), c == null ? null : share(c, lo, w, n));
  }

  private static double[] share(double[] v, double lo, double w, int n) {
    double[] out = new double[n];
    int total = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        int i = (int) Math.floor((x - lo) / w);
        out[Math.max(0, Math.min(n - 1, i))]++;
        total++;
      }
    }
    for (int i = 0; i < n; i++) {
      out[i] = total == 0 ? 0 : out[i] / total;
    }
    return out;
  }

  private static EvaluationReport.Histogram categorical(Aligned data, int c, int h) {
    int k = data.cardinality(c);
    double[][] counts = new double[3][k];
    int[] tabs = h < 0 ? new int[] {0, 1} : new int[] {0, 1, h};
    for (int i = 0; i < tabs.length; i++) {
      for (int v : data.codes(c, tabs[i])) {
        counts[i][v]++;
      }
    }
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -(counts[0][i] + 1e-9
        * counts[1][i])).thenComparing(i -> i));
    int shown = 0;
    List<Integer> keep = new ArrayList<>();
    for (int i : order) {
      if (counts[0][i] + counts[1][i] > 0 && shown < 15) {
        keep.add(i);
        shown++;
      }
    }
    List<String> labels = new ArrayList<>();
    for (int i : keep) {
      labels.add(i == data.missingCode(c) ? "(missing)" : data.levels(c).get(i));
    }
    boolean other = false;
    for (int i = 0; i < k; i++) {
      if (!keep.contains(i) && counts[0][i] + counts[1][i] + counts[2][i] > 0) {
        other = true;
      }
    }
    if (other) {
      labels.add("(other)");
    }
    double[][] shares = new double[3][labels.size()];
    for (int t = 0; t < tabs.length; t++) {
      double total = Arrays.stream(counts[t]).sum();
      double rest = total;
      for (int j = 0; j < keep.size(); j++) {
        shares[t][j] = total == 0 ? 0 : counts[t][keep.get(j)] / total;
        rest -= counts[t][keep.get(j)];
      }
      if (other) {
        shares[t][keep.size()] = total == 0 ? 0 : rest / total;
      }
    }
    return new EvaluationReport.Histogram(data.name(c), "categorical", List.copyOf(labels),
        shares[0], shares[1], h < 0 ? null : shares[2]);
  }

  private static String fmt(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a >= 1e6 || a < 1e-3)) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
