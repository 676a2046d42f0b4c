package dev.ersatz.io;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Single-table metadata in SDV's format ({@code {"columns": {"age": {"sdtype": "numerical"},
 * ...}, "primary_key": "id"}}, the format of the SDV library's {@code SingleTableMetadata} and of
 * the metadata files shipped with public benchmark splits), read as Ersatz metadata: each
 * {@code sdtype} becomes an Ersatz type, and attributes the SDV file does not give are inferred
 * from the data as for a partial Ersatz file.
 *
 * <table>
 *   <caption>sdtypes</caption>
 *   <tr><th>sdtype</th><th>Ersatz type</th></tr>
 *   <tr><td>numerical</td><td>integer for an {@code Int}/{@code UInt}
 *       {@code computer_representation}, decimal for {@code Float}; without one, integer when
 *       every value is a whole number, else decimal</td></tr>
 *   <tr><td>categorical</td><td>categorical</td></tr>
 *   <tr><td>boolean</td><td>boolean</td></tr>
 *   <tr><td>datetime</td><td>date or datetime, with {@code datetime_format} (strftime)
 *       translated to a java.time pattern; without it, or when the values are written otherwise
 *       (strftime's {@code %m} also reads {@code 1}), the pattern is inferred</td></tr>
 *   <tr><td>id, and the {@code primary_key}</td><td>identifier</td></tr>
 *   <tr><td>unknown, and any other sdtype (email, phone_number, address, ...)</td><td>text (kept
 *       out of the model), unless {@code "pii": false}, then categorical</td></tr>
 * </table>
 *
 * <p>The non-SDV fields {@code target} and {@code positive} of such files are read too: the
 * target is {@link Metadata#target()}.
 */
final class SdvMetadata {
  /** Internal type: integer or decimal, as the values say ({@link TableReader}). */
  static final String NUMBER = "number";
  /** Internal type: date or datetime, as the values say ({@link TableReader}). */
  static final String MOMENT = "moment";
  /**
   * Internal attribute of a translated datetime pattern: when the values are not all written
   * that way, the pattern is inferred instead of failing (strftime parses leniently).
   */
  static final String LENIENT = "_lenientPattern";

  private static final Set<String> INTEGER_REPRESENTATIONS = Set.of("Int8", "Int16", "Int32",
      "Int64", "UInt8", "UInt16", "UInt32", "UInt64");

  private SdvMetadata() {}

  static Metadata translate(JsonMap root, String label) {
    Object raw = root.raw().get("columns");
    @SuppressWarnings("unchecked")
    Map<String, Object> columns = raw == null ? Map.of() : (Map<String, Object>) raw;
    Object pkRaw = root.raw().get("primary_key");
    String pk = pkRaw instanceof String s ? s : null;
    if (pkRaw != null && pk == null) {
      throw new UserInputException("metadata file " + label + ": \"primary_key\" must be a "
          + "column name (a string) but is " + Json.write(pkRaw)
          + "; Ersatz reads single-column keys");
    }
    LinkedHashMap<String, JsonMap> cols = new LinkedHashMap<>();
    if (pk != null && !columns.containsKey(pk)) {
      // a partial file: the key is still an identifier (and a name the table lacks is named
      // when the table is read)
      cols.put(pk, new JsonMap(Map.of("name", pk, "type", "identifier"), "columns." + pk));
    }
    for (Map.Entry<String, Object> e : columns.entrySet()) {
      String name = e.getKey();
      String where = "metadata file " + label + ", column '" + name + "'";
      if (!(e.getValue() instanceof Map)) {
        throw new UserInputException(where + ": must be an object such as {\"sdtype\": "
            + "\"numerical\"} but is " + Json.write(e.getValue()));
      }
      @SuppressWarnings("unchecked")
      JsonMap c = new JsonMap((Map<String, Object>) e.getValue(), "columns." + name);
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("name", name);
      spec.putAll(column(c, name.equals(pk), where));
      cols.put(name, new JsonMap(spec, "columns." + name));
    }
    // a target the file does not list is checked against the table when it is read
    String target = Metadata.target(root, label);
    return new Metadata(cols, new LinkedHashMap<>(), new LinkedHashMap<>(), target);
  }

  /** The Ersatz attributes of one SDV column entry. */
  private static Map<String, Object> column(JsonMap c, boolean key, String where) {
    Object st = c.raw().get("sdtype");
    if (!(st instanceof String sdtype)) {
      throw new UserInputException(where + ": needs an \"sdtype\" (numerical, categorical, "
          + "boolean, datetime, id, ...)" + (st == null ? "" : " but has " + Json.write(st)));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    if (key && (sdtype.equals("id") || sdtype.equals("numerical")
        || sdtype.equals("categorical"))) {
      spec.put("type", "identifier");
      return spec;
    }
    switch (sdtype) {
      case "numerical" -> {
        Object rep = c.raw().get("computer_representation");
        if (rep == null) {
          spec.put("type", NUMBER);
        } else if (INTEGER_REPRESENTATIONS.contains(rep)) {
          spec.put("type", "integer");
        } else if ("Float".equals(rep)) {
          spec.put("type", "decimal");
        } else {
          throw new UserInputException(where + ": computer_representation must be Float, "
              + "Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32 or UInt64 but is "
              + Json.write(rep));
        }
      }
      case "categorical" -> spec.put("type", "categorical");
      case "boolean" -> spec.put("type", "boolean");
      case "datetime" -> {
        Object f = c.raw().get("datetime_format");
        if (f == null) {
          spec.put("type", MOMENT);
        } else if (f instanceof String fmt) {
          String pattern = javaPattern(fmt, where);
          spec.put("type", DatePattern.compile(pattern).dateOnly() ? "date" : "datetime");
          spec.put("pattern", pattern);
          spec.put(LENIENT, true);
        } else {
          throw new UserInputException(where + ": datetime_format must be a strftime format "
              + "such as \"%Y-%m-%d\" but is " + Json.write(f));
        }
      }
      case "id" -> spec.put("type", "identifier");
      default -> {
        // unknown and the semantic sdtypes (email, phone_number, ...): personal by default
        Object pii = c.raw().get("pii");
        spec.put("type", Boolean.FALSE.equals(pii) ? "categorical" : "text");
      }
    }
    return spec;
  }

  /**
   * A strftime format ({@code %Y-%m-%d %H:%M:%S}) as a java.time pattern; literal text quoted.
   *
   * @throws UserInputException for a directive without a java.time equivalent, naming it
   */
  static String javaPattern(String fmt, String where) {
    StringBuilder out = new StringBuilder();
    StringBuilder lit = new StringBuilder();
    for (int i = 0; i < fmt.length(); i++) {
      char ch = fmt.charAt(i);
      if (ch != '%') {
        lit.append(ch);
        continue;
      }
      if (i + 1 >= fmt.length()) {
        throw new UserInputException(where + ": datetime_format '" + fmt + "' ends with a lone %");
      }
      char d = fmt.charAt(++i);
      if (d == '-' && i + 1 < fmt.length()) {
        d = fmt.charAt(++i); // glibc's unpadded %-d: the same field, read leniently below
      }
      String field = switch (d) {
        case 'Y' -> "yyyy";
        case 'y' -> "yy";
        case 'm' -> "MM";
        case 'd' -> "dd";
        case 'e' -> "d";
        case 'H' -> "HH";
        case 'I' -> "hh";
        case 'M' -> "mm";
        case 'S' -> "ss";
        case 'f' -> "SSSSSS";
        case 'p' -> "a";
        case 'b', 'h' -> "MMM";
        case 'B' -> "MMMM";
        case 'a' -> "EEE";
        case 'A' -> "EEEE";
        case 'j' -> "DDD";
        case 'z' -> "xx";
        case 'F' -> "yyyy-MM-dd";
        case 'T' -> "HH:mm:ss";
        case 'D' -> "MM/dd/yy";
        case '%' -> null;
        default -> throw new UserInputException(where + ": datetime_format '" + fmt
            + "' uses %" + d + ", which Ersatz cannot read; leave datetime_format out to infer "
            + "the pattern, or declare the column in an Ersatz metadata file (ersatz profile)");
      };
      if (field == null) {
        lit.append('%');
        continue;
      }
      flush(lit, out);
      out.append(field);
    }
    flush(lit, out);
    return out.toString();
  }

  /** Appends literal text, quoting letters and quotes as java.time requires. */
  private static void flush(StringBuilder lit, StringBuilder out) {
    if (lit.length() == 0) {
      return;
    }
    String s = lit.toString();
    boolean plain = s.chars().noneMatch(ch -> Character.isLetter(ch) || ch == '\''
        || ch == '[' || ch == ']' || ch == '{' || ch == '}' || ch == '#');
    out.append(plain ? s : "'" + s.replace("'", "''") + "'");
    lit.setLength(0);
  }
}
