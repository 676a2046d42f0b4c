package dev.ersatz.provenance;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and loads the Ed25519 key pair that signs manifests. A key directory holds
 * {@value #PRIVATE_FILE} (PKCS#8, PEM, file mode 600 on POSIX systems) and {@value #PUBLIC_FILE}
 * (X.509, PEM). The default directory is {@code ~/.ersatz/keys}, outside any project, so the
 * private key does not end up in a repository.
 */
public final class Keys {
  /** File name of the private key inside a key directory. */
  public static final String PRIVATE_FILE = "ersatz-ed25519.key";
  /** File name of the public key inside a key directory. */
  public static final String PUBLIC_FILE = "ersatz-ed25519.pub";
  /** File name of the watermark key inside a key directory. */
  public static final String WATERMARK_FILE = "watermark.key";

  private static final Logger LOG = LoggerFactory.getLogger(Keys.class);

  private Keys() {}

  /** {@code ~/.ersatz/keys}. */
  public static Path defaultDir() {
    return Path.of(System.getProperty("user.home"), ".ersatz", "keys");
  }

  /**
   * Creates a new key pair in {@code dir} (created with mode 700 if absent).
   *
   * @param dir the key directory
   * @return the new key
   * @throws UserInputException when a key already exists there (it is never overwritten)
   */
  public static SigningKey init(Path dir) {
    Path priv = dir.resolve(PRIVATE_FILE);
    Path pub = dir.resolve(PUBLIC_FILE);
    if (Files.exists(priv) || Files.exists(pub)) {
      throw new UserInputException("a signing key already exists in " + dir
          + "; it is never overwritten. Delete it yourself to replace it, or use another "
          + "directory with --key-dir");
    }
    KeyPair kp;
    try {
      kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new ErsatzException("this JVM cannot generate Ed25519 keys (needs Java 15+)", e);
    }
    try {
      createPrivateDir(dir);
      writeNew(priv, pem("PRIVATE KEY", kp.getPrivate().getEncoded()), true);
      writeNew(pub, pem("PUBLIC KEY", kp.getPublic().getEncoded()), false);
    } catch (FileAlreadyExistsException e) {
      throw new UserInputException("a signing key appeared in " + dir
          + " while creating one; nothing was overwritten");
    } catch (IOException e) {
      throw new UserInputException("cannot write a key to " + dir + ": "
          + e.getClass().getSimpleName() + "; check that the directory is writable");
    }
    SigningKey key = SigningKey.of(kp.getPrivate(), kp.getPublic());
    LOG.info("created Ed25519 signing key {} in {}", key.keyId(), dir);
    return key;
  }

  /**
   * Creates a new random watermark key in {@code dir} ({@value #WATERMARK_FILE}, mode 600).
   *
   * @throws UserInputException when one already exists there (it is never overwritten)
   */
  public static WatermarkKey initWatermark(Path dir) {
    Path f = dir.resolve(WATERMARK_FILE);
    if (Files.exists(f)) {
      throw new UserInputException("a watermark key already exists at " + f
          + "; it is never overwritten");
    }
    try {
      createPrivateDir(dir);
    } catch (IOException e) {
      throw new UserInputException("cannot create key directory " + dir + ": "
          + e.getClass().getSimpleName());
    }
    WatermarkKey k = WatermarkKey.generate();
    k.save(f);
    LOG.info("created watermark key {} in {}", k.keyId(), dir);
    return k;
  }

  /**
   * Loads the watermark key of {@code dir} (or a key file).
   *
   * @throws UserInputException when missing or malformed
   */
  public static WatermarkKey loadWatermark(Path dirOrFile) {
    return WatermarkKey.load(Files.isDirectory(dirOrFile)
        ? dirOrFile.resolve(WATERMARK_FILE) : dirOrFile);
  }

  /**
   * Loads the key pair in {@code dir}.
   *
   * @throws UserInputException when it is missing or unreadable (the message never contains key
   *     bytes)
   */
  public static SigningKey load(Path dir) {
    PrivateKey priv;
    try {
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      priv = kf.generatePrivate(new PKCS8EncodedKeySpec(readPem(dir.resolve(PRIVATE_FILE))));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new UserInputException("the private key in " + dir
          + " is not an Ed25519 PKCS#8 key; create one with 'ersatz keys init'");
    }
    return SigningKey.of(priv, loadPublic(dir));
  }

  /**
   * Loads a public key from a key directory or from a {@code .pub} file.
   *
   * @throws UserInputException when it is missing or not an Ed25519 key
   */
  public static PublicKey loadPublic(Path dirOrFile) {
    Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(PUBLIC_FILE) : dirOrFile;
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(readPem(file)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new UserInputException(file + " is not an Ed25519 public key (PEM, X.509)");
    }
  }

  /** Decodes a public key from its Base64 X.509 encoding, as stored in manifests. */
  static PublicKey publicFromBase64(String b64) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an Ed25519 public key");
    }
  }

  /** The first 16 hex digits of the SHA-256 of the key's X.509 encoding. */
  public static String keyId(PublicKey key) {
    return Hashes.sha256(key.getEncoded()).substring(0, 16);
  }

  private static void createPrivateDir(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (posix(dir)) {
      FileAttribute<Set<PosixFilePermission>> attr =
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.createDirectory(dir, attr);
    } else {
      Files.createDirectories(dir);
    }
  }

  private static boolean posix(Path p) {
    Path existing = p.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null
        && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void writeNew(Path file, String text, boolean secret) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    if (secret && posix(file)) {
      // Created with mode 600 from the start, so the key is never readable by others.
      Files.createFile(file,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    } else {
      Files.write(file, bytes, StandardOpenOption.CREATE_NEW);
    }
  }

  private static String pem(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }

  private static byte[] readPem(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UserInputException("cannot read key file " + file
          + "; create a key pair with 'ersatz keys init' or pass --key-dir");
    }
    StringBuilder b64 = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("-----")) {
        b64.append(l);
      }
    }
    return Base64.getDecoder().decode(b64.toString());
  }
}
