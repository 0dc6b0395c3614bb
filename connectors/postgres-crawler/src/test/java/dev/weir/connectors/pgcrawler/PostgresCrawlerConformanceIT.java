package dev.weir.connectors.pgcrawler;

import dev.weir.sdk.SourceConnector;
import dev.weir.testkit.ConnectorHarness;
import dev.weir.testkit.SourceConformance;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The postgres-crawler runs the test kit's source conformance suite against a real (embedded)
 * PostgreSQL with a password: a fresh table per check, each record one row with a later {@code
 * updated_at}.
 */
class PostgresCrawlerConformanceIT extends SourceConformance {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static EmbeddedPostgres pg;
  private String table;
  private int rows;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgres.builder().start();
    sql("ALTER USER postgres PASSWORD 'crawl-s3cr3t-pw'");
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @BeforeEach
  void freshTable() throws Exception {
    table = "accounts_" + TABLES.incrementAndGet();
    sql(
        "CREATE TABLE "
            + table
            + " (id bigint PRIMARY KEY, account text, updated_at timestamptz NOT NULL)");
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Override
  protected SourceConnector newSource() {
    return new PostgresCrawlerSource();
  }

  @Override
  protected Map<String, Object> settings(ConnectorHarness harness) {
    return Map.of(
        "jdbc_url",
        "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
        "user",
        "postgres",
        "password",
        "crawl-s3cr3t-pw",
        "table",
        table,
        "poll_interval_ms",
        50,
        "event_type",
        "account_updated",
        "mapping",
        Map.of("user_id", "account"));
  }

  @Override
  protected void addRecords(ConnectorHarness harness, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      int k = ++rows;
      sql(
          "INSERT INTO "
              + table
              + " VALUES ("
              + k
              + ", 'acct-"
              + k
              + "', TIMESTAMPTZ '2026-01-01 00:00:00+00' + INTERVAL '"
              + k
              + " seconds')");
    }
  }
}
