package dev.ersatz.provenance;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SHA-256 fingerprints of files, byte chunks and schemas, as lower-case hex. */
public final class Hashes {
  /** Smallest chunk used to locate a change inside an output file. */
  static final long MIN_CHUNK = 64 * 1024;
  /** At most this many chunk hashes are recorded per file. */
  static final int MAX_CHUNKS = 256;

  private Hashes() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new ErsatzException("this JVM has no SHA-256", e);
    }
  }

  /** SHA-256 of {@code bytes}, hex. */
  public static String sha256(byte[] bytes) {
    return hex(sha256().digest(bytes));
  }

  /** SHA-256 of the UTF-8 bytes of {@code text}, hex. */
  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * SHA-256 of a file's bytes, hex.
   *
   * @throws UserInputException when the file cannot be read
   */
  public static String sha256(Path file) {
    return fileDigest(file, Long.MAX_VALUE).sha256();
  }

  /**
   * The canonical schema fingerprint: SHA-256 of the canonical JSON of the columns' names, kinds
   * and formatting settings (see docs/manifest.md). Equal schemas give equal hashes.
   *
   * @param schema the schema
   * @return hex SHA-256
   */
  public static String schemaSha256(Schema schema) {
    return sha256(Json.write(schemaJson(schema)));
  }

  /** The canonical JSON form of a schema that {@link #schemaSha256} hashes. */
  public static List<Object> schemaJson(Schema schema) {
    List<Object> cols = new ArrayList<>();
    for (Column c : schema.columns()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", c.name());
      m.put("kind", c.type().kind());
      m.put("missingToken", c.missingToken());
      ColumnType t = c.type();
      if (t instanceof ColumnType.Numeric) {
        ColumnType.Numeric n = (ColumnType.Numeric) t;
        m.put("scale", n.scale());
        m.put("fixedScale", n.fixedScale());
        if (n.formatted()) {
          m.put("prefix", n.prefix());
          m.put("suffix", n.suffix());
          m.put("grouping", n.grouping());
        }
      } else if (t instanceof ColumnType.Bool) {
        ColumnType.Bool b = (ColumnType.Bool) t;
        m.put("trueToken", b.trueToken());
        m.put("falseToken", b.falseToken());
      } else if (t instanceof ColumnType.Datetime) {
        m.put("pattern", ((ColumnType.Datetime) t).pattern());
      } else if (t instanceof ColumnType.Identifier) {
        ColumnType.Identifier id = (ColumnType.Identifier) t;
        m.put("shape", id.shape());
        m.put("start", id.start());
      }
      cols.add(m);
    }
    return cols;
  }

  /** A whole-file hash with chunk hashes that locate a change. */
  record FileDigest(String sha256, long bytes, long chunkSize, List<String> chunks) {}

  /** The chunk size used for a file of {@code size} bytes: a power of two, at least 64 KiB. */
  static long chunkSize(long size) {
    long c = MIN_CHUNK;
    while (c * MAX_CHUNKS < size) {
      c *= 2;
    }
    return c;
  }

  static FileDigest fileDigest(Path file, long chunkSize) {
    MessageDigest whole = sha256();
    List<String> chunks = new ArrayList<>();
    long total = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      MessageDigest chunk = sha256();
      long inChunk = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        whole.update(buf, 0, n);
        total += n;
        if (chunkSize != Long.MAX_VALUE) {
          int off = 0;
          while (off < n) {
            int take = (int) Math.min(n - off, chunkSize - inChunk);
            chunk.update(buf, off, take);
            inChunk += take;
            off += take;
            if (inChunk == chunkSize) {
              chunks.add(hex(chunk.digest()));
              inChunk = 0;
            }
          }
        }
      }
      if (chunkSize != Long.MAX_VALUE && inChunk > 0) {
        chunks.add(hex(chunk.digest()));
      }
    } catch (NoSuchFileException e) {
      throw new UserInputException("file " + file + " does not exist; check the path");
    } catch (IOException e) {
      throw new UserInputException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new FileDigest(hex(whole.digest()), total, chunkSize, chunks);
  }

  /** Lower-case hex of {@code bytes}. */
  public static String hex(byte[] bytes) {
    char[] digits = "0123456789abcdef".toCharArray();
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = digits[(bytes[i] >> 4) & 0xF];
      out[2 * i + 1] = digits[bytes[i] & 0xF];
    }
    return new String(out);
  }
}
