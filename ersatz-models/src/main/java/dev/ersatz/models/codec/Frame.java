package dev.ersatz.models.codec;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.Condition;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.models.PrivacySettings;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bridge between a table and a generator: the codec of every modelled column, and the
 * regeneration of the columns that are not modelled (identifiers, free text).
 *
 * <p>Generators see only cells ({@code int[column][row]}); this class turns real rows into cells
 * and sampled cells back into a {@link Table} with the input's schema.
 */
public final class Frame {
  private final Schema schema;
  private final int[] modelled;
  private final ColumnCodec[] codecs;
  private final PrivacySettings privacy;
  /** Per identifier column (schema index) with integer keys, where its keys lie. */
  private final Map<Integer, Identifiers.Span> spans;

  /** Per schema column its modelled column, or -1 for a column that is not modelled. */
  private final int[] slot;

  private Frame(Schema schema, int[] modelled, ColumnCodec[] codecs, PrivacySettings privacy,
      Map<Integer, Identifiers.Span> spans) {
    this.schema = schema;
    this.spans = spans;
    this.modelled = modelled;
    this.codecs = codecs;
    this.privacy = privacy;
    this.slot = new int[schema.size()];
    java.util.Arrays.fill(slot, -1);
    for (int j = 0; j < modelled.length; j++) {
      if (slot[modelled[j]] >= 0) {
        throw new ModelFormatException("modelled column index " + modelled[j]
            + " is listed twice");
      }
      slot[modelled[j]] = j;
    }
  }

  /**
   * This frame with modelled column {@code name} (a declared target) moved first or last:
   * sequential generators then draw it before, or given, every other column. Output keeps the
   * table's order.
   *
   * @throws UserInputException when {@code name} is not a column, or not a modelled one
   */
  public Frame moved(String name, boolean first) {
    int i = schema.require(name, "the target");
    int j = slot[i];
    if (j < 0) {
      throw new UserInputException("the target '" + name + "' is a column of type "
          + schema.column(i).type().kind() + ", which is not modelled; declare it categorical, "
          + "boolean or numeric in the metadata file, or name another target");
    }
    int n = modelled.length;
    int[] m = new int[n];
    ColumnCodec[] cs = new ColumnCodec[n];
    int o = first ? 1 : 0;
    for (int t = 0; t < n; t++) {
      if (t != j) {
        m[o] = modelled[t];
        cs[o++] = codecs[t];
      }
    }
    int at = first ? 0 : n - 1;
    m[at] = modelled[j];
    cs[at] = codecs[j];
    return new Frame(schema, m, cs, privacy, spans);
  }

  /** Learns the codecs of every modelled column of {@code table}, in the table's order. */
  public static Frame fit(Table table, PrivacySettings privacy) {
    if (table.rowCount() == 0) {
      throw new UserInputException("the table has no rows; a model needs at least one row");
    }
    Schema s = table.schema();
    List<Integer> idx = new ArrayList<>();
    List<ColumnCodec> cs = new ArrayList<>();
    Map<Integer, Identifiers.Span> spans = new LinkedHashMap<>();
    for (int i = 0; i < s.size(); i++) {
      Column c = s.column(i);
      if (!c.type().modelled()) {
        Identifiers.Span span = Identifiers.Span.fit(c.type(), table.column(i), privacy.k());
        if (span != null) {
          spans.put(i, span);
        }
        continue;
      }
      idx.add(i);
      ColumnData d = table.column(i);
      if (d instanceof ColumnData.Numbers n) {
        ColumnType t = c.type();
        double step = step(t);
        if (t instanceof ColumnType.Datetime dt && !dt.dateOnly()) {
          step = timeStep(n, step);
        } else if (t instanceof ColumnType.Numeric num && !num.integer()) {
          step = decimalStep(n, step);
        }
        NumericCodec codec = NumericCodec.fit(n, privacy, step);
        int[] cal = t instanceof ColumnType.Datetime && step == 86400
            ? NumericCodec.calendarOf(n) : null;
        cs.add(cal == null ? codec : codec.withCalendar(cal[0], cal[1]));
      } else {
        cs.add(CategoricalCodec.fit((ColumnData.Codes) d, privacy,
            c.type() instanceof ColumnType.Bool));
      }
    }
    int[] m = idx.stream().mapToInt(Integer::intValue).toArray();
    return new Frame(s, m, cs.toArray(new ColumnCodec[0]), privacy, spans);
  }

