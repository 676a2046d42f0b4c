package dev.ersatz.core.json;

import dev.ersatz.core.ErsatzException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small JSON reader and canonical writer over plain Java values: {@link Map} (string keys),
 * {@link List}, {@link String}, {@link Number}, {@link Boolean}, {@code null}, and primitive
 * {@code double[]}, {@code int[]} and {@code long[]} arrays (written as JSON arrays).
 *
 * <p>Canonical output sorts object keys, writes no insignificant whitespace, writes integral
 * numbers without a decimal point and other doubles with {@link Double#toString(double)}
 * (shortest round-trip form), so equal values always give equal bytes and stable hashes. It lives
 * in core so that model files and provenance hashing need no JSON framework.
 */
public final class Json {
  private Json() {}

  /** Writes {@code value} canonically (sorted keys, compact). */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb, -1, 0);
    return sb.toString();
  }

  /** Writes {@code value} with sorted keys and two-space indentation, for people to read. */
  public static String writePretty(Object value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb, 2, 0);
    return sb.append('\n').toString();
  }

  private static void newline(StringBuilder sb, int indent, int depth) {
    if (indent >= 0) {
      sb.append('\n');
      for (int i = 0; i < indent * depth; i++) {
        sb.append(' ');
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void write(Object v, StringBuilder sb, int indent, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      string(s, sb);
    } else if (v instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (v instanceof Double || v instanceof Float) {
      number(((Number) v).doubleValue(), sb);
    } else if (v instanceof Number n) {
      sb.append(n.longValue());
    } else if (v instanceof Map<?, ?> m) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new ErsatzException("JSON object keys must be strings but got " + e.getKey());
        }
        sorted.put(k, e.getValue());
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        newline(sb, indent, depth + 1);
        string(e.getKey(), sb);
        sb.append(indent >= 0 ? ": " : ":");
        write(e.getValue(), sb, indent, depth + 1);
      }
      if (!sorted.isEmpty()) {
        newline(sb, indent, depth);
      }
      sb.append('}');
    } else if (v instanceof Iterable<?> it) {
      sb.append('[');
      boolean first = true;
      boolean nested = false;
      for (Object o : (Iterable<Object>) it) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        if (o instanceof Map || o instanceof Iterable) {
          nested = true;
          newline(sb, indent, depth + 1);
        } else if (indent >= 0) {
          sb.append(first ? "" : " ");
        }
        write(o, sb, indent, depth + 1);
      }
      if (nested) {
        newline(sb, indent, depth);
      }
      sb.append(']');
    } else if (v instanceof double[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        number(a[i], sb);
      }
      sb.append(']');
    } else if (v instanceof int[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(a[i]);
      }
      sb.append(']');
    } else if (v instanceof long[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(a[i]);
      }
      sb.append(']');
    } else {
      throw new ErsatzException("cannot write a " + v.getClass().getName() + " as JSON");
    }
  }

  private static void number(double d, StringBuilder sb) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      // JSON has no NaN; model files use null for "no value"
      sb.append("null");
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      sb.append((long) d);
    } else {
      sb.append(Double.toString(d));
    }
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /**
   * Parses JSON text. Objects become {@link LinkedHashMap}s, arrays {@link ArrayList}s,
   * integral numbers {@link Long}s and the others {@link Double}s.
   *
   * @throws JsonException with the offset of the first error
   */
  public static Object parse(String text) {
    Parser p = new Parser(text);
    p.ws();
    Object v = p.value();
    p.ws();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the JSON value");
    }
    return v;
  }

  /** Parses text that must be a JSON object. */
  public static JsonMap parseObject(String text) {
    Object v = parse(text);
    if (!(v instanceof Map<?, ?>)) {
      throw new JsonException("expected a JSON object at the top level");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    return new JsonMap(m, "");
  }

  /** A JSON syntax or shape error. */
  public static final class JsonException extends ErsatzException {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
      super(message);
    }
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    JsonException error(String msg) {
      int line = 1;
      int col = 1;
      for (int i = 0; i < Math.min(pos, s.length()); i++) {
        if (s.charAt(i) == '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
      }
      return new JsonException(msg + " at line " + line + ", column " + col);
    }

    void ws() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
          pos++;
        } else {
          break;
        }
      }
    }

    Object value() {
      if (pos >= s.length()) {
        throw error("unexpected end of JSON (is the file truncated?)");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    Object literal(String word, Object v) {
      if (!s.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
      return v;
    }

    Map<String, Object> object() {
      pos++;
      Map<String, Object> m = new LinkedHashMap<>();
      ws();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return m;
      }
      while (true) {
        ws();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw error("expected a quoted key");
        }
        String k = string();
        ws();
        if (pos >= s.length() || s.charAt(pos) != ':') {
          throw error("expected ':' after key \"" + k + "\"");
        }
        pos++;
        ws();
        m.put(k, value());
        ws();
        if (pos >= s.length()) {
          throw error("unexpected end of JSON inside an object (is the file truncated?)");
        }
        char c = s.charAt(pos++);
        if (c == '}') {
          return m;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or '}'");
        }
      }
    }

    List<Object> array() {
      pos++;
      List<Object> a = new ArrayList<>();
      ws();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return a;
      }
      while (true) {
        ws();
        a.add(value());
        ws();
        if (pos >= s.length()) {
          throw error("unexpected end of JSON inside an array (is the file truncated?)");
        }
        char c = s.charAt(pos++);
        if (c == ']') {
          return a;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or ']'");
        }
      }
    }

    String string() {
      pos++;
      StringBuilder sb = null;
      int start = pos;
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string (is the file truncated?)");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          String out = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
          pos++;
          return out;
        }
        if (c == '\\') {
          if (sb == null) {
            sb = new StringBuilder();
          }
          sb.append(s, start, pos);
          pos++;
          if (pos >= s.length()) {
            throw error("unterminated escape");
          }
          char e = s.charAt(pos++);
          switch (e) {
            case '"', '\\', '/' -> sb.append(e);
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'u' -> {
              if (pos + 4 > s.length()) {
                throw error("bad unicode escape");
              }
              try {
                sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
              } catch (NumberFormatException ex) {
                throw error("bad unicode escape");
              }
              pos += 4;
            }
            default -> throw error("bad escape \\" + e);
          }
          start = pos;
        } else {
          pos++;
        }
      }
    }

    Object number() {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      boolean integral = true;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c >= '0' && c <= '9') {
          pos++;
        } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
          integral = false;
          pos++;
        } else {
          break;
        }
      }
      String t = s.substring(start, pos);
      try {
        if (integral && t.length() < 19) {
          return Long.parseLong(t);
        }
        return Double.parseDouble(t);
      } catch (NumberFormatException e) {
        throw error("bad number '" + t + "'");
      }
    }
  }
}
