package dev.ersatz.llm.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ersatz.core.UserInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A view of one object in a parsed config file that knows its path, so every error names the
 * file and the field, and that rejects unknown (misspelled) fields.
 */
final class ConfigNode {
  private final String file;
  private final String path;
  private final JsonNode node;
  private final Set<String> read = new HashSet<>();

  ConfigNode(String file, String path, JsonNode node) {
    this.file = file;
    this.path = path;
    this.node = node;
    if (node == null || !node.isObject()) {
      throw error(path.isEmpty() ? "the document" : path, "must be a mapping (key: value)");
    }
  }

  String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  UserInputException error(String fieldPath, String problem) {
    return new UserInputException(
        String.format(Locale.ROOT, "%s: field '%s' %s", file, fieldPath, problem));
  }

  boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  private JsonNode get(String field) {
    read.add(field);
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  String string(String field, String def) {
    JsonNode v = get(field);
    if (v == null) {
      if (def == null) {
        throw error(path(field), "is required");
      }
      return def;
    }
    if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
      throw error(path(field), "must be a string");
    }
    return v.asText();
  }

  String optString(String field) {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw error(path(field), "must be a string");
    }
    return v.asText();
  }

  String choice(String field, String def, String... allowed) {
    String v = string(field, def);
    for (String a : allowed) {
      if (a.equals(v)) {
        return v;
      }
    }
    throw error(path(field), "must be one of " + String.join(", ", allowed) + " but was '" + v + "'");
  }

  double number(String field, double def, double min, double max) {
    JsonNode v = get(field);
    if (v == null) {
      return def;
    }
    if (!v.isNumber()) {
      throw error(path(field), "must be a number but was '" + v.asText() + "'");
    }
    double d = v.asDouble();
    if (!(d >= min && d <= max)) {
      throw error(path(field), String.format(Locale.ROOT, "must be in [%s, %s] but was %s", fmt(min), fmt(max), fmt(d)));
    }
    return d;
  }

  long integer(String field, long def, long min, long max) {
    JsonNode v = get(field);
    if (v == null) {
      return def;
    }
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw error(path(field), "must be a whole number but was '" + v.asText() + "'");
    }
    long d = v.asLong();
    if (d < min || d > max) {
      throw error(path(field), String.format(Locale.ROOT, "must be in [%d, %d] but was %d", min, max, d));
    }
    return d;
  }

  boolean bool(String field, boolean def) {
    JsonNode v = get(field);
    if (v == null) {
      return def;
    }
    if (!v.isBoolean()) {
      throw error(path(field), "must be true or false but was '" + v.asText() + "'");
    }
    return v.asBoolean();
  }

  List<String> strings(String field, List<String> def) {
    JsonNode v = get(field);
    if (v == null) {
      return def;
    }
    if (!v.isArray()) {
      throw error(path(field), "must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw error(path(field) + "[" + i + "]", "must be a string");
      }
      out.add(v.get(i).asText());
    }
    return List.copyOf(out);
  }

  ConfigNode object(String field) {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    return new ConfigNode(file, path(field), v);
  }

  List<ConfigNode> objects(String field) {
    JsonNode v = get(field);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw error(path(field), "must be a list");
    }
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      out.add(new ConfigNode(file, path(field) + "[" + i + "]", v.get(i)));
    }
    return out;
  }

  /** The node's content as plain Java values (maps, lists, strings, numbers, booleans). */
  Object raw() {
    read.addAll(iterable(node.fieldNames()));
    return new com.fasterxml.jackson.databind.ObjectMapper().convertValue(node, Object.class);
  }

  private static Set<String> iterable(Iterator<String> it) {
    Set<String> s = new HashSet<>();
    it.forEachRemaining(s::add);
    return s;
  }

  /** Rejects fields that were never read: they are almost always typos. */
  void finish() {
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String f = it.next();
      if (!read.contains(f)) {
        throw error(path(f), "is not a known setting (check the spelling; see docs/llm-pipelines.md)");
      }
    }
  }

  private static String fmt(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }
}
