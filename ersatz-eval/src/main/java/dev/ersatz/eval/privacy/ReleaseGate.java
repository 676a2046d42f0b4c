package dev.ersatz.eval.privacy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import dev.ersatz.eval.Aligned;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The release gate: drops synthetic rows that copy a real training row or sit closer to one
 * than real data itself usually does.
 *
 * <p>A row is dropped when its {@link DistanceSpace} distance to the closest reference row is
 * at most 1e-9 (an exact match; counted as such) or below the threshold. An exact copy of a
 * combination of values that at least {@link #DEFAULT_SHARED} reference rows hold passes: it
 * points at none of them (k-anonymity, with the same k as the generators' rare-value threshold),
 * and tables of few, coarse columns hold many such rows (a third of titanic's fresh rows copy a
 * training row), which dropping would carve out of the output. The default threshold
 * is the 5th percentile of the distances from holdout rows to their closest reference row: a
 * synthetic row closer than 95% of genuinely new real rows is treated as a leak. Without a
 * holdout, 20% of the reference rows are split off with a seeded generator to estimate it
 * (against the other 80%). Filtering is thread-safe; counters accumulate over all calls.
 */
public final class ReleaseGate {
  /** Distances at or below this count as exact matches. */
  public static final double EXACT = 1e-9;
  /** An exact copy passes when at least this many reference rows hold the same values. */
  public static final int DEFAULT_SHARED = 5;

  private final DistanceSpace space;
  private final NearestIndex index;
  private final double threshold;
  private final String thresholdSource;
  /** Copies pass when their reference row's multiplicity reaches this; 0: none passes. */
  private final int shared;
  /** Per reference row, how many reference rows hold exactly its values. */
  private final int[] multiplicity;
  private final AtomicLong checked = new AtomicLong();
  private final AtomicLong passedShared = new AtomicLong();
  private final AtomicLong droppedExact = new AtomicLong();
  private final AtomicLong droppedClose = new AtomicLong();

  private ReleaseGate(DistanceSpace space, NearestIndex index, double threshold,
      String thresholdSource, int shared, int[] multiplicity) {
    this.space = space;
    this.index = index;
    this.threshold = threshold;
    this.thresholdSource = thresholdSource;
    this.shared = shared;
    this.multiplicity = multiplicity;
  }

  /**
   * A gate over {@code reference} whose threshold is the 5th percentile of holdout-to-reference
   * distances; without a holdout ({@code null}) a seeded 20% split of the reference stands in.
   *
   * @throws UserInputException when the reference is empty or the holdout lacks its columns
   */
  public static ReleaseGate of(Table reference, Table holdout, long seed) {
    return of(reference, holdout, seed, Double.NaN);
  }

  /**
   * A gate with a fixed threshold (NaN: estimate it as {@link #of(Table, Table, long)} does).
   *
   * @param threshold distance below which a row is dropped; must be NaN or >= 0
   */
  public static ReleaseGate of(Table reference, Table holdout, long seed, double threshold) {
    return of(reference, holdout, seed, threshold, DEFAULT_SHARED);
  }

  /**
   * A gate as {@link #of(Table, Table, long, double)}, where an exact copy passes when at
   * least {@code shared} reference rows hold the same values ({@code 0}: every copy is dropped).
   *
   * @throws UserInputException for a negative {@code shared} or as the other factories
   */
  public static ReleaseGate of(Table reference, Table holdout, long seed, double threshold,
      int shared) {
    if (shared < 0) {
      throw new UserInputException("privacy gate: the number of training rows that make a copy "
          + "shared must be >= 0 (0 drops every copy) but was " + shared);
    }
    if (reference.rowCount() == 0) {
      throw new UserInputException("privacy gate: the reference table has no rows");
    }
    if (!Double.isNaN(threshold) && threshold < 0) {
      throw new UserInputException("privacy gate: threshold must be >= 0 but was " + threshold);
    }
    List<String> notes = new ArrayList<>();
    List<Table> tables = holdout == null ? List.of(reference) : List.of(reference, holdout);
    List<String> roles = holdout == null ? List.of("reference") : List.of("reference", "holdout");
    Aligned data = Aligned.of(roles, tables, Map.of(), notes);
    DistanceSpace space = DistanceSpace.of(data, 0);
    DistanceSpace.Points ref = space.embed(data, 0);
    NearestIndex index = NearestIndex.of(ref);
    String source = "fixed";
    if (Double.isNaN(threshold)) {
      double[] d;
      if (holdout != null && holdout.rowCount() > 0) {
        d = index.query(space.embed(data, 1), 2, false).first();
        source = "5th percentile of holdout-to-reference distances";
      } else {
        int n = ref.size();
        int nOut = n / 5;
        if (nOut == 0) {
          d = new double[0];
        } else {
          int[] perm = new int[n];
          for (int i = 0; i < n; i++) {
            perm[i] = i;
          }
          RandomSource.of(seed).split("release-gate").shuffle(perm);
          int[] out = Arrays.copyOf(perm, nOut);
          int[] in = Arrays.copyOfRange(perm, nOut, n);
          d = NearestIndex.of(ref.select(in)).query(ref.select(out), 2, false).first();
        }
        source = "5th percentile of distances from a seeded 20% of the reference to the rest";
      }
      threshold = d.length == 0 ? 0 : Privacy.quantile(d, 0.05);
    }
    return new ReleaseGate(space, index, threshold, source, shared, multiplicity(ref));
  }

  /** How many rows of {@code p} hold exactly the values of each row (1 for a unique row). */
  static int[] multiplicity(DistanceSpace.Points p) {
    Map<RowKey, Integer> counts = new HashMap<>();
    RowKey[] keys = new RowKey[p.size()];
    for (int i = 0; i < p.size(); i++) {
      keys[i] = new RowKey(
          Arrays.copyOfRange(p.num(), i * p.numDims(), (i + 1) * p.numDims()),
          Arrays.copyOfRange(p.cat(), i * p.catDims(), (i + 1) * p.catDims()));
      counts.merge(keys[i], 1, Integer::sum);
    }
    int[] m = new int[p.size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = counts.get(keys[i]);
    }
    return m;
  }

  /** One embedded row's values, compared by content. */
  private record RowKey(double[] num, int[] cat) {
    @Override
    public boolean equals(Object o) {
      return o instanceof RowKey k && Arrays.equals(num, k.num) && Arrays.equals(cat, k.cat);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(num) + Arrays.hashCode(cat);
    }
  }

  /**
   * The rows of {@code batch} that pass the gate, in their order.
   *
   * @throws UserInputException naming the reference columns the batch lacks
   */
  public Table filter(Table batch) {
    DistanceSpace.Points p = space.embed(batch);
    NearestIndex.Neighbours nb = index.query(p, 1, false);
    double[] d = nb.first();
    int[] keep = new int[d.length];
    int n = 0;
    long exact = 0;
    long close = 0;
    long passed = 0;
    for (int i = 0; i < d.length; i++) {
      if (d[i] <= EXACT) {
        if (shared > 0 && multiplicity[nb.firstRow()[i]] >= shared) {
          passed++;
          keep[n++] = i;
        } else {
          exact++;
        }
      } else if (d[i] < threshold) {
        close++;
      } else {
        keep[n++] = i;
      }
    }
    checked.addAndGet(d.length);
    droppedExact.addAndGet(exact);
    droppedClose.addAndGet(close);
    passedShared.addAndGet(passed);
    return n == d.length ? batch : Tables.select(batch, Arrays.copyOf(keep, n));
  }

  public double threshold() {
    return threshold;
  }

  /** How the threshold was set. */
  public String thresholdSource() {
    return thresholdSource;
  }

  public long checkedRows() {
    return checked.get();
  }

  /** Exact copies that passed because enough reference rows share their values. */
  public long passedSharedCopies() {
    return passedShared.get();
  }

  /** The multiplicity at which an exact copy passes; 0 when none does. */
  public int shared() {
    return shared;
  }

  public long droppedExactMatches() {
    return droppedExact.get();
  }

  public long droppedTooClose() {
    return droppedClose.get();
  }

  public long droppedRows() {
    return droppedExact.get() + droppedClose.get();
  }
}
