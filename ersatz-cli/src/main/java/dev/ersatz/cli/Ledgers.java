package dev.ersatz.cli;

import dev.ersatz.core.UserInputException;
import dev.ersatz.io.Fingerprints;
import dev.ersatz.privacy.ledger.BudgetLedger;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Where the CLI keeps the privacy budget ledger, and how a dataset is named in it.
 *
 * <p>Ledger: {@code --ledger PATH} (an embedded database file) or {@code --ledger-url JDBC_URL},
 * else the system property {@value #LEDGER_PROPERTY} or the environment variable
 * {@value #LEDGER_ENV} (a path, or a URL starting with {@code jdbc:}), else
 * {@link BudgetLedger#DEFAULT_PATH} under the working directory. User and password of a JDBC
 * ledger come from {@value #USER_ENV} and {@value #PASSWORD_ENV} only and are never printed;
 * neither is the URL, which may carry credentials of its own.
 */
final class Ledgers {
  static final String LEDGER_PROPERTY = "ersatz.ledger";
  static final String LEDGER_ENV = "ERSATZ_LEDGER";
  static final String USER_ENV = "ERSATZ_LEDGER_USER";
  static final String PASSWORD_ENV = "ERSATZ_LEDGER_PASSWORD";
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{8,64}");

  private Ledgers() {}

  /** {@code --ledger} and {@code --ledger-url}, shared by {@code fit} and {@code privacy}. */
  static final class LedgerOption {
    @Option(names = "--ledger", paramLabel = "PATH",
        description = "privacy budget ledger, an embedded database file (default: "
            + "$ERSATZ_LEDGER or .ersatz/ledger in the working directory)")
    Path path;

    @Option(names = "--ledger-url", paramLabel = "JDBC_URL",
        description = "privacy budget ledger in a database, e.g. jdbc:postgresql://host/db; "
            + "user and password from $ERSATZ_LEDGER_USER, $ERSATZ_LEDGER_PASSWORD")
    String url;

    /** Whether either option was given on the command line. */
    boolean given() {
      return path != null || url != null;
    }

    /** Opens the configured ledger. */
    BudgetLedger open() {
      if (path != null && url != null) {
        throw new UserInputException("give either --ledger or --ledger-url, not both");
      }
      if (url != null) {
        return jdbc(url);
      }
      if (path != null) {
        return BudgetLedger.open(path);
      }
      String s = firstSet(System.getProperty(LEDGER_PROPERTY), System.getenv(LEDGER_ENV));
      if (s == null) {
        return BudgetLedger.openDefault();
      }
      return s.startsWith("jdbc:") ? jdbc(s) : BudgetLedger.open(Path.of(s));
    }

    /** Where the ledger is, for messages: a path, or only the kind of database of a URL. */
    String describe() {
      if (url != null) {
        return redact(url);
      }
      if (path != null) {
        return path.toString();
      }
      String s = firstSet(System.getProperty(LEDGER_PROPERTY), System.getenv(LEDGER_ENV));
      if (s == null) {
        return BudgetLedger.DEFAULT_PATH.toString();
      }
      return s.startsWith("jdbc:") ? redact(s) : s;
    }
  }

  private static BudgetLedger jdbc(String url) {
    if (!url.startsWith("jdbc:")) {
      throw new UserInputException("--ledger-url must be a JDBC URL starting with jdbc: (for a "
          + "file, use --ledger PATH)");
    }
    return BudgetLedger.openJdbc(url, System.getenv(USER_ENV), System.getenv(PASSWORD_ENV));
  }

  /** The database kind of a JDBC URL, e.g. {@code jdbc:postgresql:...}; nothing after it. */
  static String redact(String url) {
    String[] parts = url.split(":", 3);
    return parts.length >= 2 ? parts[0] + ":" + parts[1] + ":..." : "a JDBC URL";
  }

  /**
   * The ledger fingerprint of {@code subject}: the SHA-256 of a file's bytes (as the provenance
   * of a model records it), a full fingerprint, or an unambiguous prefix of at least 8 hex
   * digits of one the ledger knows.
   *
   * @throws UserInputException when it is neither an existing file nor a known fingerprint
   */
  static String fingerprint(String subject, BudgetLedger ledger) {
    Path p = null;
    try {
      p = Path.of(subject);
    } catch (InvalidPathException e) {
      // not a file name: try it as a fingerprint
    }
    if (p != null && Files.isRegularFile(p)) {
      return Fingerprints.sha256(p);
    }
    String s = subject.toLowerCase(Locale.ROOT);
    if (!HEX.matcher(s).matches()) {
      throw new UserInputException("'" + subject + "' is neither a file nor a dataset "
          + "fingerprint (8 to 64 hex digits); list the datasets with: ersatz privacy ledger");
    }
    if (s.length() == 64) {
      return s;
    }
    List<String> hits = new ArrayList<>();
    for (String fp : ledger.datasets()) {
      if (fp.startsWith(s)) {
        hits.add(fp);
      }
    }
    if (hits.size() != 1) {
      throw new UserInputException("the fingerprint prefix " + s + " matches " + hits.size()
          + " datasets in the ledger; give more digits (list them with: ersatz privacy ledger)");
    }
    return hits.get(0);
  }

  /** A number without trailing zeros, e.g. 1, 0.5, 1e-06. */
  static String num(double x) {
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return Long.toString((long) x);
    }
    String s = String.format(Locale.ROOT, "%.6g", x);
    if (s.contains("e")) {
      String[] mant = s.split("e", 2);
      return mant[0].replaceAll("\\.?0+$", "") + "e" + mant[1];
    }
    return s.contains(".") ? s.replaceAll("\\.?0+$", "") : s;
  }

  private static String firstSet(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
