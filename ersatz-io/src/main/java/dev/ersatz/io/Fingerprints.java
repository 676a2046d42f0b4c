package dev.ersatz.io;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.schema.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 fingerprints of files and schemas, as lower-case hex. */
public final class Fingerprints {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Fingerprints() {}

  /**
   * SHA-256 of the bytes of {@code file} (as stored: a gzip file hashes its compressed bytes).
   *
   * @throws UserInputException when the file does not exist
   */
  public static String sha256(Path file) {
    MessageDigest md = digest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    } catch (NoSuchFileException e) {
      throw new UserInputException("file not found: " + file + "; check the path");
    } catch (IOException e) {
      throw new ErsatzException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return hex(md.digest());
  }

  /** SHA-256 of the canonical JSON ({@link Json#write}) of {@link SchemaJson#toJson(Schema)}. */
  public static String schemaSha256(Schema s) {
    return sha256(Json.write(SchemaJson.toJson(s)).getBytes(StandardCharsets.UTF_8));
  }

  /** SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    return hex(digest().digest(bytes));
  }

  static String hex(byte[] b) {
    char[] out = new char[b.length * 2];
    for (int i = 0; i < b.length; i++) {
      out[2 * i] = HEX[(b[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[b[i] & 0xf];
    }
    return new String(out);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new ErsatzException("SHA-256 is not available in this JVM", e);
    }
  }
}
