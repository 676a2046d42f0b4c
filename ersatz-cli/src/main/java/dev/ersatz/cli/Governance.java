package dev.ersatz.cli;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.provenance.Catalog;
import dev.ersatz.provenance.Keys;
import dev.ersatz.provenance.SigningKey;
import dev.ersatz.provenance.WatermarkKey;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * Where the CLI keeps keys and the lineage catalog, and what it does on first use.
 *
 * <p>Keys: {@code --key-dir}, else the system property {@value #KEY_DIR_PROPERTY}, else the
 * environment variable {@value #KEY_DIR_ENV}, else {@code ~/.ersatz/keys}: outside any project,
 * so private keys do not end up in a repository. A command that signs creates the key pair there
 * on first use and says so. Catalog: {@code --catalog JDBC_URL}, else the property
 * {@value #CATALOG_PROPERTY}, else {@value #CATALOG_ENV}, else an embedded H2 file in
 * {@code .ersatz/} of the working directory; user and password come from
 * {@value #CATALOG_USER_ENV} and {@value #CATALOG_PASSWORD_ENV} only (never from the command
 * line, where other users could read them) and are never printed.
 */
final class Governance {
  static final String KEY_DIR_PROPERTY = "ersatz.keyDir";
  static final String KEY_DIR_ENV = "ERSATZ_KEY_DIR";
  static final String CATALOG_PROPERTY = "ersatz.catalog";
  static final String CATALOG_ENV = "ERSATZ_CATALOG_URL";
  static final String CATALOG_USER_ENV = "ERSATZ_CATALOG_USER";
  static final String CATALOG_PASSWORD_ENV = "ERSATZ_CATALOG_PASSWORD";

  private Governance() {}

  /** {@code --key-dir}, shared by the commands that sign, verify or watermark. */
  static final class KeyDirOption {
    @Option(names = "--key-dir", paramLabel = "DIR",
        description = "key directory (default: $ERSATZ_KEY_DIR or ~/.ersatz/keys)")
    Path keyDir;

    Path dir() {
      if (keyDir != null) {
        return keyDir;
      }
      String s = firstSet(System.getProperty(KEY_DIR_PROPERTY), System.getenv(KEY_DIR_ENV));
      return s == null ? Keys.defaultDir() : Path.of(s);
    }
  }

  /** {@code --catalog}, shared by the commands that record or read lineage. */
  static final class CatalogOption {
    @Option(names = "--catalog", paramLabel = "JDBC_URL",
        description = "lineage catalog, e.g. jdbc:postgresql://host/db (default: "
            + "$ERSATZ_CATALOG_URL or an embedded database in .ersatz/ of the working "
            + "directory); user and password from $ERSATZ_CATALOG_USER, $ERSATZ_CATALOG_PASSWORD")
    String url;

    /** The configured URL, or null for the default embedded catalog. */
    String configured() {
      return firstSet(url, System.getProperty(CATALOG_PROPERTY), System.getenv(CATALOG_ENV));
    }

    /** Starts loading the catalog's code in the background (see {@link Catalog#warmUp}). */
    void warmUp() {
      Catalog.warmUp(configured());
    }

    /** Whether a catalog is there to read (a configured one always counts). */
    boolean exists() {
      return configured() != null || Catalog.defaultExists(Path.of(""));
    }

    /**
     * Opens the catalog, retrying for a few seconds while another ersatz process holds the
     * embedded database file.
     */
    Catalog open() {
      String u = configured();
      UserInputException last = null;
      for (int attempt = 0; attempt < 8; attempt++) {
        try {
          return u == null ? Catalog.openDefault(Path.of(""))
              : Catalog.open(u, orEmpty(System.getenv(CATALOG_USER_ENV)),
                  orEmpty(System.getenv(CATALOG_PASSWORD_ENV)));
        } catch (UserInputException e) {
          last = e;
          if (!String.valueOf(e.getMessage()).contains("already in use")) {
            throw e;
          }
          sleep(250L << Math.min(attempt, 3));
        }
      }
      throw last;
    }

    /**
     * Runs {@code action} on the catalog. A catalog that cannot be opened or written is a
     * warning, not a failure: the signed manifest beside the output already holds the lineage.
     */
    void record(Consumer<Catalog> action, PrintWriter err) {
      try (Catalog c = open()) {
        action.accept(c);
      } catch (ErsatzException e) {
        err.println("warning: not recorded in the lineage catalog: " + e.getMessage());
      }
    }
  }

  /**
   * The signing key in {@code dir}, created there on first use (said on {@code err}).
   *
   * @throws UserInputException when there is none and none can be created
   */
  static SigningKey signingKey(Path dir, PrintWriter err) {
    if (Files.exists(dir.resolve(Keys.PRIVATE_FILE))) {
      return Keys.load(dir);
    }
    try {
      SigningKey k = Keys.init(dir);
      err.println("note: created a signing key (id " + k.keyId() + ") in " + dir
          + " on first use; manifests are signed with it. Give "
          + dir.resolve(Keys.PUBLIC_FILE) + " to whoever verifies your outputs (ersatz verify "
          + "--public-key) and keep the directory out of repositories");
      return k;
    } catch (UserInputException e) {
      if (Files.exists(dir.resolve(Keys.PRIVATE_FILE))) {
        return Keys.load(dir); // another ersatz process created it at the same moment
      }
      throw new UserInputException("no signing key in " + dir + " and none could be created "
          + "there; point --key-dir (or ERSATZ_KEY_DIR) at a writable directory, or pass "
          + "--no-sign to write no manifest", e);
    }
  }

  /**
   * The watermark key: {@code file} when given, else {@code watermark.key} in {@code dir},
   * created there on first use (said on {@code err}).
   */
  static WatermarkKey watermarkKey(Path file, Path dir, PrintWriter err) {
    if (file != null) {
      return Keys.loadWatermark(file);
    }
    Path f = dir.resolve(Keys.WATERMARK_FILE);
    if (Files.exists(f)) {
      return WatermarkKey.load(f);
    }
    WatermarkKey k = Keys.initWatermark(dir);
    err.println("note: created a watermark key (id " + k.keyId() + ") at " + f + " on first "
        + "use; keep it secret: whoever holds it can detect the watermark, and could remove it");
    return k;
  }

  private static String firstSet(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
