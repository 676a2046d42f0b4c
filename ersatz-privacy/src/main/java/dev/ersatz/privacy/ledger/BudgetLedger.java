package dev.ersatz.privacy.ledger;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.privacy.PrivacyBudgetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Keeps each dataset's privacy budget across fits, processes and crashes, in an embedded H2
 * database file or any JDBC database.
 *
 * <p>Each dataset, named by a SHA-256 fingerprint of its content, has a total epsilon budget
 * ({@link #DEFAULT_TOTAL_EPSILON} unless set). A DP fit first {@link #reserve}s its epsilon and
 * delta; the reservation is one database transaction that locks the dataset's budget row
 * ({@code SELECT ... FOR UPDATE}), sums what counts, refuses an overspend and inserts the spend,
 * so two processes reserving at once are serialised and cannot both overspend. A process
 * killed during that transaction spends nothing (the transaction never commits); once it has
 * committed, the spend counts, whether or not the fit later finishes: the caller commits the
 * reservation <em>before</em> releasing the model, and a crash in between counts as spent.
 *
 * <p>Epsilons of separate fits add up (basic sequential composition), and so do deltas.
 *
 * <p>The embedded database is opened with {@code AUTO_SERVER=TRUE}: the first process opens the
 * file and serves it to the others, and when it dies the next one takes over. Connections are
 * opened per operation; instances are thread-safe.
 */
public final class BudgetLedger implements AutoCloseable {
  /** The total epsilon of a dataset that has none set. */
  public static final double DEFAULT_TOTAL_EPSILON = 3.0;
  /** Where the embedded ledger lives, relative to the working directory. */
  public static final Path DEFAULT_PATH = Path.of(".ersatz", "ledger");
  static final String RESERVED = "reserved";
  static final String COMMITTED = "committed";
  static final String ABORTED = "aborted";
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final double SLACK = 1e-9;

  private final String url;
  private final String user;
  private final String password;
  private volatile Runnable insideReserve = () -> { };
  private volatile Connection keeper;

  private BudgetLedger(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
    initSchema();
  }

  /**
   * The embedded ledger at {@code path} (H2 adds {@code .mv.db}); its folder is created.
   *
   * @param path e.g. {@link #DEFAULT_PATH}
   */
  public static BudgetLedger open(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    try {
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
    } catch (java.io.IOException e) {
      throw new ErsatzException("cannot create the ledger folder " + abs.getParent() + ": "
          + e.getMessage(), e);
    }
    // AUTO_SERVER: several processes share the file; WRITE_DELAY=0: a commit reaches the file
    // at once, so a process killed right after committing a spend keeps it.
    return new BudgetLedger("jdbc:h2:file:" + abs
        + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=20000;WRITE_DELAY=0", "ersatz", "");
  }

  /** The embedded ledger at {@link #DEFAULT_PATH} under the working directory. */
  public static BudgetLedger openDefault() {
    return open(DEFAULT_PATH);
  }

  /**
   * A ledger in any JDBC database (e.g. {@code jdbc:postgresql://host/db}); the driver must be
   * on the class path. The password is never logged nor put in messages.
   */
  public static BudgetLedger openJdbc(String url, String user, String password) {
    Objects.requireNonNull(url, "url");
    try {
      DriverManager.getDriver(url);
    } catch (SQLException e) {
      // checked first: a connection attempt would be retried as if the server were away
      String kind = url.split(":", 3).length == 3 ? url.substring(0, url.indexOf(':',
          url.indexOf(':') + 1)) : "this URL";
      throw new UserInputException("privacy ledger: no JDBC driver on the class path accepts "
          + kind + ":... URLs; use jdbc:postgresql:// or jdbc:h2:, or put the driver on the "
          + "class path");
    }
    return new BudgetLedger(url, user == null ? "" : user, password == null ? "" : password);
  }

  /** For tests: runs {@code hook} inside the reserve transaction, before it commits. */
  BudgetLedger withHookInsideReserve(Runnable hook) {
    this.insideReserve = Objects.requireNonNull(hook);
    return this;
  }

  /**
   * Opens a connection, retrying for a while when the embedded database is changing hands
   * (another process that served it has just closed or died: H2 then waits until the lock file
   * is old before taking over).
   */
  private Connection connect() throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (int attempt = 0; ; attempt++) {
      try {
        Connection c = DriverManager.getConnection(url, user, password);
        if (keeper == null && url.startsWith("jdbc:h2:")) {
          synchronized (this) {
            if (keeper == null) {
              // Keeps the database open in this process while the ledger is in use, so it is
              // not closed and reopened (and served anew) between operations.
              keeper = DriverManager.getConnection(url, user, password);
            }
          }
        }
        return c;
      } catch (SQLException e) {
        if (!transientFailure(e) || System.nanoTime() > deadline) {
          throw e;
        }
        sleep(Math.min(1000, 50L * (attempt + 1)));
      }
    }
  }

  /** Connection-level failures (the serving process went away): safe to retry before commit. */
  static boolean transientFailure(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        int code = s.getErrorCode();
        if ((state != null && state.startsWith("08")) || code == 8000 || code == 90020
            || code == 90067 || code == 90098 || code == 90121 || code == 90028) {
          return true;
        }
      }
    }
    return false;
  }

  private ErsatzException failure(String what, SQLException e) {
    // The URL may hold credentials for a JDBC ledger: name only the database kind.
    String kind = url.startsWith("jdbc:h2:") ? "embedded ledger" : "ledger database";
    return new ErsatzException("privacy ledger: " + what + " failed in the " + kind + ": "
        + redact(e.getMessage()), e);
  }

  /**
   * A driver's message without the URL (drivers quote it, e.g. "No suitable driver found for
   * jdbc:...") and without anything that looks like a password.
   */
  String redact(String message) {
    if (message == null) {
      return "";
    }
    return message.replace(url, "<the ledger URL>")
        .replaceAll("(?i)(password=)[^&;\\s]*", "$1***");
  }

  private void initSchema() {
    for (int attempt = 0; ; attempt++) {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS ersatz_budget ("
            + "fingerprint VARCHAR(64) PRIMARY KEY, "
            + "total_epsilon DOUBLE PRECISION NOT NULL, "
            + "created_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS ersatz_spend ("
            + "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
            + "fingerprint VARCHAR(64) NOT NULL, "
            + "status VARCHAR(16) NOT NULL, "
            + "who VARCHAR(256) NOT NULL, "
            + "spent_at TIMESTAMP WITH TIME ZONE NOT NULL, "
            + "generator VARCHAR(64) NOT NULL, "
            + "parameters VARCHAR(4000) NOT NULL, "
            + "description VARCHAR(4000) NOT NULL, "
            + "epsilon DOUBLE PRECISION NOT NULL, "
            + "delta DOUBLE PRECISION NOT NULL)");
        // added later: ledgers made before it gain the table on first use
        s.execute("CREATE TABLE IF NOT EXISTS ersatz_budget_change ("
            + "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
            + "fingerprint VARCHAR(64) NOT NULL, "
            + "who VARCHAR(256) NOT NULL, "
            + "changed_at TIMESTAMP WITH TIME ZONE NOT NULL, "
            + "before_epsilon DOUBLE PRECISION NOT NULL, "
            + "after_epsilon DOUBLE PRECISION NOT NULL)");
        return;
      } catch (SQLException e) {
        // Two processes creating the tables at once: one may lose the race; try again. A
        // connection failure was already retried by connect().
        if (attempt >= 5 || transientFailure(e)) {
          throw failure("creating the tables", e);
        }
        sleep(100L * (attempt + 1));
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new ErsatzException("interrupted while waiting for the privacy ledger", ie);
    }
  }

  static String checkFingerprint(String fingerprint) {
    if (fingerprint == null || !SHA256.matcher(fingerprint).matches()) {
      throw new UserInputException("privacy ledger: a dataset fingerprint is a SHA-256 in 64 "
          + "lower-case hex digits but was '" + fingerprint + "'");
    }
    return fingerprint;
  }

  /**
   * Sets a dataset's total epsilon budget (creating its entry). Lowering it below what is
   * already spent is allowed and simply leaves nothing to spend. A change is recorded (who,
   * when, from what to what) in the same transaction; see {@link #changes}.
   *
   * @param totalEpsilon {@code > 0}
   */
  public void setTotal(String fingerprint, double totalEpsilon) {
    checkFingerprint(fingerprint);
    if (!(totalEpsilon > 0) || !Double.isFinite(totalEpsilon)) {
      throw new UserInputException("privacy ledger: the total budget must be > 0 but was "
          + totalEpsilon);
    }
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      ensureBudgetRow(c, fingerprint, DEFAULT_TOTAL_EPSILON);
      double before;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT total_epsilon FROM ersatz_budget WHERE fingerprint = ? FOR UPDATE")) {
        ps.setString(1, fingerprint);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          before = rs.getDouble(1);
        }
      }
      if (before != totalEpsilon) {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE ersatz_budget SET total_epsilon = ? WHERE fingerprint = ?")) {
          ps.setDouble(1, totalEpsilon);
          ps.setString(2, fingerprint);
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ersatz_budget_change ("
            + "fingerprint, who, changed_at, before_epsilon, after_epsilon) "
            + "VALUES (?, ?, ?, ?, ?)")) {
          ps.setString(1, fingerprint);
          ps.setString(2, truncate(System.getProperty("user.name", "unknown"), 256));
          ps.setTimestamp(3, java.sql.Timestamp.from(java.time.Instant.now()));
          ps.setDouble(4, before);
          ps.setDouble(5, totalEpsilon);
          ps.executeUpdate();
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw failure("setting the budget", e);
    }
  }

  /** The budget of a dataset (the default total if none was set). */
  public DatasetBudget budget(String fingerprint) {
    checkFingerprint(fingerprint);
    try (Connection c = connect()) {
      return budget(c, fingerprint, false);
    } catch (SQLException e) {
      throw failure("reading the budget", e);
    }
  }

  private DatasetBudget budget(Connection c, String fingerprint, boolean forUpdate)
      throws SQLException {
    double total = DEFAULT_TOTAL_EPSILON;
    try (PreparedStatement ps = c.prepareStatement("SELECT total_epsilon FROM ersatz_budget "
        + "WHERE fingerprint = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
      ps.setString(1, fingerprint);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          total = rs.getDouble(1);
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(epsilon), 0), "
        + "COALESCE(SUM(delta), 0), COUNT(*) FROM ersatz_spend WHERE fingerprint = ? "
        + "AND status <> '" + ABORTED + "'")) {
      ps.setString(1, fingerprint);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new DatasetBudget(fingerprint, total, rs.getDouble(1), rs.getDouble(2),
            rs.getInt(3));
      }
    }
  }

  /** Inserts the dataset's budget row if missing, in its own committed transaction. */
  private void ensureBudgetRow(Connection c, String fingerprint, double total)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM ersatz_budget WHERE fingerprint = ?")) {
      ps.setString(1, fingerprint);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO ersatz_budget "
        + "(fingerprint, total_epsilon, created_at) VALUES (?, ?, ?)")) {
      ps.setString(1, fingerprint);
      ps.setDouble(2, total);
      ps.setTimestamp(3, Timestamp.from(Instant.now()));
      ps.executeUpdate();
      c.commit();
    } catch (SQLException e) {
      // Another process inserted it first (unique violation, SQLSTATE 23xxx): that is fine.
      c.rollback();
      if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
        throw e;
      }
    }
  }

  /**
   * Records a spend of {@code epsilon, delta} against a dataset's budget, atomically.
   *
   * @param fingerprint SHA-256 of the source dataset, 64 lower-case hex digits
   * @param epsilon {@code > 0}
   * @param delta {@code >= 0}
   * @param generator the generator's name
   * @param parameters its settings as text (no data values)
   * @param description free text (e.g. the output file)
   * @return the reservation, already counting as spent
   * @throws PrivacyBudgetException when the spend would exceed the total; its message names
   *     what is spent, by how many fits, and what remains
   */
  public Reservation reserve(String fingerprint, double epsilon, double delta, String generator,
      String parameters, String description) {
    checkFingerprint(fingerprint);
    if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
      throw new UserInputException("privacy ledger: epsilon must be > 0 but was " + epsilon);
    }
    if (!(delta >= 0) || delta >= 1) {
      throw new UserInputException("privacy ledger: delta must be in [0, 1) but was " + delta);
    }
    String who = System.getProperty("user.name", "unknown");
    for (int attempt = 0; ; attempt++) {
      boolean[] committing = {false};
      try {
        return reserveOnce(fingerprint, epsilon, delta, generator, parameters, description, who,
            committing);
      } catch (SQLException e) {
        // A connection lost before the commit was sent leaves nothing behind: try again. A
        // failure during the commit is ambiguous and reported (the spend may count).
        if (committing[0] || !transientFailure(e) || attempt >= 20) {
          throw failure("reserving budget", e);
        }
        sleep(100L * Math.min(10, attempt + 1));
      }
    }
  }

  private Reservation reserveOnce(String fingerprint, double epsilon, double delta,
      String generator, String parameters, String description, String who, boolean[] committing)
      throws SQLException {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      ensureBudgetRow(c, fingerprint, DEFAULT_TOTAL_EPSILON);
      try {
        DatasetBudget b = budget(c, fingerprint, true);
        if (b.spentEpsilon() + epsilon > b.totalEpsilon() * (1 + SLACK)) {
          c.rollback();
          throw new PrivacyBudgetException(String.format(Locale.ROOT,
              "privacy budget of dataset %s exceeded: this fit asks for epsilon=%s but %d "
                  + "earlier fit(s) spent epsilon=%s (delta=%s) of the total %s, so %s "
                  + "remains; see 'ersatz privacy ledger %s', or raise the total with "
                  + "--budget if your policy allows", shortId(fingerprint), fmt(epsilon),
              b.fits(), fmt(b.spentEpsilon()), fmt(b.spentDelta()), fmt(b.totalEpsilon()),
              fmt(b.remainingEpsilon()), shortId(fingerprint)));
        }
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ersatz_spend (fingerprint, "
            + "status, who, spent_at, generator, parameters, description, epsilon, delta) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
          ps.setString(1, fingerprint);
          ps.setString(2, RESERVED);
          ps.setString(3, truncate(who, 256));
          ps.setTimestamp(4, Timestamp.from(Instant.now()));
          ps.setString(5, truncate(generator, 64));
          ps.setString(6, truncate(parameters, 4000));
          ps.setString(7, truncate(description, 4000));
          ps.setDouble(8, epsilon);
          ps.setDouble(9, delta);
          ps.executeUpdate();
          try (ResultSet rs = ps.getGeneratedKeys()) {
            rs.next();
            id = rs.getLong(1);
          }
        }
        insideReserve.run();
        committing[0] = true;
        c.commit();
        return new Res(id);
      } catch (SQLException | RuntimeException e) {
        if (!committing[0]) {
          rollbackQuietly(c);
        }
        throw e;
      }
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the original failure is what matters
    }
  }

  private static String truncate(String s, int max) {
    String v = s == null ? "" : s;
    return v.length() <= max ? v : v.substring(0, max);
  }

  private static String fmt(double x) {
    // trailing zeros go from the mantissa only: 1e-06, not 1.00000e-06; 100, not 1
    String[] parts = String.format(Locale.ROOT, "%.6g", x).split("e", 2);
    String mantissa = parts[0].contains(".") ? parts[0].replaceAll("\\.?0+$", "") : parts[0];
    return parts.length == 2 ? mantissa + "e" + parts[1] : mantissa;
  }

  private static String shortId(String fingerprint) {
    return fingerprint.substring(0, 12);
  }

  /**
   * Every spend, oldest first.
   *
   * @param fingerprint only this dataset's spends, or {@code null} for all datasets
   */
  public List<LedgerEntry> list(String fingerprint) {
    if (fingerprint != null) {
      checkFingerprint(fingerprint);
    }
    String sql = "SELECT id, fingerprint, status, who, spent_at, generator, parameters, "
        + "description, epsilon, delta FROM ersatz_spend"
        + (fingerprint == null ? "" : " WHERE fingerprint = ?") + " ORDER BY id";
    List<LedgerEntry> out = new ArrayList<>();
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (fingerprint != null) {
        ps.setString(1, fingerprint);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new LedgerEntry(rs.getLong(1), rs.getString(2), rs.getString(3),
              rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7),
              rs.getString(8), rs.getDouble(9), rs.getDouble(10)));
        }
      }
    } catch (SQLException e) {
      throw failure("listing spends", e);
    }
    return out;
  }

  /** Every change of a dataset's total, oldest first. */
  public List<BudgetChange> changes(String fingerprint) {
    checkFingerprint(fingerprint);
    List<BudgetChange> out = new ArrayList<>();
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT fingerprint, who, changed_at, before_epsilon, after_epsilon "
            + "FROM ersatz_budget_change WHERE fingerprint = ? ORDER BY id")) {
      ps.setString(1, fingerprint);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new BudgetChange(rs.getString(1), rs.getString(2),
              rs.getTimestamp(3).toInstant(), rs.getDouble(4), rs.getDouble(5)));
        }
      }
    } catch (SQLException e) {
      throw failure("listing budget changes", e);
    }
    return out;
  }

  /** The fingerprints of every dataset with a budget or a spend, sorted. */
  public List<String> datasets() {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT fingerprint FROM ersatz_budget UNION "
            + "SELECT fingerprint FROM ersatz_spend ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw failure("listing datasets", e);
    }
    return out;
  }

  private void setStatus(long id, String to) {
    for (int attempt = 0; ; attempt++) {
      try {
        setStatusOnce(id, to);
        return;
      } catch (SQLException e) {
        // Idempotent: a lost connection is simply retried.
        if (!transientFailure(e) || attempt >= 20) {
          throw failure("updating spend " + id, e);
        }
        sleep(100L * Math.min(10, attempt + 1));
      }
    }
  }

  private void setStatusOnce(long id, String to) throws SQLException {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      String now;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT status FROM ersatz_spend WHERE id = ? FOR UPDATE")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new ErsatzException("privacy ledger: no spend with id " + id);
          }
          now = rs.getString(1);
        }
      }
      if (now.equals(to)) {
        c.rollback();
        return;
      }
      if (!now.equals(RESERVED)) {
        c.rollback();
        throw new ErsatzException("privacy ledger: spend " + id + " is " + now
            + " and cannot become " + to);
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE ersatz_spend SET status = ? WHERE id = ?")) {
        ps.setString(1, to);
        ps.setLong(2, id);
        ps.executeUpdate();
      }
      c.commit();
    }
  }

  private final class Res implements Reservation {
    private final long id;

    Res(long id) {
      this.id = id;
    }

    @Override
    public long id() {
      return id;
    }

    @Override
    public void commit() {
      setStatus(id, COMMITTED);
    }

    @Override
    public void abort() {
      setStatus(id, ABORTED);
    }
  }

  /** Closes the connection that keeps an embedded database open in this process. */
  @Override
  public void close() {
    Connection k = keeper;
    keeper = null;
    if (k != null) {
      try {
        k.close();
      } catch (SQLException ignored) {
        // closing is best effort; the database survives an unclean close
      }
    }
  }
}
