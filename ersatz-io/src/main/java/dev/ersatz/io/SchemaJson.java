package dev.ersatz.io;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON encoding of a {@link Schema}, shared by metadata files, model files and schema
 * fingerprints: {@code {"columns":[{"name":...,"type":...}, ...]}} with one object per column
 * as documented in {@code docs/metadata.md}.
 *
 * <p>Per column: {@code name}, {@code type} (one of {@code integer}, {@code decimal},
 * {@code categorical}, {@code boolean}, {@code date}, {@code datetime}, {@code identifier},
 * {@code text}), the type's attributes ({@code scale}/{@code fixedScale} for decimals,
 * {@code true}/{@code false} for booleans, {@code pattern} for dates, {@code shape}/{@code start}
 * for identifiers), and {@code missingToken} when it is not the empty string.
 */
public final class SchemaJson {
  private SchemaJson() {}

  /** The schema as plain JSON values. */
  public static Map<String, Object> toJson(Schema s) {
    List<Object> cols = new ArrayList<>(s.size());
    for (Column c : s.columns()) {
      cols.add(columnToJson(c));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("columns", cols);
    return m;
  }

  /**
   * Reads what {@link #toJson} wrote.
   *
   * @throws Json.JsonException naming the JSON path of a missing or malformed field
   */
  public static Schema fromJson(JsonMap j) {
    List<Column> cols = new ArrayList<>();
    for (JsonMap c : j.objects("columns")) {
      cols.add(columnFromJson(c));
    }
    return Schema.of(cols);
  }

  /** One column as plain JSON values. */
  public static Map<String, Object> columnToJson(Column c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.name());
    ColumnType t = c.type();
    m.put("type", t.kind());
    if (t instanceof ColumnType.Numeric n) {
      if (!n.integer()) {
        m.put("scale", (long) n.scale());
        m.put("fixedScale", n.fixedScale());
      }
      if (!n.prefix().isEmpty()) {
        m.put("prefix", n.prefix());
      }
      if (!n.suffix().isEmpty()) {
        m.put("suffix", n.suffix());
      }
      if (n.grouping()) {
        m.put("grouping", true);
      }
    } else if (t instanceof ColumnType.Bool b) {
      m.put("true", b.trueToken());
      m.put("false", b.falseToken());
    } else if (t instanceof ColumnType.Datetime d) {
      m.put("pattern", d.pattern());
    } else if (t instanceof ColumnType.Identifier id) {
      m.put("shape", id.shape());
      m.put("start", id.start());
    }
    if (!c.missingToken().isEmpty()) {
      m.put("missingToken", c.missingToken());
    }
    return m;
  }

  /**
   * Reads one fully specified column (every attribute present or defaulted: decimal scale
   * defaults to 2, boolean tokens to {@code true}/{@code false}, date patterns to ISO,
   * identifier shape to {@code sequence} starting at 1).
   *
   * @throws Json.JsonException for an unknown type or a malformed attribute
   */
  public static Column columnFromJson(JsonMap c) {
    String name = c.str("name");
    String kind = c.str("type");
    ColumnType t = typeFromJson(c, kind, null);
    return new Column(name, t, c.str("missingToken", ""));
  }

  /** The known type names, for error messages. */
  static final List<String> KINDS = List.of("integer", "decimal", "categorical", "boolean",
      "date", "datetime", "identifier", "text");

  /**
   * {@code t} with the number format a column object gives ({@code prefix}, {@code suffix},
   * {@code grouping}), each defaulting to the inferred type's.
   */
  private static ColumnType.Numeric withFormat(JsonMap c, ColumnType.Numeric t,
      ColumnType inferred) {
    ColumnType.Numeric inf = inferred instanceof ColumnType.Numeric n ? n : null;
    return t.withFormat(c.str("prefix", inf != null ? inf.prefix() : ""),
        c.str("suffix", inf != null ? inf.suffix() : ""),
        c.bool("grouping", inf != null && inf.grouping()));
  }

  /**
   * Builds a type from a column object; attributes absent from {@code c} come from
   * {@code inferred} when it has the same kind, else from the defaults.
   */
  static ColumnType typeFromJson(JsonMap c, String kind, ColumnType inferred) {
    switch (kind) {
      case "integer":
        return withFormat(c, ColumnType.Numeric.ofInteger(), inferred);
      case "decimal": {
        ColumnType.Numeric inf = inferred instanceof ColumnType.Numeric n && !n.integer() ? n : null;
        int scale = c.integer("scale", inf != null ? inf.scale() : 2);
        boolean fixed = c.bool("fixedScale", inf != null && inf.fixedScale());
        if (scale < 0 || scale > ColumnType.Numeric.MAX_SCALE) {
          throw new Json.JsonException("field '" + at(c, "scale") + "' must be in [0, "
              + ColumnType.Numeric.MAX_SCALE + "] but was " + scale);
        }
        return withFormat(c, ColumnType.Numeric.ofDecimal(scale, fixed), inferred);
      }
      case "categorical":
        return new ColumnType.Categorical();
      case "boolean": {
        ColumnType.Bool inf = inferred instanceof ColumnType.Bool b ? b : null;
        String tt = c.str("true", inf != null ? inf.trueToken() : "true");
        String ff = c.str("false", inf != null ? inf.falseToken() : "false");
        if (tt.equals(ff)) {
          throw new Json.JsonException("fields '" + at(c, "true") + "' and '" + at(c, "false")
              + "' must differ but both are '" + tt + "'");
        }
        return new ColumnType.Bool(tt, ff);
      }
      case "date":
      case "datetime": {
        boolean dateOnly = kind.equals("date");
        String dflt = dateOnly ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss";
        if (inferred instanceof ColumnType.Datetime d && d.dateOnly() == dateOnly) {
          dflt = d.pattern();
        }
        String pattern = c.str("pattern", dflt);
        try {
          DatePattern.compile(pattern);
        } catch (IllegalArgumentException e) {
          throw new Json.JsonException("field '" + at(c, "pattern") + "' is not a valid date "
              + "pattern: " + e.getMessage());
        }
        return new ColumnType.Datetime(pattern, dateOnly);
      }
      case "identifier": {
        ColumnType.Identifier inf = inferred instanceof ColumnType.Identifier i ? i : null;
        return new ColumnType.Identifier(c.str("shape", inf != null ? inf.shape() : "sequence"),
            c.has("start") ? c.lng("start") : 1L);
      }
      case "text":
        return new ColumnType.Text();
      default:
        throw new Json.JsonException("field '" + at(c, "type") + "' is '" + kind
            + "' but must be one of " + KINDS);
    }
  }

  private static String at(JsonMap c, String key) {
    return c.path().isEmpty() ? key : c.path() + "." + key;
  }
}
