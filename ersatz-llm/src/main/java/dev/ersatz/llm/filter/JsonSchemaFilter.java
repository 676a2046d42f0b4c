package dev.ersatz.llm.filter;

import dev.ersatz.core.json.Json;
import dev.ersatz.llm.strategy.Candidate;
import java.util.List;
import java.util.Map;

/**
 * Validates that outputs are JSON satisfying a schema. Supports a documented subset of JSON Schema
 * (draft 2020-12 keywords): {@code type} (object, array, string, number, integer, boolean, null),
 * {@code properties}, {@code required}, {@code additionalProperties: false}, {@code items},
 * {@code enum}, {@code minLength}, {@code maxLength}, {@code minimum}, {@code maximum},
 * {@code minItems}, {@code maxItems}. Other keywords are ignored.
 */
public final class JsonSchemaFilter implements CandidateFilter {
  private final Map<String, Object> schema;

  private JsonSchemaFilter(Map<String, Object> schema) {
    this.schema = schema;
  }

  /**
   * Creates the filter.
   *
   * @param schema the schema as plain JSON values
   * @return the filter
   */
  public static JsonSchemaFilter of(Map<String, Object> schema) {
    return new JsonSchemaFilter(schema);
  }

  @Override
  public String name() {
    return "json-schema";
  }

  @Override
  public FilterVerdict apply(int round, Candidate c) {
    String out = c.output().strip();
    if (out.startsWith("```")) {
      out = out.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
    }
    Object value;
    try {
      value = Json.parse(out);
    } catch (RuntimeException e) {
      return FilterVerdict.reject("invalid-json", "output is not JSON");
    }
    String err = validate(value, schema, "$");
    return err == null ? FilterVerdict.pass("valid") : FilterVerdict.reject("invalid", err);
  }

  /**
   * Validates a value.
   *
   * @param v the value (Map, List, String, Number, Boolean or null)
   * @param s the schema
   * @param path JSON path for messages
   * @return null when valid, else the first violation
   */
  @SuppressWarnings("unchecked")
  public static String validate(Object v, Map<String, Object> s, String path) {
    Object type = s.get("type");
    if (type instanceof String t && !hasType(v, t)) {
      return path + " should be " + t;
    }
    if (s.get("enum") instanceof List<?> en && !en.contains(v)) {
      return path + " is not one of the allowed values";
    }
    if (v instanceof String str) {
      if (s.get("minLength") instanceof Number n && str.length() < n.intValue()) {
        return path + " is shorter than " + n;
      }
      if (s.get("maxLength") instanceof Number n && str.length() > n.intValue()) {
        return path + " is longer than " + n;
      }
    }
    if (v instanceof Number num) {
      if (s.get("minimum") instanceof Number n && num.doubleValue() < n.doubleValue()) {
        return path + " is below " + n;
      }
      if (s.get("maximum") instanceof Number n && num.doubleValue() > n.doubleValue()) {
        return path + " is above " + n;
      }
    }
    if (v instanceof Map<?, ?> obj) {
      if (s.get("required") instanceof List<?> req) {
        for (Object r : req) {
          if (!obj.containsKey(r)) {
            return path + " lacks required property '" + r + "'";
          }
        }
      }
      Map<String, Object> props = s.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
      for (Map.Entry<?, ?> e : obj.entrySet()) {
        Object ps = props.get((String) e.getKey());
        if (ps instanceof Map<?, ?> pm) {
          String err = validate(e.getValue(), (Map<String, Object>) pm, path + "." + e.getKey());
          if (err != null) {
            return err;
          }
        } else if (Boolean.FALSE.equals(s.get("additionalProperties"))) {
          return path + " has unexpected property '" + e.getKey() + "'";
        }
      }
    }
    if (v instanceof List<?> list) {
      if (s.get("minItems") instanceof Number n && list.size() < n.intValue()) {
        return path + " has fewer than " + n + " items";
      }
      if (s.get("maxItems") instanceof Number n && list.size() > n.intValue()) {
        return path + " has more than " + n + " items";
      }
      if (s.get("items") instanceof Map<?, ?> is) {
        for (int i = 0; i < list.size(); i++) {
          String err = validate(list.get(i), (Map<String, Object>) is, path + "[" + i + "]");
          if (err != null) {
            return err;
          }
        }
      }
    }
    return null;
  }

  private static boolean hasType(Object v, String t) {
    switch (t) {
      case "object": return v instanceof Map;
      case "array": return v instanceof List;
      case "string": return v instanceof String;
      case "number": return v instanceof Number;
      case "integer": return v instanceof Long || v instanceof Integer
          || (v instanceof Double d && d == Math.rint(d) && !d.isInfinite());
      case "boolean": return v instanceof Boolean;
      case "null": return v == null;
      default: return true;
    }
  }
}
