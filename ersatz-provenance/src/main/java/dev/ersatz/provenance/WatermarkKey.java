package dev.ersatz.provenance;

import dev.ersatz.core.UserInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret key of a watermark: 32 random bytes. Whoever holds it can detect (and could
 * remove) the watermark, so keep it like a password. The secret never appears in
 * {@link #toString()}, logs or messages; only its {@link #keyId()} does.
 */
public final class WatermarkKey {
  private final byte[] secret;
  private final long k0;
  private final long k1;
  private final String keyId;

  private WatermarkKey(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("a watermark key needs at least 16 bytes but had "
          + secret.length);
    }
    this.secret = secret.clone();
    byte[] d = Hashes.sha256().digest(concat("ersatz-wm1-key\n", this.secret));
    this.k0 = SipHash.le(d, 0);
    this.k1 = SipHash.le(d, 8);
    this.keyId = Hashes.sha256(concat("ersatz-wm1-id\n", this.secret)).substring(0, 16);
  }

  private static byte[] concat(String prefix, byte[] b) {
    byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[p.length + b.length];
    System.arraycopy(p, 0, out, 0, p.length);
    System.arraycopy(b, 0, out, p.length, b.length);
    return out;
  }

  /** A key from the given secret bytes (at least 16). */
  public static WatermarkKey of(byte[] secret) {
    return new WatermarkKey(secret);
  }

  /** A new random key from the system's secure random generator. */
  public static WatermarkKey generate() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return new WatermarkKey(b);
  }

  /** A key derived from a passphrase (SHA-256; use a long random passphrase). */
  public static WatermarkKey fromPassphrase(String passphrase) {
    if (passphrase.length() < 12) {
      throw new UserInputException("a watermark passphrase needs at least 12 characters; "
          + "better, create a key file with 'ersatz keys init --watermark'");
    }
    return new WatermarkKey(Hashes.sha256().digest(
        ("ersatz-wm1-passphrase\n" + passphrase).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Reads a key file (64 hex digits).
   *
   * @throws UserInputException when missing or malformed (the message never shows its content)
   */
  public static WatermarkKey load(Path file) {
    try {
      String hex = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return new WatermarkKey(HexFormat.of().parseHex(hex));
    } catch (IOException e) {
      throw new UserInputException("cannot read watermark key file " + file
          + "; create one with 'ersatz keys init --watermark'");
    } catch (IllegalArgumentException e) {
      throw new UserInputException("watermark key file " + file
          + " must hold 32 to 64 hex digits on one line");
    }
  }

  /**
   * Writes the key to a new file (mode 600 on POSIX systems).
   *
   * @throws UserInputException when the file exists or cannot be written
   */
  public void save(Path file) {
    try {
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      Files.writeString(file, HexFormat.of().formatHex(secret) + "\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UserInputException("cannot create watermark key file " + file
          + " (it must not exist yet): " + e.getClass().getSimpleName());
    }
  }

  long k0() {
    return k0;
  }

  long k1() {
    return k1;
  }

  /** A public identifier of the key (16 hex digits), safe to record in manifests. */
  public String keyId() {
    return keyId;
  }

  @Override
  public String toString() {
    return "WatermarkKey[keyId=" + keyId + "]";
  }
}
