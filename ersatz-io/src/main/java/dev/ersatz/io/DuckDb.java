package dev.ersatz.io;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Opens DuckDB connections with the settings Ersatz uses (bounded memory, few threads). */
final class DuckDb {
  /** DuckDB's memory limit; above it DuckDB spills to disk. */
  static final String MEMORY_LIMIT = "512MB";

  private DuckDb() {}

  /** A connection to a database file, or to an in-memory database when {@code file} is null. */
  static Connection connect(Path file) throws SQLException {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
    } catch (ClassNotFoundException e) {
      throw new SQLException("the DuckDB JDBC driver is not on the class path", e);
    }
    Connection c = DriverManager.getConnection(
        file == null ? "jdbc:duckdb:" : "jdbc:duckdb:" + file.toAbsolutePath());
    try (Statement st = c.createStatement()) {
      st.execute("SET memory_limit = '" + MEMORY_LIMIT + "'");
      st.execute("SET threads = " + Math.max(1, Math.min(4,
          Runtime.getRuntime().availableProcessors())));
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }
}
