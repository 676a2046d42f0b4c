package dev.ersatz.provenance;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.core.spi.SourceInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lineage catalog: datasets (real sources and synthetic outputs), models, and the edges
 * between them. An embedded H2 database file in the working directory by default
 * ({@code .ersatz/catalog.mv.db}), or any JDBC URL (PostgreSQL in production). The schema is
 * created and upgraded by Flyway migrations run from code, the same on both (Flyway runs only
 * when the newest migration is not applied yet, see {@link #LATEST_MIGRATION}).
 *
 * <p>Not thread-safe: one catalog per thread. Close it when done.
 */
public final class Catalog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
  static final String MIGRATIONS = "classpath:dev/ersatz/provenance/catalog";

  private final Connection conn;
  private final String url;

  private Catalog(Connection conn, String url) {
    this.conn = conn;
    this.url = url;
  }

  /** The default catalog URL for a working directory: an H2 file in {@code .ersatz/}. */
  public static String defaultUrl(Path workingDir) {
    Path db = workingDir.toAbsolutePath().normalize().resolve(".ersatz").resolve("catalog");
    return "jdbc:h2:file:" + db.toString().replace('\\', '/');
  }

  /**
   * Loads the embedded database's code on a background daemon thread, by opening and closing a
   * private in-memory database, so that a command that records in the catalog at its end finds
   * it loaded. The first H2 connection of a process takes about 0.45 s, nearly all of it loading
   * and compiling classes; started while a command reads its input on one core, it is done
   * before the catalog is needed (the file's own open then takes 0.07 s). Touches no file and
   * holds no lock; any failure is left to the real open to report. Does nothing for a catalog
   * that is not H2.
   *
   * @param jdbcUrl the configured catalog URL, or null for the default embedded one
   */
  public static void warmUp(String jdbcUrl) {
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:h2:")) {
      return;
    }
    Thread t = new Thread(() -> {
      try (Connection c = DriverManager.getConnection("jdbc:h2:mem:", "", "");
          PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM"
              + " INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = ?")) {
        ps.setString(1, "ersatz_schema_history");
        ps.executeQuery().close();
      } catch (SQLException | RuntimeException e) {
        LOG.debug("catalog warm-up failed: {}", e.getClass().getSimpleName());
      }
    }, "ersatz-catalog-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** Whether the default catalog of {@code workingDir} was created already. */
  public static boolean defaultExists(Path workingDir) {
    return Files.exists(workingDir.resolve(".ersatz").resolve("catalog.mv.db"));
  }

  /** Opens (and creates or migrates) the default catalog of {@code workingDir}. */
  public static Catalog openDefault(Path workingDir) {
    try {
      Files.createDirectories(workingDir.resolve(".ersatz"));
    } catch (java.io.IOException e) {
      throw new UserInputException("cannot create " + workingDir.resolve(".ersatz")
          + " for the catalog: " + e.getMessage());
    }
    return open(defaultUrl(workingDir), "", "");
  }

  /**
   * Opens the catalog at a JDBC URL and applies pending migrations.
   *
   * @param jdbcUrl {@code jdbc:h2:...} or {@code jdbc:postgresql://host:port/db}
   * @param user database user ("" for none)
   * @param password database password ("" for none); never logged nor put in messages
   * @throws UserInputException when the database cannot be reached
   */
  public static Catalog open(String jdbcUrl, String user, String password) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    String safeUrl = redact(jdbcUrl);
    Connection c = null;
    try {
      c = DriverManager.getConnection(jdbcUrl, user, password);
      if (!migrated(c)) {
        migrate(jdbcUrl, user, password, safeUrl);
      }
      c.setAutoCommit(false);
      LOG.debug("catalog open at {}", safeUrl);
      return new Catalog(c, safeUrl);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new UserInputException("cannot connect to the catalog at " + safeUrl + ": "
          + firstLine(e.getMessage()) + "; check the URL, user and that the database is up");
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /**
   * The newest migration's version. {@link #open} runs Flyway only when the history table does
   * not show it applied: Flyway's start (scanning the migrations in the jar, validating the
   * history) took about 0.35 s of every {@code fit} and {@code sample}, against 0.01 s for this
   * query once the database is open. A test checks this against the migrations Flyway finds.
   */
  static final String LATEST_MIGRATION = "2";

  /** Whether the history table shows {@link #LATEST_MIGRATION} applied successfully. */
  private static boolean migrated(Connection c) {
    try (ResultSet t = c.getMetaData().getTables(null, null, "ersatz_schema_history", null)) {
      if (!t.next()) {
        // a new catalog: Flyway creates the table (asked first, as a failed query would put
        // an error in a PostgreSQL server's log)
        return false;
      }
    } catch (SQLException e) {
      return false;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM"
        + " \"ersatz_schema_history\" WHERE \"version\" = ? AND \"success\"")) {
      ps.setString(1, LATEST_MIGRATION);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) > 0;
      }
    } catch (SQLException e) {
      return false;
    }
  }

  private static void migrate(String jdbcUrl, String user, String password, String safeUrl) {
    try {
      Flyway.configure(Catalog.class.getClassLoader())
          .dataSource(jdbcUrl, user, password)
          .locations(MIGRATIONS)
          .table("ersatz_schema_history")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new UserInputException("cannot open or migrate the catalog at " + safeUrl + ": "
          + firstLine(e.getMessage()) + "; check the URL, user and that the database is up");
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing; the first error is the one to report
      }
    }
  }

  /** The URL with any password parameter removed. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * Records an output, its model, sources and whole parent chain from its manifest. Recording
   * the same manifest twice changes nothing.
   *
   * @param manifest the output's manifest
   * @param outputFile where the output is (stored as given, for lookups by path)
   */
  public void record(Manifest manifest, Path outputFile) {
    try {
      Manifest.OutputFile o = manifest.primaryOutput();
      insertDataset(manifest.id(), outputFile.getFileName().toString(),
          outputFile.toAbsolutePath().normalize().toString(), o.sha256(),
          manifest.outputSchemaSha256(), true, manifest.generator(), manifest.rows(),
          manifest.seed(), manifest.epsilonSpent(), manifest.createdAt(),
          Json.write(manifest.toJson()));
      if (manifest.model() != null) {
        Manifest.ModelRef m = manifest.model();
        Path base = outputFile.toAbsolutePath().getParent();
        insertModel(m.id(), Path.of(m.path()).getFileName().toString(),
            Manifests.resolve(base, m.path()).toString(), m.sha256(), m.generator(),
            m.fitSeed(), m.createdAt(), manifest.epsilonSpent());
        insertEdge(manifest.id(), m.id(), "sampledFrom");
      } else {
        for (var s : manifest.sources()) {
          insertEdge(manifest.id(), Manifests.datasetId(s.sha256(), s.name()), "sampledFrom");
        }
      }
      for (Manifest.Ancestor a : manifest.parents()) {
        if (a.kind().equals("model")) {
          insertModel(a.id(), a.name(), null, a.sha256(), a.generator(), null, "", null);
          for (String p : a.derivedFrom()) {
            insertEdge(a.id(), p, "trainedOn");
          }
        } else {
          long rows = 0;
          for (var s : manifest.sources()) {
            if (Manifests.datasetId(s.sha256(), s.name()).equals(a.id())) {
              rows = s.rows();
            }
          }
          insertDataset(a.id(), a.name(), null, a.sha256(), "", !a.generator().isEmpty(),
              a.generator(), rows, null, null, "", null);
          for (String p : a.derivedFrom()) {
            insertEdge(a.id(), p, "sampledFrom");
          }
        }
      }
      conn.commit();
    } catch (SQLException e) {
      rollback();
      throw new ErsatzException("cannot record " + manifest.id() + " in the catalog at " + url
          + ": " + firstLine(e.getMessage()), e);
    }
  }

  /**
   * Records a model file and the table it was fitted on, joined by a {@code trainedOn} edge.
   * When the training table is a synthetic output whose manifest still matches it, that
   * manifest is recorded first, so the model's lineage reaches the real sources. Recording the
   * same model twice changes nothing.
   *
   * @param modelFile the model file as written
   * @param provenance the model's provenance (generator, fit seed, the source's fingerprint)
   * @param sourceFile the training table, or null when it is not at hand
   * @return the model's id ({@code m-} and 16 hex digits of the file's SHA-256)
   */
  public String recordModel(Path modelFile, ModelProvenance provenance, Path sourceFile) {
    Objects.requireNonNull(modelFile, "modelFile");
    Objects.requireNonNull(provenance, "provenance");
    String sha = Hashes.sha256(modelFile);
    String modelId = Manifests.modelId(sha);
    SourceInfo src = provenance.source();
    String srcSha = src.sha256().isEmpty() && sourceFile != null
        ? Hashes.sha256(sourceFile) : src.sha256();
    String srcId = Manifests.datasetId(srcSha, src.name());
    if (sourceFile != null && Files.exists(Manifests.manifestPath(sourceFile))) {
      Manifest parent = null;
      try {
        parent = Manifests.read(sourceFile);
      } catch (ErsatzException e) {
        LOG.warn("the manifest beside {} is unreadable, recording it as a plain source: {}",
            sourceFile.getFileName(), firstLine(e.getMessage()));
      }
      if (parent != null && parent.primaryOutput().sha256().equals(srcSha)) {
        record(parent, sourceFile);
      }
    }
    try {
      insertDataset(srcId, src.name(), sourceFile == null ? null
              : sourceFile.toAbsolutePath().normalize().toString(), srcSha, src.schemaSha256(),
          false, "", src.rows(), null, null, "", null);
      insertModel(modelId, modelFile.getFileName().toString(),
          modelFile.toAbsolutePath().normalize().toString(), sha, provenance.generator(),
          provenance.seed(), provenance.createdAt() == null ? "" : provenance.createdAt(),
          dpEpsilon(provenance));
      insertEdge(modelId, srcId, "trainedOn");
      conn.commit();
    } catch (SQLException e) {
      rollback();
      throw new ErsatzException("cannot record model " + modelId + " in the catalog at " + url
          + ": " + firstLine(e.getMessage()), e);
    }
    return modelId;
  }

  /**
   * Where the table a model was trained on was read from, when the catalog knows it and the
   * file is still there (it may have changed since; compare hashes before trusting it).
   *
   * @param modelId the model's id
   * @return the training file's path
   */
  public Optional<Path> trainingFile(String modelId) {
    try (PreparedStatement ps = conn.prepareStatement("SELECT d.path FROM ersatz_edge e JOIN"
        + " ersatz_dataset d ON d.id = e.parent_id WHERE e.child_id = ? AND e.relation ="
        + " 'trainedOn' AND d.path IS NOT NULL ORDER BY d.id")) {
      ps.setString(1, modelId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Path p = Path.of(rs.getString(1));
          if (Files.isRegularFile(p)) {
            return Optional.of(p);
          }
        }
      }
      return Optional.empty();
    } catch (SQLException e) {
      throw new ErsatzException("catalog lookup failed at " + url + ": "
          + firstLine(e.getMessage()), e);
    }
  }

  private void rollback() {
    try {
      conn.rollback();
    } catch (SQLException ignored) {
      // the original failure is the one worth reporting
    }
  }

  private boolean exists(String table, String id) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM " + table + " WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private void insertDataset(String id, String name, String path, String sha, String schemaSha,
      boolean synthetic, String generator, long rows, Long seed, Double eps, String createdAt,
      String manifestJson) throws SQLException {
    if (exists("ersatz_dataset", id)) {
      if (manifestJson != null) {
        // A dataset first seen as someone's source is now recorded with its own manifest.
        try (PreparedStatement ps = conn.prepareStatement("UPDATE ersatz_dataset SET path = ?,"
            + " schema_sha256 = ?, synthetic = ?, generator = ?, row_count = ?, seed = ?,"
            + " epsilon = ?, created_at = ?, manifest_json = ? WHERE id = ?")) {
          ps.setString(1, path);
          ps.setString(2, schemaSha);
          ps.setBoolean(3, synthetic);
          ps.setString(4, generator);
          ps.setLong(5, rows);
          setLong(ps, 6, seed);
          setDouble(ps, 7, eps);
          ps.setString(8, createdAt);
          ps.setString(9, manifestJson);
          ps.setString(10, id);
          ps.executeUpdate();
        }
      } else if (path != null) {
        // A dataset first seen as an ancestor (path unknown) is now met as a file.
        try (PreparedStatement ps = conn.prepareStatement(
            "UPDATE ersatz_dataset SET path = ? WHERE id = ? AND path IS NULL")) {
          ps.setString(1, path);
          ps.setString(2, id);
          ps.executeUpdate();
        }
      }
      return;
    }
    try (PreparedStatement ps = conn.prepareStatement("INSERT INTO ersatz_dataset (id, name,"
        + " path, sha256, schema_sha256, synthetic, generator, row_count, seed, epsilon,"
        + " created_at, manifest_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, name);
      ps.setString(3, path);
      ps.setString(4, sha);
      ps.setString(5, schemaSha);
      ps.setBoolean(6, synthetic);
      ps.setString(7, generator);
      ps.setLong(8, rows);
      setLong(ps, 9, seed);
      setDouble(ps, 10, eps);
      ps.setString(11, createdAt);
      ps.setString(12, manifestJson);
      ps.executeUpdate();
    }
  }

  /**
   * The epsilon a model spent, when its provenance says it is differentially private
   * ({@code dp = true}); null otherwise (also for a DP generator run with reproducible noise).
   */
  static Double dpEpsilon(ModelProvenance provenance) {
    Map<String, Object> p = provenance.privacy();
    return Boolean.TRUE.equals(p.get("dp")) && p.get("epsilon") instanceof Number n
        ? n.doubleValue() : null;
  }

  private void insertModel(String id, String name, String path, String sha, String generator,
      Long fitSeed, String createdAt, Double eps) throws SQLException {
    if (exists("ersatz_model", id)) {
      if (path != null) {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE ersatz_model SET path = ?,"
            + " fit_seed = ?, created_at = ?, epsilon = COALESCE(?, epsilon) WHERE id = ?")) {
          ps.setString(1, path);
          setLong(ps, 2, fitSeed);
          ps.setString(3, createdAt);
          setDouble(ps, 4, eps);
          ps.setString(5, id);
          ps.executeUpdate();
        }
      }
      return;
    }
    try (PreparedStatement ps = conn.prepareStatement("INSERT INTO ersatz_model (id, name, path,"
        + " sha256, generator, fit_seed, created_at, epsilon) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, name);
      ps.setString(3, path);
      ps.setString(4, sha);
      ps.setString(5, generator);
      setLong(ps, 6, fitSeed);
      ps.setString(7, createdAt);
      setDouble(ps, 8, eps);
      ps.executeUpdate();
    }
  }

  private void insertEdge(String child, String parent, String relation) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT 1 FROM ersatz_edge WHERE child_id = ? AND parent_id = ?")) {
      ps.setString(1, child);
      ps.setString(2, parent);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    try (PreparedStatement ps = conn.prepareStatement(
        "INSERT INTO ersatz_edge (child_id, parent_id, relation) VALUES (?, ?, ?)")) {
      ps.setString(1, child);
      ps.setString(2, parent);
      ps.setString(3, relation);
      ps.executeUpdate();
    }
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  /**
   * Finds a node by id, by content hash, or by file (whose SHA-256 is looked up).
   *
   * @param fileOrId an id ({@code d-...}, {@code m-...}), a SHA-256, or a path to a file
   * @return the node's id, if known
   */
  public Optional<String> resolve(String fileOrId) {
    try {
      for (String table : List.of("ersatz_dataset", "ersatz_model")) {
        if (exists(table, fileOrId)) {
          return Optional.of(fileOrId);
        }
      }
      String sha = fileOrId;
      Path p = Path.of(fileOrId);
      if (Files.isRegularFile(p)) {
        sha = Hashes.sha256(p);
      }
      for (String table : List.of("ersatz_dataset", "ersatz_model")) {
        try (PreparedStatement ps = conn.prepareStatement(
            "SELECT id FROM " + table + " WHERE sha256 = ? ORDER BY id")) {
          ps.setString(1, sha);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              return Optional.of(rs.getString(1));
            }
          }
        }
      }
      return Optional.empty();
    } catch (SQLException e) {
      throw new ErsatzException("catalog lookup failed at " + url + ": "
          + firstLine(e.getMessage()), e);
    } catch (java.nio.file.InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** The node with {@code id}, if recorded. */
  public Optional<LineageGraph.Node> node(String id) {
    try {
      try (PreparedStatement ps = conn.prepareStatement("SELECT name, sha256, generator,"
          + " synthetic, row_count, seed, epsilon, created_at FROM ersatz_dataset WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            long seed = rs.getLong(6);
            Long s = rs.wasNull() ? null : seed;
            double eps = rs.getDouble(7);
            Double e = rs.wasNull() ? null : eps;
            return Optional.of(new LineageGraph.Node("dataset", id, rs.getString(1),
                rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getLong(5), s, e,
                rs.getString(8)));
          }
        }
      }
      try (PreparedStatement ps = conn.prepareStatement("SELECT name, sha256, generator,"
          + " fit_seed, created_at, epsilon FROM ersatz_model WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            long seed = rs.getLong(4);
            Long s = rs.wasNull() ? null : seed;
            double eps = rs.getDouble(6);
            Double e = rs.wasNull() ? null : eps;
            return Optional.of(new LineageGraph.Node("model", id, rs.getString(1),
                rs.getString(2), rs.getString(3), true, 0, s, e, rs.getString(5)));
          }
        }
      }
      return Optional.empty();
    } catch (SQLException e) {
      throw new ErsatzException("catalog lookup failed at " + url + ": "
          + firstLine(e.getMessage()), e);
    }
  }

  /** The edges from {@code childId} to what it was made from. */
  public List<LineageGraph.Edge> parents(String childId) {
    List<LineageGraph.Edge> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("SELECT parent_id, relation FROM"
        + " ersatz_edge WHERE child_id = ? ORDER BY parent_id")) {
      ps.setString(1, childId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new LineageGraph.Edge(childId, rs.getString(1), rs.getString(2)));
        }
      }
    } catch (SQLException e) {
      throw new ErsatzException("catalog lookup failed at " + url + ": "
          + firstLine(e.getMessage()), e);
    }
    return out;
  }

  /** Counts of datasets, models and edges, for status output. */
  public long[] counts() {
    long[] c = new long[3];
    String[] tables = {"ersatz_dataset", "ersatz_model", "ersatz_edge"};
    try {
      for (int i = 0; i < 3; i++) {
        try (PreparedStatement ps = conn.prepareStatement("SELECT COUNT(*) FROM " + tables[i]);
            ResultSet rs = ps.executeQuery()) {
          rs.next();
          c[i] = rs.getLong(1);
        }
      }
    } catch (SQLException e) {
      throw new ErsatzException("catalog count failed at " + url, e);
    }
    return c;
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      LOG.warn("closing the catalog at {} failed: {}", url, firstLine(e.getMessage()));
    }
  }

  @Override
  public String toString() {
    return "Catalog[" + url + "]";
  }
}
