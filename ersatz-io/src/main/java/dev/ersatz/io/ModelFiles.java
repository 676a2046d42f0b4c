package dev.ersatz.io;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.core.spi.SynthesizerProvider;
import dev.ersatz.core.spi.Synthesizers;
import dev.ersatz.core.spi.Version;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Model files ({@code .ersatz}): gzip-compressed canonical JSON (see {@code
 * docs/model-format.md}).
 *
 * <pre>{@code
 * {"createdBy": "Ersatz 0.1.0", "format": "ersatz-model", "formatVersion": 1,
 *  "generator": "copula", "parameters": {...}, "provenance": {...}, "schema": {"columns": [...]}}
 * }</pre>
 *
 * Keys are sorted and the gzip header carries no time stamp, so the same model always gives the
 * same bytes. Never Java serialization. A file of another format version is rejected with a
 * message saying so.
 */
public final class ModelFiles {
  /**
   * The newest format version this code writes and reads; it reads every version from 1. A
   * model is written with its own {@link FittedModel#formatVersion()}: 2 only for a frame whose
   * modelled columns are reordered (a declared target), which version 1 readers would misread.
   */
  public static final int FORMAT_VERSION = 2;

  static final String FORMAT = "ersatz-model";

  private ModelFiles() {}

  /** Writes {@code model} to {@code file} atomically. */
  public static void write(Path file, FittedModel model) {
    AtomicFiles.requireParent(file);
    AtomicFiles.write(file, toBytes(model));
  }

  /** The bytes of a model file for {@code model} (deterministic). */
  public static byte[] toBytes(FittedModel model) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("formatVersion", (long) Math.max(1, Math.min(FORMAT_VERSION, model.formatVersion())));
    m.put("generator", model.generator());
    m.put("schema", SchemaJson.toJson(model.schema()));
    m.put("parameters", model.parameters());
    m.put("provenance", model.provenance().toJson());
    m.put("createdBy", "Ersatz " + Version.get());
    byte[] json = Json.write(m).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bos = new ByteArrayOutputStream(json.length / 4 + 64);
    // GZIPOutputStream writes MTIME = 0, so equal models give equal files. The fastest level:
    // a model is mostly 17-digit numbers, which level 6 packs only about 11% smaller, at about
    // twice the time (creditcard_default's model: 0.92-0.98 s against 0.50-0.55 s to write;
    // BENCHMARKS, "Wide tables").
    try (GZIPOutputStream gz = new GZIPOutputStream(bos, 1 << 16) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    }) {
      gz.write(json);
    } catch (IOException e) {
      throw new ErsatzException("cannot compress the model: " + e.getMessage(), e);
    }
    return bos.toByteArray();
  }

  /**
   * Reads a model file and rebuilds the model through its generator's provider.
   *
   * @throws UserInputException when the file does not exist or its generator is not installed
   * @throws ModelFormatException when the file is not a model file, is damaged or truncated, or
   *     has another format version
   */
  public static FittedModel read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UserInputException("model file not found: " + file + "; check the path");
    } catch (IOException e) {
      throw new ErsatzException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String label = file.getFileName().toString();
    JsonMap root = parse(bytes, label);
    try {
      String format = root.str("format", "");
      if (!format.equals(FORMAT)) {
        throw damaged(label, "its format is '" + format + "', not '" + FORMAT + "'");
      }
      long version = root.lng("formatVersion");
      if (version < 1 || version > FORMAT_VERSION) {
        throw new ModelFormatException("model file " + label + " has format version " + version
            + " but this Ersatz reads versions 1 to " + FORMAT_VERSION
            + "; re-fit the model with this version");
      }
      String generator = root.str("generator");
      Schema schema = SchemaJson.fromJson(root.obj("schema"));
      JsonMap params = root.obj("parameters");
      ModelProvenance prov = ModelProvenance.fromJson(root.obj("provenance"));
      SynthesizerProvider provider;
      try {
        provider = Synthesizers.get(generator);
      } catch (UserInputException e) {
        throw new UserInputException("model file " + label + " was made by generator '"
            + generator + "', which is not installed: " + e.getMessage());
      }
      return provider.load(schema, params, prov);
    } catch (ModelFormatException e) {
      throw e;
    } catch (Json.JsonException e) {
      throw damaged(label, e.getMessage());
    } catch (UserInputException e) {
      throw e;
    } catch (IllegalArgumentException | ClassCastException | IndexOutOfBoundsException
        | NullPointerException | ArithmeticException e) {
      throw damaged(label, "its parameters are inconsistent: " + e.getMessage());
    }
  }

  private static JsonMap parse(byte[] bytes, String label) {
    if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
      throw damaged(label, "it is not gzip-compressed");
    }
    byte[] json;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
      json = in.readAllBytes();
    } catch (IOException e) {
      throw damaged(label, "decompressing failed: " + e.getMessage());
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(json)).toString();
    } catch (CharacterCodingException e) {
      throw damaged(label, "its content is not UTF-8 text");
    }
    try {
      return Json.parseObject(text);
    } catch (Json.JsonException e) {
      throw damaged(label, "its content is not valid JSON: " + e.getMessage());
    }
  }

  private static ModelFormatException damaged(String label, String why) {
    return new ModelFormatException(label + " is not an Ersatz model file or is damaged (" + why
        + "); re-create it with `ersatz fit`");
  }
}
