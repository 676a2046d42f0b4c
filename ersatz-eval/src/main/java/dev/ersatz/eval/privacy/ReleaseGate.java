package dev.ersatz.eval.privacy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import dev.ersatz.eval.Aligned;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The release gate: drops synthetic rows that copy a real training row or sit closer to one
 * than real data itself usually does.
 *
 * <p>A row is dropped when its {@link DistanceSpace} distance to the closest reference row is
 * at most 1e-9 (an exact match; counted as such) or below the threshold. The default threshold
 * is the 5th percentile of the distances from holdout rows to their closest reference row: a
 * synthetic row closer than 95% of genuinely new real rows is treated as a leak. Without a
 * holdout, 20% of the reference rows are split off with a seeded generator to estimate it
 * (against the other 80%). Filtering is thread-safe; counters accumulate over all calls.
 */
public final class ReleaseGate {
  /** Distances at or below this count as exact matches. */
  public static final double EXACT = 1e-9;

  private final DistanceSpace space;
  private final NearestIndex index;
  private final double threshold;
  private final String thresholdSource;
  private final AtomicLong checked = new AtomicLong();
  private final AtomicLong droppedExact = new AtomicLong();
  private final AtomicLong droppedClose = new AtomicLong();

  private ReleaseGate(DistanceSpace space, NearestIndex index, double threshold,
      String thresholdSource) {
    this.space = space;
    this.index = index;
    this.threshold = threshold;
    this.thresholdSource = thresholdSource;
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
    return new ReleaseGate(space, index, threshold, source);
  }

  /**
   * The rows of {@code batch} that pass the gate, in their order.
   *
   * @throws UserInputException naming the reference columns the batch lacks
   */
  public Table filter(Table batch) {
    DistanceSpace.Points p = space.embed(batch);
    double[] d = index.query(p, 1, false).first();
    int[] keep = new int[d.length];
    int n = 0;
    long exact = 0;
    long close = 0;
    for (int i = 0; i < d.length; i++) {
      if (d[i] <= EXACT) {
        exact++;
      } else if (d[i] < threshold) {
        close++;
      } else {
        keep[n++] = i;
      }
    }
    checked.addAndGet(d.length);
    droppedExact.addAndGet(exact);
    droppedClose.addAndGet(close);
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
