package dev.ersatz.io;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The user-editable metadata file: the column types of a table, as JSON.
 *
 * <pre>{@code
 * {"format": "ersatz-metadata", "version": 1,
 *  "columns": [{"name": "age", "type": "integer"},
 *              {"name": "fare", "type": "decimal", "scale": 2, "fixedScale": false},
 *              {"name": "alive", "type": "boolean", "true": "yes", "false": "no"},
 *              {"name": "visit", "type": "date", "pattern": "yyyy-MM-dd", "missingToken": "NA"}]}
 * }</pre>
 *
 * <p>A file written by {@link #write} lists every column with all attributes. A file given to
 * {@link TableReader} may list only some columns and leave attributes out; those are inferred
 * from the data. See {@code docs/metadata.md}.
 */
public final class Metadata {
  static final String FORMAT = "ersatz-metadata";
  static final int VERSION = 1;

  /** Column objects by name, in file order. */
  private final LinkedHashMap<String, JsonMap> columns;
  /** Declared public domains by column name, in file order. */
  private final LinkedHashMap<String, PublicDomain> domains;
  /** Declared calendars of date columns ({@link #CALENDARS}) by column name, in file order. */
  private final LinkedHashMap<String, String> calendars;

  /** What a date column's {@code calendar} may be: a monthly, yearly or weekly series. */
  static final List<String> CALENDARS = List.of("month", "year", "monday", "tuesday",
      "wednesday", "thursday", "friday", "saturday", "sunday");

  /** The column a model is asked to predict well ({@code "target"}), or null. */
  private final String target;

  Metadata(LinkedHashMap<String, JsonMap> columns,
      LinkedHashMap<String, PublicDomain> domains, LinkedHashMap<String, String> calendars,
      String target) {
    this.columns = columns;
    this.domains = domains;
    this.calendars = calendars;
    this.target = target;
  }

  /** The file's {@code "target"}: a column name, or null when absent. */
  static String target(JsonMap root, String label) {
    if (!root.has("target") || root.raw().get("target") == null) {
      return null;
    }
    if (!(root.raw().get("target") instanceof String t) || t.isEmpty()) {
      throw new UserInputException("metadata file " + label + ": \"target\" must be the name "
          + "of a column (a string) but is " + Json.write(root.raw().get("target")));
    }
    return t;
  }

  /**
   * The column the file names as {@code "target"} (the label a model trained on the synthetic
   * rows will predict), or null. Read from both formats.
   */
  public String target() {
    return target;
  }

  /** Metadata listing every column of {@code schema} with all its attributes. */
  public static Metadata of(Schema schema) {
    return of(schema, null);
  }

  /**
   * Metadata listing every column of {@code schema} with all its attributes, keeping what
   * {@code declared} (a file the schema was read with, or null) says beyond types: public
   * domains, calendars and the target.
   */
  public static Metadata of(Schema schema, Metadata declared) {
    LinkedHashMap<String, JsonMap> cols = new LinkedHashMap<>();
    LinkedHashMap<String, PublicDomain> domains = new LinkedHashMap<>();
    LinkedHashMap<String, String> calendars = new LinkedHashMap<>();
    for (Column c : schema.columns()) {
      Map<String, Object> m = new LinkedHashMap<>(SchemaJson.columnToJson(c));
      JsonMap given = declared == null ? null : declared.spec(c.name());
      if (given != null) {
        for (String key : List.of("min", "max", "values", "calendar")) {
          if (given.has(key)) {
            m.put(key, given.raw().get(key));
          }
        }
        if (declared.domains.containsKey(c.name())) {
          domains.put(c.name(), declared.domains.get(c.name()));
        }
        if (declared.calendars.containsKey(c.name())) {
          calendars.put(c.name(), declared.calendars.get(c.name()));
        }
      }
      cols.put(c.name(), new JsonMap(m, "columns[" + cols.size() + "]"));
    }
    return new Metadata(cols, domains, calendars, declared == null ? null : declared.target);
  }

  /**
   * Reads a metadata file.
   *
   * @throws UserInputException when the file is missing, not JSON (with the line and column of
   *     the error), of another format or version, or has a malformed column entry
   */
  public static Metadata read(Path file) {
    String label = file.getFileName().toString();
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw new UserInputException("metadata file not found: " + file + "; check the path");
    } catch (CharacterCodingException e) {
      throw new UserInputException("metadata file " + label + " is not UTF-8; re-save it as UTF-8");
    } catch (IOException e) {
      throw new ErsatzException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    JsonMap root;
    try {
      root = Json.parseObject(text);
    } catch (Json.JsonException e) {
      throw new UserInputException("metadata file " + label + " is not valid JSON: "
          + e.getMessage() + "; fix the JSON (a trailing comma or a missing quote is typical)");
    }
    if (root.has("tables")) {
      throw new UserInputException("metadata file " + label + " describes several tables (SDV "
          + "multi-table metadata, \"tables\"); give one table's metadata: its entry, "
          + "{\"columns\": {...}}, in a file of its own");
    }
    if (root.raw().get("columns") instanceof Map
        || (!root.has("format") && !root.has("columns"))) {
      // SDV's format, or a scorer's file that only names the target ({"target": ..., "positive":
      // ...}): no column is declared
      return SdvMetadata.translate(root, label);
    }
    try {
      String format = root.str("format", FORMAT);
      if (!format.equals(FORMAT)) {
        throw new UserInputException("metadata file " + label + " has \"format\": \"" + format
            + "\" but must have \"" + FORMAT + "\"");
      }
      long version = root.has("version") ? root.lng("version") : VERSION;
      if (version != VERSION) {
        throw new UserInputException("metadata file " + label + " has version " + version
            + " but this Ersatz reads version " + VERSION);
      }
      LinkedHashMap<String, JsonMap> cols = new LinkedHashMap<>();
      LinkedHashMap<String, PublicDomain> domains = new LinkedHashMap<>();
      LinkedHashMap<String, String> calendars = new LinkedHashMap<>();
      for (JsonMap c : root.objects("columns")) {
        String name = c.str("name");
        String kind = c.str("type");
        if (!SchemaJson.KINDS.contains(kind)) {
          throw new UserInputException("metadata file " + label + ", " + c.path() + " (column '"
              + name + "'): unknown type '" + kind + "'; use one of " + SchemaJson.KINDS);
        }
        // validate attributes now, with the file's name in the message
        SchemaJson.typeFromJson(c, kind, null);
        if (c.has("missingToken")) {
          c.str("missingToken");
        }
        PublicDomain d = domainFromJson(c, kind, label);
        if (d != null) {
          domains.put(name, d);
        }
        if (c.has("calendar")) {
          calendars.put(name, calendarFromJson(c, kind, label));
        }
        if (cols.put(name, c) != null) {
          throw new UserInputException("metadata file " + label + " lists column '" + name
              + "' twice; keep one entry per column");
        }
      }
      return new Metadata(cols, domains, calendars, target(root, label));
    } catch (Json.JsonException e) {
      throw new UserInputException("metadata file " + label + ": " + e.getMessage());
    }
  }

  /** Writes this metadata as pretty JSON, atomically. */
  public void write(Path file) {
    AtomicFiles.requireParent(file);
    AtomicFiles.writeString(file, toPrettyJson());
  }

  /**
   * The file's text: key order as documented ({@code format}, {@code version}, {@code columns};
   * {@code name} and {@code type} first in a column), one column per line, so that people can
   * edit it and diffs stay small.
   */
  public String toPrettyJson() {
    StringBuilder sb = new StringBuilder();
    sb.append("{\n  \"format\": ").append(Json.write(FORMAT)).append(",\n  \"version\": ")
        .append(VERSION).append(",\n  ");
    if (target != null) {
      sb.append("\"target\": ").append(Json.write(target)).append(",\n  ");
    }
    sb.append("\"columns\": [");
    int i = 0;
    for (JsonMap c : columns.values()) {
      sb.append(i++ == 0 ? "\n    {" : ",\n    {");
      int k = 0;
      for (Map.Entry<String, Object> e : ordered(c.raw()).entrySet()) {
        sb.append(k++ == 0 ? "" : ", ").append(Json.write(e.getKey())).append(": ")
            .append(Json.write(e.getValue()));
      }
      sb.append('}');
    }
    sb.append(i == 0 ? "]\n}\n" : "\n  ]\n}\n");
    return sb.toString();
  }

  private static Map<String, Object> ordered(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : List.of("name", "type")) {
      if (m.containsKey(k)) {
        out.put(k, m.get(k));
      }
    }
    out.putAll(m);
    return out;
  }

  /** The file's content as plain JSON values. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", (long) VERSION);
    if (target != null) {
      m.put("target", target);
    }
    List<Object> cols = new ArrayList<>();
    for (JsonMap c : columns.values()) {
      cols.add(c.raw());
    }
    m.put("columns", cols);
    return m;
  }

  /**
   * The listed columns as a schema; attributes left out take their defaults (see
   * {@link SchemaJson#columnFromJson}).
   */
  public Schema schema() {
    List<Column> cols = new ArrayList<>();
    for (JsonMap c : columns.values()) {
      cols.add(SchemaJson.columnFromJson(c));
    }
    return Schema.of(cols);
  }

  /**
   * The public domains declared in the file ({@code min}/{@code max} of numeric and date
   * columns, {@code values} of categorical ones), by column name in file order.
   */
  public Map<String, PublicDomain> publicDomains() {
    return Collections.unmodifiableMap(domains);
  }

  /**
   * The calendars declared in the file, by column name in file order: a date column's
   * {@code calendar}, one of {@link #CALENDARS} (lower case). Public knowledge, like the
   * domains: the differentially private generator keeps sampled dates on it.
   */
  public Map<String, String> calendars() {
    return Collections.unmodifiableMap(calendars);
  }

  private static String calendarFromJson(JsonMap c, String kind, String label) {
    String where = "metadata file " + label + ", column '" + c.str("name") + "'";
    if (!kind.equals("date")) {
      throw new UserInputException(where + ": calendar is for date columns but the column is "
          + kind);
    }
    String v = c.str("calendar").trim().toLowerCase(java.util.Locale.ROOT);
    if (!CALENDARS.contains(v)) {
      throw new UserInputException(where + ": calendar must be month, year or a weekday "
          + "(monday ... sunday) but is '" + c.str("calendar") + "'");
    }
    return v;
  }

  /**
   * Reads {@code min}, {@code max} and {@code values} of a column entry, checked against its
   * type; null when none is given.
   */
  private static PublicDomain domainFromJson(JsonMap c, String kind, String label) {
    String where = "metadata file " + label + ", column '" + c.str("name") + "'";
    boolean range = c.has("min") || c.has("max");
    if (range) {
      boolean numeric = kind.equals("integer") || kind.equals("decimal");
      boolean date = kind.equals("date") || kind.equals("datetime");
      if (!numeric && !date) {
        throw new UserInputException(where + ": min and max are for integer, decimal, date and "
            + "datetime columns but the column is " + kind + " (a categorical column lists its "
            + "\"values\")");
      }
      if (!c.has("min") || !c.has("max")) {
        throw new UserInputException(where + ": give both min and max (the public range of the "
            + "column), or neither");
      }
      boolean time = kind.equals("datetime") && c.has("pattern")
          && ColumnType.Datetime.timeOnly(c.str("pattern"));
      double min = numeric ? finite(c, "min", where) : instant(c, "min", where, time);
      double max = numeric ? finite(c, "max", where) : instant(c, "max", where, time);
      if (!(min < max)) {
        throw new UserInputException(where + ": min must be < max but min is " + c.raw().get(
            "min") + " and max is " + c.raw().get("max"));
      }
      if (c.has("values")) {
        throw new UserInputException(where + ": values are for categorical columns; a "
            + kind + " column declares min and max");
      }
      return new PublicDomain(min, max, List.of());
    }
    if (!c.has("values")) {
      return null;
    }
    if (!kind.equals("categorical")) {
      throw new UserInputException(where + ": values are for categorical columns but the column "
          + "is " + kind + (kind.equals("integer") || kind.equals("decimal")
          ? " (a numeric column declares min and max)" : ""));
    }
    List<String> values = c.strings("values");
    if (values.isEmpty()) {
      throw new UserInputException(where + ": values lists no value; list every possible value "
          + "or leave the field out");
    }
    if (new java.util.HashSet<>(values).size() != values.size()) {
      throw new UserInputException(where + ": values lists a value twice");
    }
    return new PublicDomain(Double.NaN, Double.NaN, values);
  }

  private static double finite(JsonMap c, String key, String where) {
    double v = c.num(key);
    if (!Double.isFinite(v)) {
      throw new UserInputException(where + ": " + key + " must be a finite number");
    }
    return v;
  }

  /**
   * An ISO-8601 date or date-time (no zone: UTC, as Ersatz holds dates) in epoch seconds, or a
   * time of day ({@code 08:30}) in seconds since midnight for a column of times of day.
   */
  private static double instant(JsonMap c, String key, String where, boolean time) {
    Object v = c.raw().get(key);
    if (time) {
      try {
        return java.time.LocalTime.parse(String.valueOf(v)).toSecondOfDay();
      } catch (java.time.format.DateTimeParseException e) {
        throw new UserInputException(where + ": " + key + " of a time-of-day column is an "
            + "ISO-8601 time such as \"08:30\" or \"17:45:00\" but was " + Json.write(v));
      }
    }
    if (v instanceof String s) {
      try {
        if (s.length() == 10) {
          return java.time.LocalDate.parse(s).toEpochDay() * 86400.0;
        }
        return java.time.LocalDateTime.parse(s.replace(' ', 'T'))
            .toEpochSecond(java.time.ZoneOffset.UTC);
      } catch (java.time.format.DateTimeParseException e) {
        // reported below
      }
    }
    throw new UserInputException(where + ": " + key + " of a date column is an ISO-8601 date "
        + "such as \"1990-01-01\" or \"1990-01-01T00:00:00\" but was " + Json.write(v));
  }

  /** The names of the listed columns, in file order. */
  public List<String> columnNames() {
    return Collections.unmodifiableList(new ArrayList<>(columns.keySet()));
  }

  /** The entry of a listed column, or null. */
  JsonMap spec(String name) {
    return columns.get(name);
  }
}