  static double step(ColumnType t) {
    if (t instanceof ColumnType.Numeric n) {
      return n.integer() ? 1 : Math.pow(10, -n.scale());
    }
    if (t instanceof ColumnType.Datetime d) {
      if (d.dateOnly()) {
        return 86400;
      }
      return d.pattern().contains("S") ? 0.001 : 1;
    }
    return 0;
  }

  /** Whole days, hours, quarter hours, five minutes, minutes and seconds, coarsest first. */
  private static final double[] TIME_STEPS = {86400, 3600, 900, 300, 60, 1};

  /**
   * The output step of a point-in-time column: the coarsest of {@link #TIME_STEPS} that every
   * value is a whole multiple of (timestamps recorded to the minute come out to the minute, not
   * with random seconds), if coarser than the pattern's own {@code step}; else {@code step}.
   * Like the decimal places of a number, a property of all values together.
   */
  static double timeStep(ColumnData.Numbers data, double step) {
    for (double unit : TIME_STEPS) {
      if (unit <= step) {
        break;
      }
      if (onGrid(data, unit)) {
        return unit;
      }
    }
    return step;
  }

  /** Whole numbers, halves and quarters, coarsest first (then tenths, hundredths, ...). */
  private static final double[] DECIMAL_STEPS = {1, 0.5, 0.25};

  /**
   * The output step of a decimal column: the coarsest of {@link #DECIMAL_STEPS} and the powers
   * of ten above {@code step} that every value is a whole multiple of, else {@code step} (10 to
   * the minus scale). Ages that pandas wrote as {@code 52.0} because the column has gaps come
   * out whole ({@code 84.0}, not {@code 84.6}), and star ratings in halves stay in halves.
   */
  static double decimalStep(ColumnData.Numbers data, double step) {
    for (double unit : DECIMAL_STEPS) {
      if (unit > step * 1.5 && onGrid(data, unit)) {
        return unit;
      }
    }
    for (double unit = 0.1; unit > step * 1.5; unit /= 10) {
      if (onGrid(data, unit)) {
        return unit;
      }
    }
    return step;
  }

