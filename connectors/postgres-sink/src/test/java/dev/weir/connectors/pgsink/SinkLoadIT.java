package dev.weir.connectors.pgsink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.testkit.ConnectorHarness;
import dev.weir.testkit.Events;
import dev.weir.testkit.WeirConnectorTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A load run, not a test of speed: delivers N events in batches on one thread and prints events/s,
 * beside a same-run baseline (plain JDBC batch INSERT of the same JSON into an unkeyed jsonb table,
 * no upsert). Enabled with {@code -Dweir.load=true}; see docs/benchmarks.md (example plugins).
 * Asserts only that every event was delivered.
 */
@WeirConnectorTest
@EnabledIfSystemProperty(named = "weir.load", matches = "true")
class SinkLoadIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void deliversEveryEventOfALargeStream(ConnectorHarness harness) throws Exception {
    int total = Integer.getInteger("weir.load.events", 100_000);
    int batchSize = Integer.getInteger("weir.load.batch", 500);
    List<List<Event>> batches = new ArrayList<>();
    for (int i = 0; i < total; i += batchSize) {
      batches.add(Events.batch(Math.min(batchSize, total - i)));
    }
    String url = Pg.newDatabase();

    long b0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, "postgres", "x");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE baseline (event jsonb NOT NULL)");
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO baseline VALUES (?::jsonb)")) {
        for (List<Event> batch : batches) {
          for (Event e : batch) {
            ps.setString(1, JSON.writeValueAsString(e.toMap()));
            ps.addBatch();
          }
          ps.executeBatch();
          c.commit();
        }
      }
    }
    double baseSeconds = (System.nanoTime() - b0) / 1e9;

    PostgresSinkDestination d = new PostgresSinkDestination();
    harness.start(
        d, Map.of("jdbc_url", url, "user", "postgres", "password", "x", "table", "events"));
    long t0 = System.nanoTime();
    long delivered = 0;
    for (List<Event> batch : batches) {
      delivered +=
          d.deliver(batch).stream().filter(o -> o.status() == Outcome.Status.DELIVERED).count();
    }
    double sinkSeconds = (System.nanoTime() - t0) / 1e9;

    assertThat(delivered).isEqualTo(total);
    System.out.printf(
        "LOAD sink events=%d batch=%d: postgres-sink upsert %.2f s (%.0f events/s);"
            + " baseline plain batch INSERT jsonb %.2f s (%.0f events/s)%n",
        total, batchSize, sinkSeconds, total / sinkSeconds, baseSeconds, total / baseSeconds);
  }
}
