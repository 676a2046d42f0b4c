package dev.ersatz.io;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.schema.Column;
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

  private Metadata(LinkedHashMap<String, JsonMap> columns) {
    this.columns = columns;
  }

  /** Metadata listing every column of {@code schema} with all its attributes. */
  public static Metadata of(Schema schema) {
    LinkedHashMap<String, JsonMap> cols = new LinkedHashMap<>();
    for (Column c : schema.columns()) {
      Map<String, Object> m = new LinkedHashMap<>(SchemaJson.columnToJson(c));
      cols.put(c.name(), new JsonMap(m, "columns[" + cols.size() + "]"));
    }
    return new Metadata(cols);
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
        if (cols.put(name, c) != null) {
          throw new UserInputException("metadata file " + label + " lists column '" + name
              + "' twice; keep one entry per column");
        }
      }
      return new Metadata(cols);
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
        .append(VERSION).append(",\n  \"columns\": [");
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

  /** The names of the listed columns, in file order. */
  public List<String> columnNames() {
    return Collections.unmodifiableList(new ArrayList<>(columns.keySet()));
  }

  /** The entry of a listed column, or null. */
  JsonMap spec(String name) {
    return columns.get(name);
  }
}
