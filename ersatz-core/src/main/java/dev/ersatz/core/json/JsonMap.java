package dev.ersatz.core.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Typed, path-aware access to a parsed JSON object. Every failed access throws a
 * {@link Json.JsonException} naming the JSON path, so a corrupt file reports where it is broken.
 */
public final class JsonMap {
  private final Map<String, Object> map;
  private final String path;

  public JsonMap(Map<String, Object> map, String path) {
    this.map = map;
    this.path = path;
  }

  public Map<String, Object> raw() {
    return Collections.unmodifiableMap(map);
  }

  public boolean has(String key) {
    return map.containsKey(key) && map.get(key) != null;
  }

  private String at(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private Object need(String key) {
    Object v = map.get(key);
    if (v == null) {
      throw new Json.JsonException("missing field '" + at(key) + "'");
    }
    return v;
  }

  public String str(String key) {
    Object v = need(key);
    if (!(v instanceof String s)) {
      throw new Json.JsonException("field '" + at(key) + "' must be a string");
    }
    return s;
  }

  public String str(String key, String dflt) {
    return has(key) ? str(key) : dflt;
  }

  public double num(String key) {
    Object v = need(key);
    if (!(v instanceof Number n)) {
      throw new Json.JsonException("field '" + at(key) + "' must be a number");
    }
    return n.doubleValue();
  }

  public double num(String key, double dflt) {
    return has(key) ? num(key) : dflt;
  }

  public long lng(String key) {
    Object v = need(key);
    if (!(v instanceof Number n)) {
      throw new Json.JsonException("field '" + at(key) + "' must be a number");
    }
    return n.longValue();
  }

  public int integer(String key) {
    return Math.toIntExact(lng(key));
  }

  public int integer(String key, int dflt) {
    return has(key) ? integer(key) : dflt;
  }

  public boolean bool(String key, boolean dflt) {
    if (!has(key)) {
      return dflt;
    }
    Object v = map.get(key);
    if (!(v instanceof Boolean b)) {
      throw new Json.JsonException("field '" + at(key) + "' must be true or false");
    }
    return b;
  }

  @SuppressWarnings("unchecked")
  public JsonMap obj(String key) {
    Object v = need(key);
    if (!(v instanceof Map<?, ?>)) {
      throw new Json.JsonException("field '" + at(key) + "' must be an object");
    }
    return new JsonMap((Map<String, Object>) v, at(key));
  }

  @SuppressWarnings("unchecked")
  public List<Object> list(String key) {
    Object v = need(key);
    if (!(v instanceof List<?>)) {
      throw new Json.JsonException("field '" + at(key) + "' must be an array");
    }
    return (List<Object>) v;
  }

  @SuppressWarnings("unchecked")
  public List<JsonMap> objects(String key) {
    List<Object> l = list(key);
    List<JsonMap> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      if (!(l.get(i) instanceof Map<?, ?>)) {
        throw new Json.JsonException("field '" + at(key) + "[" + i + "]' must be an object");
      }
      out.add(new JsonMap((Map<String, Object>) l.get(i), at(key) + "[" + i + "]"));
    }
    return out;
  }

  public List<String> strings(String key) {
    List<Object> l = list(key);
    List<String> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      if (!(l.get(i) instanceof String s)) {
        throw new Json.JsonException("field '" + at(key) + "[" + i + "]' must be a string");
      }
      out.add(s);
    }
    return out;
  }

  /** A numeric array; JSON {@code null} entries read as {@code NaN}. */
  public double[] doubles(String key) {
    List<Object> l = list(key);
    double[] out = new double[l.size()];
    for (int i = 0; i < out.length; i++) {
      Object o = l.get(i);
      if (o == null) {
        out[i] = Double.NaN;
      } else if (o instanceof Number n) {
        out[i] = n.doubleValue();
      } else {
        throw new Json.JsonException("field '" + at(key) + "[" + i + "]' must be a number");
      }
    }
    return out;
  }

  public int[] ints(String key) {
    List<Object> l = list(key);
    int[] out = new int[l.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(l.get(i) instanceof Number n)) {
        throw new Json.JsonException("field '" + at(key) + "[" + i + "]' must be a number");
      }
      out[i] = Math.toIntExact(n.longValue());
    }
    return out;
  }

  public String path() {
    return path;
  }
}
