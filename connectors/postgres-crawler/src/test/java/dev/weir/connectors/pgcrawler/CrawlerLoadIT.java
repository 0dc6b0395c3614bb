package dev.weir.connectors.pgcrawler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testkit.ConnectorHarness;
import dev.weir.testkit.TestSourceContext;
import dev.weir.testkit.WeirConnectorTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A load run, not a test of speed: crawls N rows into the test kit's in-memory store and prints
 * rows/s, beside a same-run baseline (one plain JDBC SELECT of the same rows). Enabled with {@code
 * -Dweir.load=true}; see docs/benchmarks.md (example plugins). Asserts only that every row arrived.
 */
@WeirConnectorTest
@EnabledIfSystemProperty(named = "weir.load", matches = "true")
class CrawlerLoadIT {
  @Test
  void crawlsEveryRowOfALargeTable(ConnectorHarness harness) throws Exception {
    int rows = Integer.getInteger("weir.load.rows", 200_000);
    int batch = Integer.getInteger("weir.load.batch", 1000);
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE load (id bigint PRIMARY KEY, customer text, plan text, seats int,"
                + " updated_at timestamptz NOT NULL)");
        s.execute(
            "INSERT INTO load SELECT g, 'cust-' || g, 'pro', g % 50, timestamptz '2026-01-01' + g * interval '1 ms'"
                + " FROM generate_series(1, "
                + rows
                + ") g");
        s.execute("CREATE INDEX ON load (updated_at, id)");
        s.execute("ANALYZE load");
      }
      long base0 = System.nanoTime();
      long seen = 0;
      try (Connection c = pg.getPostgresDatabase().getConnection()) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.setFetchSize(batch);
          try (ResultSet rs = s.executeQuery("SELECT * FROM load ORDER BY updated_at, id")) {
            while (rs.next()) {
              rs.getObject(1);
              rs.getObject(2);
              rs.getObject(3);
              rs.getObject(4);
              rs.getObject(5);
              seen++;
            }
          }
        }
      }
      double baseSeconds = (System.nanoTime() - base0) / 1e9;

      long t0 = System.nanoTime();
      TestSourceContext ctx =
          harness.start(
              new PostgresCrawlerSource(),
              Map.of(
                  "jdbc_url",
                  "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
                  "user",
                  "postgres",
                  "password",
                  "x",
                  "table",
                  "load",
                  "batch_size",
                  batch,
                  "poll_interval_ms",
                  1000));
      ctx.awaitStored(rows, Duration.ofMinutes(10));
      double crawlSeconds = (System.nanoTime() - t0) / 1e9;

      assertThat(seen).isEqualTo(rows);
      System.out.printf(
          "LOAD crawler rows=%d batch=%d: crawler %.2f s (%.0f rows/s, submit+cursor per page);"
              + " baseline plain SELECT %.2f s (%.0f rows/s)%n",
          rows, batch, crawlSeconds, rows / crawlSeconds, baseSeconds, rows / baseSeconds);
    }
  }
}