  /** Whether every value is a whole multiple of {@code unit} (and there is one). */
  private static boolean onGrid(ColumnData.Numbers data, double unit) {
    boolean any = false;
    for (int r = 0; r < data.size(); r++) {
      if (!data.isMissing(r)) {
        double q = data.get(r) / unit;
        if (Math.abs(q - Math.rint(q)) > 1e-6) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  public Schema schema() {
    return schema;
  }

  public PrivacySettings privacy() {
    return privacy;
  }

  /** Whether the modelled columns follow the schema's order (no column moved). */
  public boolean inSchemaOrder() {
    for (int j = 1; j < modelled.length; j++) {
      if (modelled[j] < modelled[j - 1]) {
        return false;
      }
    }
    return true;
  }

  /** Number of modelled columns. */
  public int width() {
    return codecs.length;
  }

  public ColumnCodec codec(int j) {
    return codecs[j];
  }

  /** The schema column of modelled column {@code j}. */
  public Column column(int j) {
    return schema.column(modelled[j]);
  }

  /** Cells of every modelled column: {@code [column][row]}. */
  public int[][] encode(Table t) {
    int[][] out = new int[codecs.length][];
    for (int j = 0; j < codecs.length; j++) {
      out[j] = codecs[j].encode(t.column(modelled[j]));
    }
    return out;
  }

  /**
   * In-cell positions of every row, for generators that work on marginal quantiles; rows whose
   * cell has no extent get a uniform draw from {@code rng}.
   */
  public double[][] positions(Table t, int[][] cells, RandomSource rng) {
    double[][] out = new double[codecs.length][];
    for (int j = 0; j < codecs.length; j++) {
      ColumnData d = t.column(modelled[j]);
      double[] w = new double[cells[j].length];
      for (int r = 0; r < w.length; r++) {
        double p = codecs[j].position(d, r, cells[j][r]);
        w[r] = Double.isNaN(p) ? rng.nextDouble() : p;
      }
      out[j] = w;
    }
    return out;
  }

  /**
   * Builds output rows from sampled cells.
   *
   * @param cells {@code [modelled column][row]}
   * @param w in-cell positions {@code [modelled column][row]}, or {@code null} to draw them
   * @param fixed per modelled column a value that overrides the decoded one (a numeric
   *     {@code --where}), {@code NaN} for none; may be {@code null}
   * @param firstRow index of the first row in the whole output (identifiers count from it)
   */
  public Table decode(int rows, long firstRow, int[][] cells, double[][] w, double[] fixed,
      RandomSource rng) {
    List<ColumnData> out = new ArrayList<>(schema.size());
    RandomSource idRng = rng.split(0x1D);
    for (int i = 0; i < schema.size(); i++) {
      Column c = schema.column(i);
      int j = slot[i];
      if (j >= 0) {
        ColumnCodec codec = codecs[j];
        int[] cj = cells[j];
        if (codec instanceof NumericCodec nc) {
          double[] v = new double[rows];
          double fix = fixed == null ? Double.NaN : fixed[j];
          if (!Double.isNaN(fix)) {
            java.util.Arrays.fill(v, fix);
          } else if (w == null) {
            for (int r = 0; r < rows; r++) {
              v[r] = nc.value(cj[r], rng.nextDouble());
            }
          } else {
            double[] wj = w[j];
            for (int r = 0; r < rows; r++) {
              v[r] = nc.value(cj[r], wj[r]);
            }
          }
          out.add(ColumnData.Numbers.adopt(v));
        } else {
          CategoricalCodec cc = (CategoricalCodec) codec;
          int[] v = new int[rows];
          for (int r = 0; r < rows; r++) {
            v[r] = cc.outputCode(cj[r]);
          }
          out.add(ColumnData.Codes.adopt(v, cc.levels()));
        }
      } else {
        out.add(Identifiers.generate(c.type(), rows, firstRow, idRng.split(i), spans.get(i)));
      }
    }
    return Table.of(outputSchema(), out);
  }

  /** The schema of sampled tables (same columns, types and formats as the input). */
  public Schema outputSchema() {
    return schema;
  }

  /**
   * Resolves a condition to cells.
   *
   * @return per modelled column the required cell, or -1 for unconditioned columns; and in
   *     {@code fixedOut} the exact numeric value to emit (NaN for none)
   * @throws UserInputException for unknown columns, unmodelled columns, or values the model
   *     cannot produce
   */
  public int[] resolve(Condition condition, double[] fixedOut) {
    int[] req = new int[codecs.length];
    java.util.Arrays.fill(req, -1);
    java.util.Arrays.fill(fixedOut, Double.NaN);
    for (Condition.Clause cl : condition.clauses()) {
      int i = schema.require(cl.column(), "--where " + cl.column() + "=" + cl.value());
      int j = slot[i];
      Column col = schema.column(i);
      if (j < 0) {
        throw new UserInputException("--where " + cl.column() + "=...: column '" + cl.column()
            + "' is " + col.type().kind() + " and is not modelled, so it cannot be conditioned on");
      }
      ColumnCodec codec = codecs[j];
      if (codec instanceof CategoricalCodec cc) {
        int cell;
        if (cl.value().equals(col.missingToken()) && cc.missingCell() >= 0) {
          cell = cc.missingCell();
        } else {
          cell = cc.cellOf(cl.value());
        }
        if (cell < 0 || cc.probabilities()[cell] == 0) {
          throw new UserInputException("--where " + cl.column() + "=" + cl.value()
              + ": the model has no such value in column '" + cl.column()
              + "' (values seen fewer than " + privacy.k()
              + " times are protected); it knows " + cc.levels().size() + " values, e.g. "
              + cc.levels().subList(0, Math.min(5, cc.levels().size())));
        }
        req[j] = cell;
      } else {
        NumericCodec nc = (NumericCodec) codec;
        double x;
        if (cl.value().equals(col.missingToken())) {
          if (nc.missingCell() < 0) {
            throw new UserInputException("--where " + cl.column()
                + " is missing: the column had no missing values");
          }
          req[j] = nc.missingCell();
          continue;
        }
        x = parseNumber(col, cl.value());
        if (!nc.hasValues()) {
          throw new UserInputException("--where " + cl.column() + "=" + cl.value()
              + ": the model produces no values for '" + cl.column() + "', only missing ones"
              + " (its training column had none, or fewer than " + 2 * privacy.k()
              + ", which are protected)");
        }
        if (!nc.inSupport(x)) {
          throw new UserInputException("--where " + cl.column() + "=" + cl.value()
              + ": outside the range the model can produce for '" + cl.column() + "' ("
              + format(col, nc.lower()) + " to " + format(col, nc.upper())
              + "); choose a value in it");
        }
        req[j] = nc.cellOf(x);
        fixedOut[j] = x;
      }
    }
    return req;
  }

  /** A bound as the user would write it in --where: the column's date pattern, or plain. */
  private static String format(Column col, double x) {
    if (col.type() instanceof ColumnType.Datetime d) {
      DateTimeFormatter f = DateTimeFormatter.ofPattern(d.pattern(), Locale.ENGLISH);
      LocalDateTime t = LocalDateTime.ofEpochSecond((long) Math.floor(x), 0, ZoneOffset.UTC);
      if (d.timeOnly()) {
        return t.toLocalTime().format(f);
      }
      return d.dateOnly() ? t.toLocalDate().format(f) : t.format(f);
    }
    return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }

  private static double parseNumber(Column col, String text) {
    try {
      if (col.type() instanceof ColumnType.Datetime d) {
        DateTimeFormatter f = DateTimeFormatter.ofPattern(d.pattern(), Locale.ENGLISH);
        if (d.dateOnly()) {
          return LocalDate.parse(text, f).toEpochDay() * 86400.0;
        }
        if (d.timeOnly()) {
          return java.time.LocalTime.parse(text, f).toSecondOfDay();
        }
        return LocalDateTime.parse(text, f).toEpochSecond(ZoneOffset.UTC);
      }
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new UserInputException("--where " + col.name() + "=" + text + ": '" + text
          + "' is not a valid " + col.type().kind() + " value for column '" + col.name() + "'");
    }
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("modelledColumns", modelled);
    List<Object> cs = new ArrayList<>();
    for (ColumnCodec c : codecs) {
      cs.add(c.toJson());
    }
    m.put("codecs", cs);
    m.put("privacy", privacy.toJson());
    if (!spans.isEmpty()) {
      List<Object> ss = new ArrayList<>();
      for (Map.Entry<Integer, Identifiers.Span> e : spans.entrySet()) {
        Map<String, Object> sm = e.getValue().toJson();
        sm.put("column", e.getKey());
        ss.add(sm);
      }
      m.put("identifierSpans", ss);
    }
    return m;
  }

  public static Frame fromJson(Schema schema, JsonMap j) {
    int[] m = j.ints("modelledColumns");
    List<JsonMap> cs = j.objects("codecs");
    if (cs.size() != m.length) {
      throw new ModelFormatException("model has " + m.length + " modelled columns but "
          + cs.size() + " codecs");
    }
    ColumnCodec[] codecs = new ColumnCodec[m.length];
    for (int i = 0; i < m.length; i++) {
      if (m[i] < 0 || m[i] >= schema.size()) {
        throw new ModelFormatException("modelled column index " + m[i] + " is out of range");
      }
      codecs[i] = ColumnCodec.fromJson(cs.get(i));
    }
    // model files written before identifier spans count keys up from the declared start
    Map<Integer, Identifiers.Span> spans = new LinkedHashMap<>();
    if (j.has("identifierSpans")) {
      for (JsonMap sm : j.objects("identifierSpans")) {
        int col = (int) sm.lng("column");
        double step = sm.num("step");
        if (col < 0 || col >= schema.size()
            || !(schema.column(col).type() instanceof ColumnType.Identifier id)
            || id.shape().equals("uuid") || !(step >= 1) || Double.isInfinite(step)) {
          throw new ModelFormatException("identifier span at " + sm.path()
              + " names no numbered identifier column or has a step below 1");
        }
        spans.put(col, new Identifiers.Span(sm.lng("first"), step));
      }
    }
    return new Frame(schema, m, codecs, PrivacySettings.fromJson(j.obj("privacy")), spans);
  }
}
