package dev.ersatz.models.codec;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.models.PrivacySettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cells of a categorical or boolean column: its levels seen at least {@code k} times (most
 * frequent first), then the protected bucket of rare levels if there were any, then missing.
 */
public final class CategoricalCodec implements ColumnCodec {
  private final List<String> levels;
  private final double[] probs;
  private final boolean hasMissing;
  /** For each input level code, the cell (built at fit time, not persisted). */
  private final Map<String, Integer> cellOfLevel;

  private CategoricalCodec(List<String> levels, double[] probs, boolean hasMissing) {
    this.levels = List.copyOf(levels);
    this.probs = probs;
    this.hasMissing = hasMissing;
    this.cellOfLevel = new LinkedHashMap<>();
    for (int i = 0; i < this.levels.size(); i++) {
      cellOfLevel.put(this.levels.get(i), i);
    }
  }

  /**
   * Learns the cells of {@code data}.
   *
   * @param bool whether the column is boolean (rare values are dropped, not bucketed)
   */
  public static CategoricalCodec fit(ColumnData.Codes data, PrivacySettings privacy, boolean bool) {
    List<String> in = data.levels();
    long[] counts = new long[in.size()];
    long missing = 0;
    for (int r = 0; r < data.size(); r++) {
      int c = data.code(r);
      if (c < 0) {
        missing++;
      } else {
        counts[c]++;
      }
    }
    Integer[] order = new Integer[in.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.<Integer>comparingLong(i -> -counts[i])
        .thenComparing(i -> in.get(i)));
    List<String> kept = new ArrayList<>();
    List<Long> keptCounts = new ArrayList<>();
    long rare = 0;
    for (int i : order) {
      if (counts[i] == 0) {
        continue;
      }
      if (counts[i] >= privacy.k()) {
        kept.add(in.get(i));
        keptCounts.add(counts[i]);
      } else {
        rare += counts[i];
      }
    }
    if (rare > 0 && !bool) {
      kept.add(PrivacySettings.RARE_LABEL);
      keptCounts.add(rare);
    }
    long total = missing;
    for (long c : keptCounts) {
      total += c;
    }
    int cells = kept.size() + (missing > 0 ? 1 : 0);
    double[] p = new double[Math.max(cells, 1)];
    if (total == 0) {
      // an all-missing (or, for booleans, all-rare) column: emit missing only
      return new CategoricalCodec(List.of(), new double[] {1.0}, true);
    }
    for (int i = 0; i < kept.size(); i++) {
      p[i] = keptCounts.get(i) / (double) total;
    }
    if (missing > 0) {
      p[kept.size()] = missing / (double) total;
    }
    return new CategoricalCodec(kept, p, missing > 0);
  }

  /** The output levels: protected levels, and the rare bucket's label if any. */
  public List<String> levels() {
    return levels;
  }

  /** The cell for an input value, or -1 if the model has no such level (rare or unseen). */
  public int cellOf(String value) {
    Integer c = cellOfLevel.get(value);
    return c == null ? -1 : c;
  }

  /** The output code of a cell: its level index, or -1 for missing. */
  public int outputCode(int cell) {
    return cell >= levels.size() ? -1 : cell;
  }

  @Override
  public int cells() {
    return probs.length;
  }

  @Override
  public int missingCell() {
    return hasMissing ? probs.length - 1 : -1;
  }

  @Override
  public double[] probabilities() {
    return probs.clone();
  }

  @Override
  public boolean ordered() {
    return false;
  }

  @Override
  public int[] encode(ColumnData data) {
    ColumnData.Codes codes = (ColumnData.Codes) data;
    List<String> in = codes.levels();
    int rareCell = levels.indexOf(PrivacySettings.RARE_LABEL);
    int[] map = new int[in.size()];
    for (int i = 0; i < map.length; i++) {
      int c = cellOf(in.get(i));
      // an input level that is not kept is rare: bucket, or (booleans) the most frequent level
      map[i] = c >= 0 ? c : (rareCell >= 0 ? rareCell : 0);
    }
    int miss = missingCell();
    int[] out = new int[codes.size()];
    for (int r = 0; r < out.length; r++) {
      int c = codes.code(r);
      out[r] = c < 0 ? (miss >= 0 ? miss : 0) : map[c];
    }
    return out;
  }

  @Override
  public boolean[] positional() {
    return new boolean[probs.length];
  }

  @Override
  public double position(ColumnData data, int row, int cell) {
    return Double.NaN;
  }

  @Override
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("codec", "categorical");
    m.put("levels", levels);
    m.put("probabilities", probs);
    m.put("hasMissing", hasMissing);
    return m;
  }

  static CategoricalCodec fromJson(JsonMap j) {
    List<String> levels = j.strings("levels");
    double[] p = j.doubles("probabilities");
    boolean miss = j.bool("hasMissing", false);
    if (p.length != levels.size() + (miss ? 1 : 0) && !(levels.isEmpty() && p.length == 1)) {
      throw new ModelFormatException("codec at " + j.path() + " has " + levels.size()
          + " levels but " + p.length + " probabilities");
    }
    return new CategoricalCodec(levels, p, miss);
  }
}
