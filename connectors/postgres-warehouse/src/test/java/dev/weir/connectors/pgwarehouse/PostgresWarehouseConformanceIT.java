package dev.weir.connectors.pgwarehouse;

import dev.weir.sdk.BatchDestination;
import dev.weir.testkit.BatchDestinationConformance;
import dev.weir.testkit.ConnectorHarness;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The PostgreSQL warehouse runs the test kit's batch conformance suite against a real (embedded)
 * PostgreSQL, a fresh database per check; a broken backend is a database that refuses connections.
 */
class PostgresWarehouseConformanceIT extends BatchDestinationConformance {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres pg;
  private String database;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @BeforeEach
  void freshDatabase() throws Exception {
    database = "wh_" + DATABASES.incrementAndGet();
    exec("CREATE DATABASE " + database);
  }

  private static void exec(String sql) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  protected BatchDestination newDestination() {
    return new PostgresWarehouseDestination();
  }

  @Override
  protected Map<String, Object> settings(ConnectorHarness harness) {
    return Map.of(
        "jdbc_url",
        "jdbc:postgresql://localhost:" + pg.getPort() + "/" + database,
        "user",
        "postgres",
        "password",
        "wh-s3cr3t-pw");
  }

  @Override
  protected List<String> loadedInsertIds(ConnectorHarness harness) throws Exception {
    List<String> ids = new ArrayList<>();
    try (Connection c = pg.getDatabase("postgres", database).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT insert_id FROM public.events")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    } catch (java.sql.SQLException noTableYet) {
      if (!"42P01".equals(noTableYet.getSQLState())) {
        throw noTableYet;
      }
    }
    return ids;
  }

  /** The database refuses new connections and its open ones are ended. */
  @Override
  protected boolean breakBackend(ConnectorHarness harness) throws Exception {
    exec("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
    exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
            + database
            + "'");
    return true;
  }
}
