package dev.ersatz.io;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.table.ColumnData;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Infers a column's type from its cells (all read as strings) and converts the cells to typed
 * {@link ColumnData}. Deterministic: the result depends only on the column name and the
 * multiset of its values. The rules, applied in this order:
 *
 * <ol>
 *   <li><b>Missing.</b> The empty string is missing. A column where every cell is empty is
 *       {@code categorical} (with a warning) and stays empty in output.
 *   <li><b>Null-ish tokens.</b> {@code NA N/A null NULL NaN nan None ? -} and cells of nothing
 *       but whitespace count as missing in a column that is otherwise boolean, numeric or a
 *       date; the most frequent one (ties: the earlier in that list, whitespace last) becomes
 *       the column's {@code missingToken}, so output writes it back. In any other column they
 *       stay ordinary values (the census data uses {@code ?} as a category).
 *   <li><b>Whitespace around numbers and dates.</b> The number and date rules below test each
 *       value with its surrounding whitespace removed, and such columns are written without it:
 *       {@code " 39"} (UCI's comma-space files) is the integer 39, and a column of numbers with
 *       a few blank cells (Telco churn's {@code TotalCharges}) is numeric with those cells
 *       missing. Boolean and label values keep their exact spelling.
 *   <li><b>boolean.</b> Exactly two distinct non-missing spellings that are, ignoring case, one
 *       of {@code true/false}, {@code yes/no}, {@code t/f}, {@code y/n}, {@code 1/0}: kept with
 *       the input's exact spelling; stored as codes into {@code [falseToken, trueToken]}.
 *   <li><b>date {@code yyyyMMdd}.</b> Only when the column name contains {@code date} (any
 *       case) and every value is a real calendar date in that form.
 *   <li><b>integer.</b> Every value is an optional sign and digits without leading zeros
 *       ({@code 007} stays a label, since printing it as a number would change it) and fits in
 *       53 bits.
 *   <li><b>identifier (integers).</b> An integer column whose values are all distinct, with at
 *       least 20 of them, and whose name looks like a key ({@link #ID_NAME}) or whose values
 *       are dense (max - min + 1 at most 10 times the count, as with surrogate keys): shape
 *       {@code sequence} starting at 1. The schema keeps no real key; the models built on
 *       cells place synthetic keys over the real range themselves (ADR 14).
 *   <li><b>decimal.</b> Every value is a finite decimal number (optional sign, digits without
 *       leading zeros, optional fraction, optional exponent): scale = the most digits after the
 *       point (capped at {@link ColumnType.Numeric#MAX_SCALE}; for exponent notation the scale
 *       of the value), {@code fixedScale} when some value has a trailing zero after the point
 *       and every fraction has the same length ({@code 100.0, 2.5} or {@code 1.50, 2.25}; not
 *       {@code 2.0, 3.25}, where the zero is how the writer spells a whole number).
 *   <li><b>date / datetime.</b> Every value parses strictly with one pattern of
 *       {@link #DATE_PATTERNS}, tried in that order (so {@code MM/dd/yyyy} wins over
 *       {@code dd/MM/yyyy} when both fit). Values are epoch seconds, UTC.
 *   <li><b>formatted numbers.</b> Every value is a number in one format: a currency sign before
 *       the digits, a percent or euro sign after them, commas between thousands, a minus sign
 *       first or after the currency sign ({@code -$1,234.50}, {@code 45%}, {@code 12,500}):
 *       integer or decimal by the bare digits, with the format ({@link #formattedNumberOf}).
 *   <li><b>identifier (strings).</b> All values distinct, at least 20 of them, and all UUIDs
 *       (shape {@code uuid}), or all of one shape (template: {@code A} upper-case letter,
 *       {@code a} lower-case letter, {@code 9} digit, anything else literal), or a key-like name
 *       (shape {@code sequence}).
 *   <li><b>text.</b> Mean length above 40 characters or mean whitespace-separated tokens above
 *       6, and more than half the values distinct: free text, with a warning; kept out of models.
 *   <li><b>categorical</b> otherwise, levels sorted by {@link String#compareTo}. More than 1,000
 *       distinct values making up more than half the values adds a warning.
 *       So does a column of numbers (more than 10 distinct) that a few cells (at most 5% of
 *       the non-missing ones) keep from being numeric.
 * </ol>
 */
public final class TypeInference {
  /** Tokens that mean "missing" in a boolean, numeric or date column, in tie-break order. */
  public static final List<String> NULL_TOKENS =
      List.of("NA", "N/A", "null", "NULL", "NaN", "nan", "None", "?", "-");

  /** The date/time patterns inference tries, in order ({@code yyyyMMdd} is special, see above). */
  public static final List<String> DATE_PATTERNS = List.of(
      "yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm",
      "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy/MM/dd", "MM/dd/yyyy",
      "dd/MM/yyyy", "dd.MM.yyyy", "MM/dd/yyyy HH:mm", "MM/dd/yyyy HH:mm:ss",
      "dd/MM/yyyy HH:mm", "dd/MM/yyyy HH:mm:ss", "dd.MM.yyyy HH:mm", "dd.MM.yyyy HH:mm:ss",
      "yyyy/MM/dd HH:mm", "yyyy/MM/dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm",
      "yyyy-MM-dd HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", "dd-MM-yyyy",
      // unpadded forms (spreadsheet exports): after the padded ones, which win when both fit
      "M/d/yyyy", "M/d/yyyy H:mm", "M/d/yyyy H:mm:ss", "d/M/yyyy", "d.M.yyyy",
      // English month abbreviations (Oracle and spreadsheet exports), then ISO 8601 with an
      // offset (kept as the instant it names and written back in UTC, unless every value has
      // the same offset: see datePatternOf)
      "dd-MMM-yyyy", "d-MMM-yyyy", "dd MMM yyyy", "d MMM yyyy", "MMM d, yyyy", "MMM dd yyyy",
      "MMM d yyyy", "MMMM d, yyyy", "d MMMM yyyy",
      "yyyy-MM-dd'T'HH:mm:ssXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "yyyy-MM-dd HH:mm:ssXXX",
      // offsets without a colon: +01 (PostgreSQL's timestamptz) or +0100 (C's strftime %z)
      "yyyy-MM-dd'T'HH:mm:ssx", "yyyy-MM-dd'T'HH:mm:ss.SSSx", "yyyy-MM-dd HH:mm:ssx",
      "yyyy-MM-dd HH:mm:ss.SSSx",
      // times of day with no date (held as seconds since midnight; 12-hour clocks with AM/PM)
      "HH:mm:ss", "HH:mm", "HH:mm:ss.SSS", "H:mm:ss", "H:mm", "hh:mm a", "hh:mm:ss a",
      "h:mm a", "h:mm:ss a");

  static final String COMPACT_DATE = "yyyyMMdd";

  /**
   * Key-like column names: {@code id}, {@code customer_id}, {@code id_x}, {@code uuid},
   * {@code guid}, {@code ...key}, and camel case {@code CustomerId}, {@code PassengerID},
   * {@code userId} (case-sensitive, so that {@code paid} or {@code valid} are not keys).
   */
  private static final Pattern ID_NAME =
      Pattern.compile("(?i:^id$|_id$|^id_|uuid|guid|key$)|[a-z0-9](?:Id|ID)$");
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final String[][] BOOL_PAIRS = {
    {"true", "false"}, {"yes", "no"}, {"t", "f"}, {"y", "n"}, {"1", "0"}
  };
  private static final long MAX_EXACT = 1L << 53;
  private static final int MAX_SCALE = ColumnType.Numeric.MAX_SCALE;
  private static final Map<String, DatePattern> COMPILED = new HashMap<>();

  static {
    for (String p : DATE_PATTERNS) {
      COMPILED.put(p, DatePattern.compile(p));
    }
    COMPILED.put(COMPACT_DATE, DatePattern.compile(COMPACT_DATE));
  }

  private TypeInference() {}

  /**
   * An inferred or declared column with its typed values.
   *
   * @param column name, type and missing token
   * @param data the values
   * @param warnings notes for the user (no data values)
   */
  public record Result(Column column, ColumnData data, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  /** Says where a row is, for error messages (e.g. {@code "data.csv line 17"}). */
  @FunctionalInterface
  public interface RowLocator {
    String at(int row);
  }

  /**
   * Infers the type of one column and converts its values.
   *
   * @param name the column name (some rules look at it)
   * @param values the cells as read; {@code null} is treated as the empty string
   * @param rows how many of {@code values} are used
   */
  public static Result infer(String name, String[] values, int rows) {
    Stats st = Stats.of(values, rows);
    List<String> warnings = new ArrayList<>();
    Column col = Column.of(name, new ColumnType.Categorical());
    if (st.empty == rows) {
      warnings.add("column '" + name + "' is empty in every row; it is kept and stays empty");
    } else {
      col = inferColumn(name, st, warnings);
    }
    return new Result(col, build(col, values, rows, null, null), warnings);
  }

  /** The type of a column with at least one non-empty value. */
  private static Column inferColumn(String name, Stats st, List<String> warnings) {
    if (!st.proper.isEmpty()) {
      String miss = st.bestNull == null ? "" : st.bestNull;
      ColumnType.Bool b = boolOf(st.proper);
      if (b != null) {
        return new Column(name, b, miss);
      }
      if (name.toLowerCase(Locale.ROOT).contains("date")
          && allParse(st.stripped, COMPILED.get(COMPACT_DATE))) {
        return new Column(name, new ColumnType.Datetime(COMPACT_DATE, true), miss);
      }
      if (allIntegers(st.stripped)) {
        if (st.properRows >= 20 && st.stripped.size() == st.properRows
            && (ID_NAME.matcher(name).find() || dense(st.stripped))) {
          return new Column(name, new ColumnType.Identifier("sequence", 1), miss);
        }
        return new Column(name, ColumnType.Numeric.ofInteger(), miss);
      }
      ColumnType.Numeric dec = decimalOf(st.stripped);
      if (dec != null) {
        return new Column(name, dec, miss);
      }
      String pattern = datePatternOf(st.stripped);
      if (pattern != null) {
        java.util.SortedSet<String> offsets = endsWithOffset(pattern)
            ? offsetsOf(st.stripped) : java.util.Collections.emptySortedSet();
        if (offsets.size() > 1) {
          List<String> shown = new ArrayList<>(offsets).subList(0, Math.min(3, offsets.size()));
          String more = offsets.size() > 3 ? " and " + (offsets.size() - 3) + " more" : "";
          warnings.add("column '" + name + "' mixes time-zone offsets ("
              + String.join(", ", shown) + more + "); its date-times are held as the instants"
              + " they name and written in UTC (Z). To keep local times, write them all with"
              + " one offset or none");
        }
        return new Column(name, new ColumnType.Datetime(pattern, compiled(pattern).dateOnly()),
            miss);
      }
      ColumnType.Numeric formatted = formattedNumberOf(st.stripped);
      if (formatted != null) {
        return new Column(name, formatted, miss);
      }
    }
    // Not boolean, numeric or date: null-ish tokens are ordinary labels here.
    List<String> all = st.nonEmpty;
    int nonMissing = st.rows - st.empty;
    if (all.size() == nonMissing && nonMissing >= 20) {
      String shape = identifierShape(all, ID_NAME.matcher(name).find());
      if (shape != null) {
        return Column.of(name, new ColumnType.Identifier(shape, 1));
      }
    }
    double meanLen = 0;
    double meanTokens = 0;
    for (Map.Entry<String, int[]> e : st.counts.entrySet()) {
      String v = e.getKey();
      if (!v.isEmpty()) {
        meanLen += (double) v.length() * e.getValue()[0];
        meanTokens += (double) tokens(v) * e.getValue()[0];
      }
    }
    meanLen /= nonMissing;
    meanTokens /= nonMissing;
    double distinctShare = all.size() / (double) nonMissing;
    if ((meanLen > 40 || meanTokens > 6) && distinctShare > 0.5) {
      warnings.add("column '" + name + "' looks like free text; kept out of the model");
      return Column.of(name, new ColumnType.Text());
    }
    if (mostlyNumbers(name, st, warnings)) {
      return Column.of(name, new ColumnType.Categorical());
    }
    // rows whose label occurs fewer than 5 times (the models' default rare-value threshold)
    long rareRows = 0;
    for (Map.Entry<String, int[]> e : st.counts.entrySet()) {
      if (!e.getKey().isEmpty() && e.getValue()[0] < 5) {
        rareRows += e.getValue()[0];
      }
    }
    if (nonMissing >= 20 && rareRows * 2 > nonMissing) {
      warnings.add("column '" + name + "' is categorical with " + all.size()
          + " distinct values, and " + Math.round(100.0 * rareRows / nonMissing) + "% of rows "
          + "hold a value seen fewer than 5 times; generators protect rare values, so those "
          + "will appear as the protected bucket (_RARE_) in synthetic output. If it is a name "
          + "or key, declare it as identifier or text in the metadata (ersatz profile writes it)");
    }
    return Column.of(name, new ColumnType.Categorical());
  }

  /**
   * Warns when a column that fell back to categorical is numbers except for a few cells (a typo
   * such as {@code abc} in an age column): those cells alone make it categorical, which a user
   * rarely means. The warning names no value; declaring the column numeric makes fit name the
   * rows that do not parse. Returns whether it warned (the rare-values advice would then
   * mislead).
   */
  private static boolean mostlyNumbers(String name, Stats st, List<String> warnings) {
    long numberRows = 0;
    int numberValues = 0;
    for (String v : st.stripped) {
      if (scanDecimal(v, true) >= 0 && Double.isFinite(Double.parseDouble(v))) {
        numberRows += st.strippedRows.get(v)[0];
        numberValues++;
      }
    }
    long otherRows = st.properRows - numberRows;
    if (numberValues > 10 && otherRows > 0 && otherRows * 20 <= st.properRows) {
      warnings.add(String.format(Locale.ROOT, "column '%s' is modelled as categorical because %,d"
          + " of its %,d non-empty values %s not a number (the others are); if the column is"
          + " numeric, fix %s or declare the column integer or decimal in the metadata (ersatz"
          + " profile writes it), and fit will then name each row that does not parse", name,
          otherRows, st.properRows, otherRows == 1 ? "is" : "are",
          otherRows == 1 ? "that value" : "those values"));
      return true;
    }
    return false;
  }

  /**
   * Converts the cells of a column of a known type, filling in attributes the type leaves open
   * is the caller's job (see {@link #complete}).
   *
   * @param where locates rows for error messages; {@code null} when the type was inferred from
   *     these very values (so every value parses)
   * @param parseAs for date columns read from a typed source, the pattern the cells are
   *     actually written in (e.g. ISO from Parquet); {@code null} to use the column's pattern
   * @throws UserInputException naming row and column when a value does not fit the type
   */
  static ColumnData build(Column col, String[] values, int rows, RowLocator where,
      String parseAs) {
    ColumnType t = col.type();
    String miss = col.missingToken();
    if (t instanceof ColumnType.Numeric n) {
      double[] out = new double[rows];
      for (int r = 0; r < rows; r++) {
        String v = cell(values, r);
        if (isMissing(v, miss, true)) {
          out[r] = Double.NaN;
          continue;
        }
        String x = v.strip();
        if (n.formatted()) {
          // a plain number is accepted too (a typed Parquet cell, or a value typed by hand)
          String plain = unformat(x, n.prefix(), n.suffix(), n.grouping());
          x = plain != null ? plain : x;
        }
        double d = n.integer() ? parseInteger(x) : parseDecimal(x);
        if (Double.isNaN(d)) {
          throw bad(where, r, col, v, n.integer() ? "an integer" : "a decimal number");
        }
        out[r] = d;
      }
      return ColumnData.Numbers.adopt(out);
    }
    if (t instanceof ColumnType.Datetime dt) {
      DatePattern p = compiled(parseAs != null ? parseAs : dt.pattern());
      double[] out = new double[rows];
      HashMap<String, Double> cache = new HashMap<>();
      for (int r = 0; r < rows; r++) {
        String v = cell(values, r);
        if (isMissing(v, miss, true)) {
          out[r] = Double.NaN;
          continue;
        }
        Double d = cache.get(v);
        if (d == null) {
          d = p.parse(v.strip());
          if (cache.size() < 100_000) {
            cache.put(v, d);
          }
        }
        if (Double.isNaN(d)) {
          throw bad(where, r, col, v, "a date in the pattern '" + p.pattern() + "'");
        }
        out[r] = d;
      }
      return ColumnData.Numbers.adopt(out);
    }
    if (t instanceof ColumnType.Bool b) {
      int[] out = new int[rows];
      for (int r = 0; r < rows; r++) {
        String v = cell(values, r);
        if (v.equals(b.trueToken())) {
          out[r] = 1;
        } else if (v.equals(b.falseToken())) {
          out[r] = 0;
        } else if (isMissing(v, miss, true)) {
          out[r] = -1;
        } else {
          throw bad(where, r, col, v, "'" + b.trueToken() + "' or '" + b.falseToken() + "'");
        }
      }
      return ColumnData.Codes.adopt(out, List.of(b.falseToken(), b.trueToken()));
    }
    if (t instanceof ColumnType.Categorical) {
      int[] out = new int[rows];
      HashMap<String, Integer> code = new HashMap<>();
      List<String> levels = new ArrayList<>();
      for (int r = 0; r < rows; r++) {
        String v = cell(values, r);
        if (isMissing(v, miss, false)) {
          out[r] = -1;
          continue;
        }
        Integer c = code.get(v);
        if (c == null) {
          c = levels.size();
          code.put(v, c);
          levels.add(v);
        }
        out[r] = c;
      }
      // Sorted levels: the order must not depend on row order.
      String[] sorted = levels.toArray(new String[0]);
      Arrays.sort(sorted);
      int[] remap = new int[sorted.length];
      for (int i = 0; i < sorted.length; i++) {
        remap[code.get(sorted[i])] = i;
      }
      for (int r = 0; r < rows; r++) {
        if (out[r] >= 0) {
          out[r] = remap[out[r]];
        }
      }
      return ColumnData.Codes.adopt(out, Arrays.asList(sorted));
    }
    String[] out = new String[rows];
    for (int r = 0; r < rows; r++) {
      String v = cell(values, r);
      out[r] = isMissing(v, miss, t instanceof ColumnType.Identifier && !miss.isEmpty()) ? null : v;
    }
    return ColumnData.Strings.adopt(out);
  }

  /**
   * Fills the attributes a declared type left open (decimal scale, boolean tokens, date
   * pattern, identifier shape) from the values, and the missing token when the declaration gave
   * none.
   *
   * @param kind the declared type name ({@link SchemaJson} names)
   * @param attrs the declared attributes (as in a metadata column object)
   * @throws UserInputException when the values do not allow a choice (e.g. no date pattern
   *     fits); the message says which attribute to declare
   */
  static Column complete(String name, String kind, dev.ersatz.core.json.JsonMap attrs,
      String[] values, int rows, String fileLabel) {
    Stats st = Stats.of(values, rows);
    boolean nullsAreMissing = kind.equals("integer") || kind.equals("decimal")
        || kind.equals("boolean") || kind.equals("date") || kind.equals("datetime");
    String miss = attrs.has("missingToken") ? attrs.str("missingToken")
        : nullsAreMissing && st.bestNull != null ? st.bestNull : "";
    List<String> proper = kind.equals("boolean") ? st.proper
        : nullsAreMissing ? st.stripped : st.nonEmpty;
    ColumnType inferred = null;
    String where = fileLabel + ", column '" + name + "'";
    switch (kind) {
      case "integer":
        if (!allIntegers(proper)) {
          inferred = formattedNumberOf(proper);
        }
        break;
      case "decimal":
        if (!attrs.has("scale")) {
          inferred = decimalOf(proper);
          if (inferred == null) {
            ColumnType.Numeric f = formattedNumberOf(proper);
            inferred = f == null ? ColumnType.Numeric.ofDecimal(lenientScale(proper), false)
                : f.integer() ? ColumnType.Numeric.ofDecimal(0, false)
                    .withFormat(f.prefix(), f.suffix(), f.grouping()) : f;
          }
        }
        break;
      case "boolean":
        if (!attrs.has("true") || !attrs.has("false")) {
          inferred = boolOf(proper);
          if (inferred == null) {
            throw new UserInputException(where + ": cannot tell which values mean true and "
                + "false; add \"true\": \"...\" and \"false\": \"...\" to its entry in the "
                + "metadata file");
          }
        }
        break;
      case "date":
      case "datetime":
        if (!attrs.has("pattern")) {
          String p = datePatternOf(proper);
          if (p == null && allParse(proper, COMPILED.get(COMPACT_DATE))) {
            p = COMPACT_DATE;
          }
          if (p == null && proper.isEmpty()) {
            p = kind.equals("date") ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss";
          }
          if (p == null) {
            throw new UserInputException(where + ": the values match none of the known date "
                + "patterns; add \"pattern\" (a java.time pattern such as \"d MMM yyyy\") to its "
                + "entry in the metadata file");
          }
          inferred = new ColumnType.Datetime(p, kind.equals("date"));
        }
        break;
      case "identifier":
        if (!attrs.has("shape")) {
          String shape = allIntegers(proper) ? "sequence"
              : identifierShape(proper, true);
          inferred = new ColumnType.Identifier(shape == null ? "sequence" : shape, 1);
        }
        break;
      default:
        break;
    }
    ColumnType t;
    try {
      t = SchemaJson.typeFromJson(attrs, kind, inferred);
    } catch (dev.ersatz.core.json.Json.JsonException e) {
      throw new UserInputException(where + ": " + e.getMessage());
    }
    return new Column(name, t, miss);
  }

  // ---------------------------------------------------------------- value rules

  /** The cell, with {@code null} read as empty. */
  private static String cell(String[] values, int r) {
    String v = values[r];
    return v == null ? "" : v;
  }

  private static boolean isMissing(String v, String miss, boolean nullTokens) {
    return v.isEmpty() || v.equals(miss) || (nullTokens && isNullToken(v));
  }

  /** A null-ish token of {@link #NULL_TOKENS}, or a cell of nothing but whitespace. */
  private static boolean isNullToken(String v) {
    return NULL_TOKENS.contains(v) || (!v.isEmpty() && v.isBlank());
  }

  private static UserInputException bad(RowLocator where, int row, Column col, String v,
      String expected) {
    String at = where == null ? "row " + (row + 1) : where.at(row);
    String shown = v.length() > 40 ? v.substring(0, 40) + "..." : v;
    return new UserInputException(at + ", column '" + col.name() + "': '" + shown
        + "' is not " + expected + " (the column is declared " + col.type().kind()
        + "); fix the value, or change the column's type in the metadata file");
  }

  /** The boolean type of exactly two spellings, or null. */
  static ColumnType.Bool boolOf(List<String> distinct) {
    if (distinct.size() != 2) {
      return null;
    }
    String a = distinct.get(0);
    String b = distinct.get(1);
    String la = a.toLowerCase(Locale.ROOT);
    String lb = b.toLowerCase(Locale.ROOT);
    for (String[] pair : BOOL_PAIRS) {
      if (la.equals(pair[0]) && lb.equals(pair[1])) {
        return new ColumnType.Bool(a, b);
      }
      if (lb.equals(pair[0]) && la.equals(pair[1])) {
        return new ColumnType.Bool(b, a);
      }
    }
    return null;
  }

  /**
   * Whether {@code s} is a canonical integer (sign, no leading zeros) within 53 bits, or a whole
   * number in exponent notation such as {@code 2e+05} (as R writes round numbers).
   */
  static boolean isInteger(String s) {
    if (s.indexOf('e') > 0 || s.indexOf('E') > 0) {
      int sc = scanDecimal(s, true);
      if (sc < 0 || (sc & (1 << 29)) == 0) {
        return false;
      }
      try {
        BigDecimal bd = new BigDecimal(s);
        return bd.signum() == 0 || (bd.stripTrailingZeros().scale() <= 0
            && bd.abs().compareTo(BigDecimal.valueOf(MAX_EXACT)) <= 0);
      } catch (NumberFormatException | ArithmeticException e) {
        return false;
      }
    }
    int n = s.length();
    int i = 0;
    if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      i = 1;
    }
    int digits = n - i;
    if (digits < 1 || digits > 16) {
      return false;
    }
    if (s.charAt(i) == '0' && digits > 1) {
      return false;
    }
    long v = 0;
    for (int j = i; j < n; j++) {
      char c = s.charAt(j);
      if (c < '0' || c > '9') {
        return false;
      }
      v = v * 10 + (c - '0');
    }
    return v <= MAX_EXACT;
  }

  /**
   * The type of a column declared only as a number (an SDV {@code numerical} column without
   * {@code computer_representation}): {@code integer} when every value, null-ish tokens aside,
   * is a whole number, else {@code decimal}.
   */
  static String numberKind(String[] values, int rows) {
    return allIntegers(Stats.of(values, rows).stripped) ? "integer" : "decimal";
  }

  /**
   * The type of a column declared only as a point in time (an SDV {@code datetime} column
   * without {@code datetime_format}): {@code datetime} when the first inference pattern that
   * fits has a time of day, else {@code date} (also when none fits: {@link #complete} then says
   * to declare the pattern).
   */
  static String momentKind(String[] values, int rows) {
    List<String> vs = Stats.of(values, rows).stripped;
    String p = datePatternOf(vs);
    if (p == null && !vs.isEmpty() && allParse(vs, COMPILED.get(COMPACT_DATE))) {
      p = COMPACT_DATE;
    }
    return p == null || DatePattern.compile(p).dateOnly() ? "date" : "datetime";
  }

  private static boolean allIntegers(List<String> vs) {
    for (String v : vs) {
      if (!isInteger(v)) {
        return false;
      }
    }
    return true;
  }

  /** Integer keys that nearly fill their range, as surrogate keys do. */
  private static boolean dense(List<String> ints) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (String v : ints) {
      long x = (long) parseInteger(v);
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    return (double) max - min + 1 <= 10.0 * ints.size();
  }

  /** An integer cell's value (leading zeros allowed), or NaN. */
  static double parseInteger(String s) {
    int n = s.length();
    int i = 0;
    boolean neg = false;
    if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      i = 1;
    }
    if (i >= n || n - i > 18) {
      return n - i > 18 ? parseBigInteger(s) : Double.NaN;
    }
    if (s.indexOf('e') > 0 || s.indexOf('E') > 0) {
      return parseBigInteger(s);
    }
    long v = 0;
    for (int j = i; j < n; j++) {
      char c = s.charAt(j);
      if (c < '0' || c > '9') {
        return Double.NaN;
      }
      v = v * 10 + (c - '0');
    }
    return neg ? -v : v;
  }

  private static double parseBigInteger(String s) {
    try {
      return new BigDecimal(s).toBigIntegerExact().doubleValue();
    } catch (NumberFormatException | ArithmeticException e) {
      return Double.NaN;
    }
  }

  /**
   * Scans a plain decimal number: returns digits after the point (or -1 when the text is not a
   * number in the accepted syntax), with bit 30 set when the fraction ends in 0 and bit 29 when
   * there is an exponent.
   */
  private static int scanDecimal(String s, boolean strictLeadingZeros) {
    int n = s.length();
    int i = 0;
    if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      i = 1;
    }
    int intStart = i;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    int intDigits = i - intStart;
    if (strictLeadingZeros && intDigits > 1 && s.charAt(intStart) == '0') {
      return -1;
    }
    int frac = 0;
    boolean trailingZero = false;
    if (i < n && s.charAt(i) == '.') {
      i++;
      int fs = i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      frac = i - fs;
      trailingZero = frac > 0 && s.charAt(i - 1) == '0';
    }
    if (intDigits + frac == 0) {
      return -1;
    }
    boolean exp = false;
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
        i++;
      }
      int es = i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == es) {
        return -1;
      }
      exp = true;
    }
    if (i != n) {
      return -1;
    }
    return frac | (trailingZero ? 1 << 30 : 0) | (exp ? 1 << 29 : 0);
  }

  /** A decimal cell's value, or NaN when it is not a finite number. */
  static double parseDecimal(String s) {
    if (scanDecimal(s, false) < 0) {
      return Double.NaN;
    }
    double d = Double.parseDouble(s);
    return Double.isFinite(d) ? d : Double.NaN;
  }

  /** The decimal type fitting all values, or null. */
  static ColumnType.Numeric decimalOf(List<String> vs) {
    int scale = 0;
    boolean trailingZero = false;
    // the fraction lengths seen, as a bit set (lengths of 63 digits or more share bit 63)
    long lengths = 0;
    for (String v : vs) {
      int sc = scanDecimal(v, true);
      if (sc < 0 || !Double.isFinite(Double.parseDouble(v))) {
        return null;
      }
      if ((sc & (1 << 29)) != 0) {
        scale = Math.max(scale, Math.max(0, new BigDecimal(v).stripTrailingZeros().scale()));
      } else {
        int frac = sc & 0xffff;
        scale = Math.max(scale, frac);
        trailingZero |= (sc & (1 << 30)) != 0;
        if (frac > 0) {
          lengths |= 1L << Math.min(frac, 63);
        }
      }
    }
    // Fixed when the zeros are the format (every fraction as long: 1.50, 2.25), not when a
    // writer spells whole numbers "2.0" among longer fractions (pandas, R).
    boolean fixed = trailingZero && Long.bitCount(lengths) == 1;
    return ColumnType.Numeric.ofDecimal(Math.min(scale, MAX_SCALE), fixed);
  }

  private static int lenientScale(List<String> vs) {
    int scale = 0;
    for (String v : vs) {
      int sc = scanDecimal(v, false);
      if (sc >= 0 && (sc & (1 << 29)) == 0) {
        scale = Math.max(scale, sc & 0xffff);
      }
    }
    return Math.min(scale, MAX_SCALE);
  }

  private static boolean allParse(List<String> vs, DatePattern p) {
    for (String v : vs) {
      if (Double.isNaN(p.parse(v))) {
        return false;
      }
    }
    return true;
  }

  /** Currency signs a number may start with, and signs it may end with (longest first). */
  private static final List<String> PREFIXES = List.of("$ ", "€ ", "£ ", "$", "€", "£", "¥");
  private static final List<String> SUFFIXES = List.of(" %", " €", "%", "€");

  /**
   * A number format shared by every value: a currency sign before the digits, a percent or
   * currency sign after them, commas between thousands ({@code $1,234.50}, {@code 45%}, {@code
   * 12,500}), with the number type of the digits; null when the values are not all such numbers
   * or none is formatted.
   */
  static ColumnType.Numeric formattedNumberOf(List<String> vs) {
    String pre = common(vs, PREFIXES, true);
    String suf = common(vs, SUFFIXES, false);
    boolean group = false;
    for (String v : vs) {
      if (v.indexOf(',') >= 0) {
        group = true;
        break;
      }
    }
    if (pre.isEmpty() && suf.isEmpty() && !group) {
      return null;
    }
    List<String> plain = new ArrayList<>(vs.size());
    for (String v : vs) {
      String x = unformat(v, pre, suf, group);
      if (x == null) {
        return null;
      }
      plain.add(x);
    }
    if (allIntegers(plain)) {
      return ColumnType.Numeric.ofInteger().withFormat(pre, suf, group);
    }
    ColumnType.Numeric dec = decimalOf(plain);
    return dec == null ? null : dec.withFormat(pre, suf, group);
  }

  /** The first of {@code signs} that every value starts (ends) with, or "". */
  private static String common(List<String> vs, List<String> signs, boolean start) {
    for (String sign : signs) {
      boolean all = true;
      for (String v : vs) {
        String body = start && v.startsWith("-") ? v.substring(1) : v;
        if (!(start ? body.startsWith(sign) : body.endsWith(sign)) || body.equals(sign)) {
          all = false;
          break;
        }
      }
      if (all) {
        return sign;
      }
    }
    return "";
  }

  /**
   * The plain number a formatted cell writes ({@code -$1,234.5} -> {@code -1234.5}), or null
   * when the cell does not have the format: a minus sign first or after the prefix, commas
   * only between groups of three digits before the point.
   */
  static String unformat(String v, String pre, String suf, boolean group) {
    boolean neg = v.startsWith("-");
    String x = neg ? v.substring(1) : v;
    if (!x.startsWith(pre) || !x.endsWith(suf) || x.length() < pre.length() + suf.length() + 1) {
      return null;
    }
    x = x.substring(pre.length(), x.length() - suf.length());
    if (!neg && x.startsWith("-")) {
      neg = true;
      x = x.substring(1);
    }
    if (group && x.indexOf(',') >= 0) {
      int point = x.indexOf('.');
      String whole = point < 0 ? x : x.substring(0, point);
      if (whole.startsWith(",") || whole.endsWith(",")) {
        return null;
      }
      String[] parts = whole.split(",", -1);
      for (int i = 1; i < parts.length; i++) {
        if (parts[i].length() != 3 || parts[0].length() > 3) {
          return null;
        }
      }
      if (point >= 0 && x.indexOf(',', point) >= 0) {
        return null;
      }
      x = whole.replace(",", "") + (point < 0 ? "" : x.substring(point));
    }
    if (x.isEmpty() || x.charAt(0) == '+' || x.charAt(0) == '-') {
      return null;
    }
    return neg ? "-" + x : x;
  }

  /**
   * The first pattern of {@link #DATE_PATTERNS} that parses every value, or null. An offset
   * pattern whose values all carry the same numeric offset ({@code +02:00}, as a system writes
   * its local time) keeps that offset as a literal: the values are then read as the wall-clock
   * times they show and written back with it, instead of as instants written in UTC, which
   * would shift every hour of the day a reader sees.
   */
  static String datePatternOf(List<String> vs) {
    if (vs.isEmpty()) {
      return null;
    }
    String first = vs.get(0);
    for (String p : DATE_PATTERNS) {
      DatePattern dp = COMPILED.get(p);
      if (!Double.isNaN(dp.parse(first)) && allParse(vs, dp)) {
        java.util.SortedSet<String> offsets = endsWithOffset(p) ? offsetsOf(vs) : null;
        return offsets == null || offsets.size() > 1 || offsets.first().equals("Z") ? p
            : p.substring(0, p.length() - (p.endsWith("XXX") ? 3 : 1)) + "'"
                + offsets.first() + "'";
      }
    }
    return null;
  }

  /** Whether a pattern of {@link #DATE_PATTERNS} ends with a zone offset. */
  private static boolean endsWithOffset(String p) {
    return p.endsWith("XXX") || p.endsWith("x");
  }

  private static final Pattern OFFSET_SUFFIX = Pattern.compile("(Z|[+-]\\d\\d(:?\\d\\d)?)$");

  /**
   * The offsets that end the values of an offset pattern ({@code Z}, {@code +hh:mm}, {@code
   * +hhmm} or {@code +hh}, as the pattern's {@code XXX} or {@code x} reads them).
   */
  private static java.util.SortedSet<String> offsetsOf(List<String> vs) {
    java.util.SortedSet<String> seen = new java.util.TreeSet<>();
    for (String v : vs) {
      java.util.regex.Matcher m = OFFSET_SUFFIX.matcher(v);
      seen.add(m.find() ? m.group(1) : v);
    }
    return seen;
  }

  static DatePattern compiled(String pattern) {
    DatePattern p = COMPILED.get(pattern);
    return p != null ? p : DatePattern.compile(pattern);
  }

  /** {@code uuid}, a common template, {@code sequence} when {@code byName}, else null. */
  private static String identifierShape(List<String> vs, boolean byName) {
    boolean uuid = true;
    for (String v : vs) {
      if (!UUID.matcher(v).matches()) {
        uuid = false;
        break;
      }
    }
    if (uuid) {
      return "uuid";
    }
    String t0 = template(vs.get(0));
    boolean same = true;
    for (String v : vs) {
      if (v.length() != t0.length() || !template(v).equals(t0)) {
        same = false;
        break;
      }
    }
    if (same) {
      return literalLetters(vs, t0);
    }
    return byName ? "sequence" : null;
  }

  /**
   * Keeps letters that every value shares at a position (a prefix such as {@code P} in
   * {@code P000123}) as literals, escaped with a backslash when they are a class letter
   * ({@code A}, {@code a}); digits stay classes so generated keys keep their capacity.
   */
  static String literalLetters(List<String> vs, String t0) {
    StringBuilder out = new StringBuilder();
    String first = vs.get(0);
    for (int i = 0; i < t0.length(); i++) {
      char t = t0.charAt(i);
      char c = first.charAt(i);
      boolean constant = t == 'A' || t == 'a';
      for (int k = 1; constant && k < vs.size(); k++) {
        constant = vs.get(k).charAt(i) == c;
      }
      if (constant) {
        if (c == 'A' || c == 'a') {
          out.append('\\');
        }
        out.append(c);
      } else if (t == '\\') {
        out.append("\\\\");
      } else {
        out.append(t);
      }
    }
    return out.toString();
  }

  /** The shape of a value: A upper-case letter, a lower-case letter, 9 digit, else literal. */
  static String template(String v) {
    char[] out = new char[v.length()];
    for (int i = 0; i < out.length; i++) {
      char c = v.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        out[i] = 'A';
      } else if (c >= 'a' && c <= 'z') {
        out[i] = 'a';
      } else if (c >= '0' && c <= '9') {
        out[i] = '9';
      } else {
        out[i] = c;
      }
    }
    return new String(out);
  }

  private static int tokens(String v) {
    int n = 0;
    boolean in = false;
    for (int i = 0; i < v.length(); i++) {
      boolean ws = Character.isWhitespace(v.charAt(i));
      if (!ws && !in) {
        n++;
      }
      in = !ws;
    }
    return n;
  }

  /** Value counts of one column. */
  private static final class Stats {
    int rows;
    int empty;
    HashMap<String, int[]> counts;
    /** Distinct values that are neither empty nor null-ish, sorted. */
    List<String> proper;
    /**
     * {@link #proper} with surrounding whitespace removed, distinct and sorted: what the number
     * and date rules test ({@code " 39"}, as in UCI's comma-space files, is a number).
     */
    List<String> stripped;
    /** Rows per value of {@link #stripped}. */
    HashMap<String, int[]> strippedRows;
    /** Distinct non-empty values, sorted. */
    List<String> nonEmpty;
    int properRows;
    String bestNull;

    static Stats of(String[] values, int rows) {
      Stats s = new Stats();
      s.rows = rows;
      s.counts = new HashMap<>();
      for (int r = 0; r < rows; r++) {
        String v = values[r] == null ? "" : values[r];
        int[] c = s.counts.get(v);
        if (c == null) {
          s.counts.put(v, new int[] {1});
        } else {
          c[0]++;
        }
      }
      int[] e = s.counts.get("");
      s.empty = e == null ? 0 : e[0];
      int best = 0;
      int nulls = 0;
      for (String tok : NULL_TOKENS) {
        int[] c = s.counts.get(tok);
        if (c != null) {
          nulls += c[0];
          if (c[0] > best) {
            best = c[0];
            s.bestNull = tok;
          }
        }
      }
      // whitespace-only cells after the named tokens (ties: the shorter, then by code point)
      List<String> blanks = new ArrayList<>();
      for (String k : s.counts.keySet()) {
        if (!k.isEmpty() && k.isBlank()) {
          blanks.add(k);
        }
      }
      blanks.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
      for (String k : blanks) {
        int c = s.counts.get(k)[0];
        nulls += c;
        if (c > best) {
          best = c;
          s.bestNull = k;
        }
      }
      s.properRows = rows - s.empty - nulls;
      s.proper = new ArrayList<>();
      s.nonEmpty = new ArrayList<>();
      s.strippedRows = new HashMap<>();
      for (Map.Entry<String, int[]> kc : s.counts.entrySet()) {
        String k = kc.getKey();
        if (!k.isEmpty()) {
          s.nonEmpty.add(k);
          if (!isNullToken(k)) {
            s.proper.add(k);
            s.strippedRows.computeIfAbsent(k.strip(), x -> new int[1])[0] += kc.getValue()[0];
          }
        }
      }
      s.proper.sort(null);
      s.nonEmpty.sort(null);
      s.stripped = new ArrayList<>(s.strippedRows.keySet());
      s.stripped.sort(null);
      return s;
    }
  }
}
