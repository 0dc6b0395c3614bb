package dev.weir.connectors.pgsink;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL per test JVM, with a fresh database per test so that breaking one breaks
 * no other.
 */
final class Pg {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private Pg() {}

  static synchronized EmbeddedPostgres server() throws Exception {
    if (server == null) {
      server = EmbeddedPostgres.builder().start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (Exception ignored) {
                      // JVM exiting
                    }
                  }));
    }
    return server;
  }

  /** Creates a new database and returns its JDBC URL. */
  static String newDatabase() throws Exception {
    String name = "sink_" + DATABASES.incrementAndGet();
    exec("postgres", "CREATE DATABASE " + name);
    return "jdbc:postgresql://localhost:" + server().getPort() + "/" + name;
  }

  static void exec(String database, String sql) throws Exception {
    try (Connection c = server().getDatabase("postgres", database).getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static List<String> column(String database, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = server().getDatabase("postgres", database).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * Refuses new connections to the database and ends the open ones: an outage as the destination
   * sees it.
   */
  static void takeDown(String database) throws Exception {
    exec("postgres", "ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
    exec(
        "postgres",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
            + database
            + "'");
  }

  static String databaseOf(String jdbcUrl) {
    return jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
  }
}
