package dev.weir.connectors.pgsink;

import dev.weir.sdk.StreamingDestination;
import dev.weir.testkit.ConnectorHarness;
import dev.weir.testkit.StreamingDestinationConformance;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

/**
 * The postgres-sink destination runs the test kit's conformance suite against a real PostgreSQL.
 */
class PostgresSinkConformanceIT extends StreamingDestinationConformance {
  private String url;

  @BeforeEach
  void freshDatabase() throws Exception {
    url = Pg.newDatabase();
  }

  @Override
  protected StreamingDestination newDestination() {
    return new PostgresSinkDestination();
  }

  @Override
  protected Map<String, Object> settings(ConnectorHarness harness) {
    return Map.of(
        "jdbc_url", url, "user", "postgres", "password", "sink-s3cr3t-pw", "table", "events");
  }

  @Override
  protected boolean breakBackend(ConnectorHarness harness) {
    try {
      Pg.takeDown(Pg.databaseOf(url));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return true;
  }

  @Override
  protected Optional<Set<String>> receivedInsertIds(ConnectorHarness harness) throws Exception {
    return Optional.of(
        new HashSet<>(Pg.column(Pg.databaseOf(url), "SELECT insert_id FROM events")));
  }
}
