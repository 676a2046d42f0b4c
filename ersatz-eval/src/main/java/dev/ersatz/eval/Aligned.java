package dev.ersatz.eval;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Several tables (real first, then synthetic, holdout...) brought onto one set of columns, each
 * either continuous (numbers, datetimes as epoch seconds) or categorical (codes into one shared
 * list of level strings), so that every metric compares like with like.
 *
 * <p>Column kinds follow the reference scorer's rule ({@code score.py}, "Column kinds"): a
 * datetime is continuous; a numeric column is continuous when the real table has more than 10
 * distinct values, categorical otherwise; boolean and categorical columns are categorical. A
 * forced kind (from a metadata file) wins. Identifier and text columns are left out. Categorical
 * levels are aligned by their strings (integer-valued numbers written one way: "1", "1.0" and
 * "01" are the same level), never by codes. A missing categorical value is a level of its own:
 * code {@link #missingCode(int)}.
 */
public final class Aligned {
  /** How a column is compared. */
  public enum Kind { CONTINUOUS, CATEGORICAL }

  /** The auto rule: a numeric column needs more than this many distinct real values. */
  public static final int AUTO_MIN_DISTINCT = 10;

  private static final Pattern NUMBER =
      Pattern.compile("\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*");

  private final List<String> roles;
  private final List<String> names;
  private final List<Kind> kinds;
  private final List<List<String>> levels;
  private final double[][][] numbers; // [column][table][row]
  private final int[][][] codes;      // [column][table][row]
  private final int[] rows;

  private Aligned(List<String> roles, List<String> names, List<Kind> kinds,
      List<List<String>> levels, double[][][] numbers, int[][][] codes, int[] rows) {
    this.roles = roles;
    this.names = names;
    this.kinds = kinds;
    this.levels = levels;
    this.numbers = numbers;
    this.codes = codes;
    this.rows = rows;
  }

  /**
   * Aligns {@code tables} on the columns of the first one.
   *
   * @param roles what each table is ("real", "synthetic", "holdout"), used in messages
   * @param tables the tables; the first decides the columns and their kinds
   * @param forced kinds fixed by the caller (column name to kind); may be empty
   * @param notes receives what was left out or converted
   * @throws UserInputException naming the columns a table lacks, or a forced column that does
   *     not exist
   */
  public static Aligned of(List<String> roles, List<Table> tables, Map<String, Kind> forced,
      List<String> notes) {
    Table real = tables.get(0);
    List<String> realNames = real.schema().names();
    for (String f : forced.keySet()) {
      if (!realNames.contains(f)) {
        throw new UserInputException("column kinds: unknown column '" + f + "'; the real table's"
            + " columns are " + realNames);
      }
    }
    for (int t = 1; t < tables.size(); t++) {
      List<String> other = tables.get(t).schema().names();
      List<String> missing = new ArrayList<>();
      for (String n : realNames) {
        if (!other.contains(n)) {
          missing.add(n);
        }
      }
      List<String> extra = new ArrayList<>();
      for (String n : other) {
        if (!realNames.contains(n)) {
          extra.add(n);
        }
      }
      if (!missing.isEmpty()) {
        throw new UserInputException("the " + roles.get(t) + " table lacks the real table's "
            + "columns " + missing + (extra.isEmpty() ? "" : " and has extra columns " + extra)
            + "; give it the same columns as the real table (names are compared exactly)");
      }
      if (!extra.isEmpty()) {
        notes.add("columns of the " + roles.get(t) + " table not in the real table are ignored: "
            + extra);
      }
    }
    List<String> names = new ArrayList<>();
    List<Kind> kinds = new ArrayList<>();
    List<List<String>> levels = new ArrayList<>();
    List<double[][]> nums = new ArrayList<>();
    List<int[][]> cods = new ArrayList<>();
    for (int c = 0; c < realNames.size(); c++) {
      Column col = real.schema().column(c);
      ColumnType type = col.type();
      if (type instanceof ColumnType.Identifier || type instanceof ColumnType.Text) {
        notes.add("column " + col.name() + " (" + type.kind() + ") is not compared");
        continue;
      }
      Kind kind = forced.get(col.name());
      if (kind == null) {
        if (type instanceof ColumnType.Datetime) {
          kind = Kind.CONTINUOUS;
        } else if (type instanceof ColumnType.Numeric) {
          kind = distinct(((ColumnData.Numbers) real.column(c))) > AUTO_MIN_DISTINCT
              ? Kind.CONTINUOUS : Kind.CATEGORICAL;
        } else {
          kind = Kind.CATEGORICAL;
        }
      }
      names.add(col.name());
      kinds.add(kind);
      if (kind == Kind.CONTINUOUS) {
        double[][] v = new double[tables.size()][];
        for (int t = 0; t < tables.size(); t++) {
          v[t] = asNumbers(tables.get(t), col.name(), roles.get(t), notes);
        }
        nums.add(v);
        cods.add(null);
        levels.add(List.of());
      } else {
        Map<String, Integer> dict = new LinkedHashMap<>();
        int[][] k = new int[tables.size()][];
        for (int t = 0; t < tables.size(); t++) {
          k[t] = asCodes(tables.get(t).column(col.name()), dict);
        }
        int missing = dict.size();
        for (int[] kt : k) {
          for (int r = 0; r < kt.length; r++) {
            if (kt[r] < 0) {
              kt[r] = missing;
            }
          }
        }
        nums.add(null);
        cods.add(k);
        levels.add(List.copyOf(dict.keySet()));
      }
    }
    int[] rows = new int[tables.size()];
    for (int t = 0; t < tables.size(); t++) {
      rows[t] = tables.get(t).rowCount();
    }
    return new Aligned(List.copyOf(roles), List.copyOf(names), List.copyOf(kinds),
        List.copyOf(levels), nums.toArray(new double[0][][]), cods.toArray(new int[0][][]), rows);
  }

  /**
   * Column kinds from a metadata document in the shared scorer's format:
   * {@code {"columns": {name: {"sdtype": "numerical" | "datetime" | "categorical" | ...}}}}.
   * numerical and datetime become continuous; categorical, boolean and id-like sdtypes become
   * categorical.
   *
   * @throws UserInputException when {@code columns} is not an object of objects
   */
  public static Map<String, Kind> kindsFromMetadata(Map<String, Object> metadata) {
    Object cols = metadata.get("columns");
    Map<String, Kind> out = new LinkedHashMap<>();
    if (cols == null) {
      return out;
    }
    if (!(cols instanceof Map<?, ?> m)) {
      throw new UserInputException("metadata: 'columns' must be an object of column name to "
          + "{\"sdtype\": ...}");
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?> spec)) {
        throw new UserInputException("metadata: column '" + e.getKey() + "' must be an object "
            + "such as {\"sdtype\": \"numerical\"}");
      }
      Object st = spec.get("sdtype");
      String sd = st == null ? "" : st.toString().toLowerCase(Locale.ROOT);
      out.put(String.valueOf(e.getKey()), sd.equals("numerical") || sd.equals("datetime")
          ? Kind.CONTINUOUS : Kind.CATEGORICAL);
    }
    return out;
  }

  private static int distinct(ColumnData.Numbers n) {
    Set<Double> s = new HashSet<>();
    for (int r = 0; r < n.size() && s.size() <= AUTO_MIN_DISTINCT; r++) {
      if (!n.isMissing(r)) {
        s.add(n.get(r));
      }
    }
    return s.size();
  }

  private static double[] asNumbers(Table t, String name, String role, List<String> notes) {
    ColumnData d = t.column(name);
    int n = d.size();
    double[] out = new double[n];
    if (d instanceof ColumnData.Numbers num) {
      for (int r = 0; r < n; r++) {
        double x = num.get(r);
        out[r] = Double.isInfinite(x) ? Double.NaN : x;
      }
      return out;
    }
    int bad = 0;
    for (int r = 0; r < n; r++) {
      String s = d instanceof ColumnData.Codes c ? c.get(r) : ((ColumnData.Strings) d).get(r);
      out[r] = Double.NaN;
      if (s != null && !s.isBlank()) {
        if (NUMBER.matcher(s).matches()) {
          out[r] = Double.parseDouble(s.trim());
        } else {
          bad++;
        }
      }
    }
    notes.add("column " + name + " is numeric in the real table but not in the " + role
        + " table; converted" + (bad > 0 ? ", " + bad + " values that are not numbers scored as "
        + "missing" : ""));
    return out;
  }

  private static int[] asCodes(ColumnData d, Map<String, Integer> dict) {
    int n = d.size();
    int[] out = new int[n];
    if (d instanceof ColumnData.Codes c) {
      List<String> lv = c.levels();
      int[] map = new int[lv.size()];
      for (int i = 0; i < map.length; i++) {
        map[i] = dict.computeIfAbsent(normalise(lv.get(i)), k -> dict.size());
      }
      for (int r = 0; r < n; r++) {
        int k = c.code(r);
        out[r] = k < 0 ? -1 : map[k];
      }
    } else if (d instanceof ColumnData.Numbers num) {
      Map<Double, Integer> cache = new HashMap<>();
      for (int r = 0; r < n; r++) {
        double x = num.get(r);
        out[r] = Double.isNaN(x) ? -1 : cache.computeIfAbsent(x,
            v -> dict.computeIfAbsent(numberLevel(v), k -> dict.size()));
      }
    } else {
      ColumnData.Strings s = (ColumnData.Strings) d;
      for (int r = 0; r < n; r++) {
        String v = s.get(r);
        out[r] = v == null ? -1 : dict.computeIfAbsent(normalise(v), k -> dict.size());
      }
    }
    return out;
  }

  /** A level string with integer-valued numbers written one way ("1.0", "01" become "1"). */
  public static String normalise(String s) {
    if (s.length() < 40 && NUMBER.matcher(s).matches()) {
      double x = Double.parseDouble(s.trim());
      if (Math.rint(x) == x && Math.abs(x) < 9.2e18) {
        return Long.toString((long) x);
      }
    }
    return s;
  }

  private static String numberLevel(double x) {
    if (Math.rint(x) == x && Math.abs(x) < 9.2e18) {
      return Long.toString((long) x);
    }
    return Double.toString(x).toLowerCase(Locale.ROOT);
  }

  /**
   * A copy with at most {@code maxRows} rows per table, drawn without replacement with a
   * seeded generator (row order kept); tables that are small enough are kept whole.
   */
  public Aligned subsample(int maxRows, RandomSource rng) {
    int[][] pick = new int[rows.length][];
    int[] newRows = rows.clone();
    for (int t = 0; t < rows.length; t++) {
      if (rows[t] > maxRows) {
        pick[t] = sampleIndices(rows[t], maxRows, rng.split(t));
        newRows[t] = maxRows;
      }
    }
    double[][][] nn = new double[numbers.length][][];
    int[][][] cc = new int[codes.length][][];
    for (int c = 0; c < names.size(); c++) {
      if (numbers[c] != null) {
        nn[c] = new double[rows.length][];
        for (int t = 0; t < rows.length; t++) {
          nn[c][t] = pick[t] == null ? numbers[c][t] : select(numbers[c][t], pick[t]);
        }
      } else {
        cc[c] = new int[rows.length][];
        for (int t = 0; t < rows.length; t++) {
          cc[c][t] = pick[t] == null ? codes[c][t] : select(codes[c][t], pick[t]);
        }
      }
    }
    return new Aligned(roles, names, kinds, levels, nn, cc, newRows);
  }

  /** {@code k} distinct indices out of {@code n}, sorted, from a partial Fisher-Yates shuffle. */
  public static int[] sampleIndices(int n, int k, RandomSource rng) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(n - i);
      int tmp = idx[i];
      idx[i] = idx[j];
      idx[j] = tmp;
    }
    int[] out = java.util.Arrays.copyOf(idx, k);
    java.util.Arrays.sort(out);
    return out;
  }

  private static double[] select(double[] v, int[] idx) {
    double[] out = new double[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = v[idx[i]];
    }
    return out;
  }

  private static int[] select(int[] v, int[] idx) {
    int[] out = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = v[idx[i]];
    }
    return out;
  }

  public List<String> roles() {
    return roles;
  }

  public int tableCount() {
    return rows.length;
  }

  public int rows(int table) {
    return rows[table];
  }

  public int columnCount() {
    return names.size();
  }

  public String name(int c) {
    return names.get(c);
  }

  public List<String> names() {
    return names;
  }

  public Kind kind(int c) {
    return kinds.get(c);
  }

  public boolean continuous(int c) {
    return kinds.get(c) == Kind.CONTINUOUS;
  }

  /** The shared levels of a categorical column (missing is not among them). */
  public List<String> levels(int c) {
    return levels.get(c);
  }

  /** The code that marks a missing value in a categorical column: the number of levels. */
  public int missingCode(int c) {
    return levels.get(c).size();
  }

  /** Number of codes of a categorical column, missing included. */
  public int cardinality(int c) {
    return levels.get(c).size() + 1;
  }

  /** The values of a continuous column in one table (NaN = missing). Not a copy: do not write. */
  public double[] numbers(int c, int table) {
    return numbers[c][table];
  }

  /** The codes of a categorical column in one table. Not a copy: do not write. */
  public int[] codes(int c, int table) {
    return codes[c][table];
  }

  /** Whether a value is missing. */
  public boolean isMissing(int c, int table, int row) {
    return numbers[c] != null ? Double.isNaN(numbers[c][table][row])
        : codes[c][table][row] == missingCode(c);
  }
}
