package dev.ersatz.eval.privacy;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.eval.Aligned;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes {@link PrivacyReport}s on the {@link DistanceSpace} distance with exact nearest
 * neighbours ({@link NearestIndex}).
 *
 * <p>DCR share follows the reference scorer ({@code score.py}): up to 10,000 sampled synthetic
 * rows, each compared with its closest row in a random training subset of the holdout's size
 * and its closest holdout row (Platzer and Reutterer, "Holdout-Based Empirical Assessment of
 * Mixed-Type Synthetic Data", Frontiers in Big Data, 2021). The membership attack is the
 * distance-to-closest-synthetic-record attack (Hilprecht, Haerterich and Bernau, "Monte Carlo
 * and Reconstruction Membership Inference Attacks against Generative Models", PoPETs 2019,
 * the single-neighbour variant): members are a training sample of the holdout's size,
 * non-members the holdout, and the score is minus the distance to the closest synthetic row.
 */
public final class Privacy {
  /** Synthetic rows used for the DCR share, as in the reference scorer. */
  public static final int DCR_MAX_SYNTH = 10_000;

  /** Training subsets the DCR share is averaged over (score.py draws one). */
  public static final int DCR_SUBSETS = 5;

  private Privacy() {}

  /**
   * Computes the privacy figures.
   *
   * @param data aligned tables
   * @param train index of the real training table
   * @param synthetic index of the synthetic table
   * @param holdout index of the holdout, or -1
   * @param rng seeds the subsamples
   * @param threads threads for the nearest-neighbour searches
   */
  public static PrivacyReport compute(Aligned data, int train, int synthetic, int holdout,
      RandomSource rng, int threads) {
    return compute(data, train, synthetic, holdout, null, rng, threads);
  }

  /**
   * As {@link #compute(Aligned, int, int, int, RandomSource, int)}; with a categorical
   * {@code target} (or null) also the DCR share of columns drawn alone within its classes
   * ({@link PrivacyReport#dcrShareMarginalsGivenTarget}).
   */
  public static PrivacyReport compute(Aligned data, int train, int synthetic, int holdout,
      String target, RandomSource rng, int threads) {
    long[] kt = DistanceSpace.rowKeys(data, train);
    long[] ks = DistanceSpace.rowKeys(data, synthetic);
    Set<Long> trainKeys = toSet(kt);
    double exactTrain = share(ks, trainKeys);
    double unique = ks.length == 0 ? Double.NaN : toSet(ks).size() / (double) ks.length;
    DistanceSpace space = DistanceSpace.of(data, train);
    DistanceSpace.Points pt = space.embed(data, train);
    DistanceSpace.Points ps = space.embed(data, synthetic);
    NearestIndex trainIndex = NearestIndex.of(pt);
    // distances of synthetic rows use the same sample as the DCR share (<= 10,000 rows)
    int nSyn = Math.min(DCR_MAX_SYNTH, ps.size());
    DistanceSpace.Points synSub = ps.select(Aligned.sampleIndices(ps.size(), nSyn,
        rng.split("dcr-synthetic")));
    NearestIndex.Neighbours sn = trainIndex.query(synSub, threads, true);
    double[] nndrS = ratios(sn);
    double exactHold = Double.NaN;
    double baseline = Double.NaN;
    double share = Double.NaN;
    double ties = Double.NaN;
    double marginalShare = Double.NaN;
    double givenShare = Double.NaN;
    double hMed = Double.NaN;
    double hP5 = Double.NaN;
    double nndrH = Double.NaN;
    double mia = Double.NaN;
    int dcrRows = 0;
    double[] dHold = new double[0];
    if (holdout >= 0 && data.rows(holdout) > 0 && data.rows(train) > 0) {
      long[] kh = DistanceSpace.rowKeys(data, holdout);
      exactHold = share(ks, toSet(kh));
      baseline = share(kh, trainKeys);
      DistanceSpace.Points ph = space.embed(data, holdout);
      NearestIndex.Neighbours hn = trainIndex.query(ph, threads, true);
      dHold = hn.first();
      nndrH = median(ratios(hn));
      hMed = median(dHold);
      hP5 = quantile(dHold, 0.05);
      // DCR share: training subsets the holdout's size against the holdout itself. score.py
      // draws one subset; on a table of a few thousand rows which one moves the share by 0.01
      // to 0.03, so the share here is the mean over DCR_SUBSETS of them (the same expectation)
      int nRef = Math.min(data.rows(holdout), data.rows(train));
      int subsets = nRef == pt.size() ? 1 : DCR_SUBSETS;
      NearestIndex holdIndex = NearestIndex.of(ph);
      double[] dh = holdIndex.query(synSub, threads, false).first();
      // rows that know each column alone, against the same references: what the table's own
      // split gives before any joint is learned (see PrivacyReport#dcrShareMarginals)
      int nMarg = Math.min(DCR_MAX_SYNTH, pt.size());
      DistanceSpace.Points marg = marginalDraws(pt, nMarg, rng.split("dcr-marginals"));
      double[] dhMarg = holdIndex.query(marg, threads, false).first();
      int targetDim = categoricalDim(data, target);
      DistanceSpace.Points given = targetDim < 0 ? null
          : marginalDrawsGiven(pt, nMarg, targetDim, rng.split("dcr-marginals-given"));
      double[] dhGiven = given == null ? null : holdIndex.query(given, threads, false).first();
      double givenSum = 0;
      DistanceSpace.Points trSub = null;
      double closer = 0;
      double tie = 0;
      double margShare = 0;
      for (int s = 0; s < subsets; s++) {
        DistanceSpace.Points sub = pt.select(Aligned.sampleIndices(pt.size(), nRef,
            rng.split(s == 0 ? "dcr-train" : "dcr-train-" + s)));
        if (s == 0) {
          trSub = sub;
        }
        NearestIndex subIndex = NearestIndex.of(sub);
        double[] c = closerAndTies(subIndex.query(synSub, threads, false).first(), dh);
        closer += c[0];
        tie += c[1];
        double[] mc = closerAndTies(subIndex.query(marg, threads, false).first(), dhMarg);
        margShare += nMarg == 0 ? Double.NaN : (mc[0] + 0.5 * mc[1]) / nMarg;
        if (given != null) {
          double[] gc = closerAndTies(subIndex.query(given, threads, false).first(), dhGiven);
          givenSum += nMarg == 0 ? Double.NaN : (gc[0] + 0.5 * gc[1]) / nMarg;
        }
      }
      givenShare = given == null ? Double.NaN : givenSum / subsets;
      dcrRows = nSyn;
      share = nSyn == 0 ? Double.NaN : (closer + 0.5 * tie) / (nSyn * (double) subsets);
      ties = nSyn == 0 ? Double.NaN : tie / (nSyn * (double) subsets);
      marginalShare = margShare / subsets;
      // membership attack: members = the same training subset, non-members = the holdout
      if (ps.size() > 0) {
        NearestIndex synIndex = NearestIndex.of(ps);
        double[] dm = synIndex.query(trSub, threads, false).first();
        double[] dn = synIndex.query(ph, threads, false).first();
        mia = aucLowerIsPositive(dm, dn);
      }
    }
    return new PrivacyReport(exactTrain, exactHold, baseline, unique, share, ties, dcrRows,
        marginalShare, givenShare,
        median(sn.first()), quantile(sn.first(), 0.05), hMed, hP5, median(nndrS), nndrH, mia,
        sn.first(), dHold);
  }

  /** How many of the rows lie strictly closer to the first reference, and how many tie. */
  private static double[] closerAndTies(double[] first, double[] second) {
    double closer = 0;
    double tie = 0;
    for (int i = 0; i < first.length; i++) {
      if (first[i] < second[i]) {
        closer++;
      } else if (first[i] == second[i]) {
        tie++;
      }
    }
    return new double[] {closer, tie};
  }

  /**
   * {@code n} rows whose columns are drawn independently: each column's coordinates (a number
   * and its missing indicator, or a category) come from a training row drawn for that column
   * alone. Such rows hold every column's training distribution and none of the joint.
   */
  static DistanceSpace.Points marginalDraws(DistanceSpace.Points train, int n,
      RandomSource rng) {
    int nd = train.numDims();
    int cd = train.catDims();
    double[] num = new double[n * nd];
    int[] cat = new int[n * cd];
    for (int d = 0; d < nd; d += 2) {
      for (int r = 0; r < n; r++) {
        int from = rng.nextInt(train.size()) * nd + d;
        num[r * nd + d] = train.num()[from];
        num[r * nd + d + 1] = train.num()[from + 1];
      }
    }
    for (int d = 0; d < cd; d++) {
      for (int r = 0; r < n; r++) {
        cat[r * cd + d] = train.cat()[rng.nextInt(train.size()) * cd + d];
      }
    }
    return new DistanceSpace.Points(n, nd, cd, num, cat);
  }

  /**
   * The categorical coordinate of column {@code target} in the distance space (categorical
   * columns in column order), or -1 when it is null, absent or continuous.
   */
  static int categoricalDim(Aligned data, String target) {
    int dim = 0;
    for (int c = 0; target != null && c < data.columnCount(); c++) {
      if (!data.continuous(c)) {
        if (data.names().get(c).equals(target)) {
          return dim;
        }
        dim++;
      } else if (data.names().get(c).equals(target)) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * {@code n} rows whose columns are drawn independently within the class of categorical
   * coordinate {@code targetDim}: each row's class from a training row, then every other column
   * from a training row of that class. Such rows hold each column's relation to the target and
   * nothing else of the joint.
   */
  static DistanceSpace.Points marginalDrawsGiven(DistanceSpace.Points train, int n,
      int targetDim, RandomSource rng) {
    int nd = train.numDims();
    int cd = train.catDims();
    int size = train.size();
    Map<Integer, List<Integer>> byClass = new HashMap<>();
    for (int r = 0; r < size; r++) {
      byClass.computeIfAbsent(train.cat()[r * cd + targetDim], k -> new ArrayList<>()).add(r);
    }
    double[] num = new double[n * nd];
    int[] cat = new int[n * cd];
    for (int r = 0; r < n; r++) {
      int cls = train.cat()[rng.nextInt(size) * cd + targetDim];
      List<Integer> rows = byClass.get(cls);
      for (int d = 0; d < nd; d += 2) {
        int from = rows.get(rng.nextInt(rows.size())) * nd + d;
        num[r * nd + d] = train.num()[from];
        num[r * nd + d + 1] = train.num()[from + 1];
      }
      for (int d = 0; d < cd; d++) {
        cat[r * cd + d] = d == targetDim ? cls
            : train.cat()[rows.get(rng.nextInt(rows.size())) * cd + d];
      }
    }
    return new DistanceSpace.Points(n, nd, cd, num, cat);
  }

  private static double[] ratios(NearestIndex.Neighbours n) {
    double[] r = new double[n.first().length];
    for (int i = 0; i < r.length; i++) {
      double a = n.first()[i];
      double b = n.second()[i];
      r[i] = a == 0 ? 0 : Double.isInfinite(b) ? Double.NaN : a / b;
    }
    return r;
  }

  static Set<Long> toSet(long[] keys) {
    Set<Long> s = new HashSet<>(keys.length * 2);
    for (long k : keys) {
      s.add(k);
    }
    return s;
  }

  private static double share(long[] keys, Set<Long> in) {
    if (keys.length == 0) {
      return Double.NaN;
    }
    int n = 0;
    for (long k : keys) {
      if (in.contains(k)) {
        n++;
      }
    }
    return n / (double) keys.length;
  }

  /**
   * ROC AUC when a lower value means "positive": P(member value < non-member value) plus half
   * the ties (Mann-Whitney U / (n1 n2)).
   */
  public static double aucLowerIsPositive(double[] members, double[] nonMembers) {
    double[] a = new double[members.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = -members[i];
    }
    double[] b = new double[nonMembers.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = -nonMembers[i];
    }
    return dev.ersatz.eval.utility.Metrics.aucFromScores(a, b);
  }

  /** The median of the non-NaN values (NaN when none). */
  public static double median(double[] v) {
    return quantile(v, 0.5);
  }

  /** Type-7 (linear interpolation) quantile of the non-NaN values, as numpy's default. */
  public static double quantile(double[] v, double q) {
    double[] x = Arrays.stream(v).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (x.length == 0) {
      return Double.NaN;
    }
    double h = (x.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, x.length - 1);
    return x[lo] + (h - lo) * (x[hi] - x[lo]);
  }
}
