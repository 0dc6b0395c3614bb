package dev.weir.connectors.duckdb;

import dev.weir.sdk.BatchDestination;
import dev.weir.testkit.BatchDestinationConformance;
import dev.weir.testkit.ConnectorHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The DuckDB warehouse runs the test kit's batch conformance suite against a real DuckDB file. The
 * secret check is skipped by the suite: this destination takes no secret.
 */
class DuckDbWarehouseConformanceIT extends BatchDestinationConformance {
  private static Path file(ConnectorHarness harness) {
    return dir(harness, "wh").resolve("warehouse.duckdb");
  }

  @Override
  protected BatchDestination newDestination() {
    return new DuckDbWarehouseDestination();
  }

  @Override
  protected Map<String, Object> settings(ConnectorHarness harness) {
    return Map.of("path", file(harness).toString(), "threads", 1);
  }

  @Override
  protected List<String> loadedInsertIds(ConnectorHarness harness) throws Exception {
    List<String> ids = new ArrayList<>();
    if (!Files.exists(file(harness))) {
      return ids;
    }
    Properties p = new Properties();
    p.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file(harness), p);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT insert_id FROM events")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  /** The database file is overwritten with bytes DuckDB cannot open. */
  @Override
  protected boolean breakBackend(ConnectorHarness harness) throws Exception {
    Files.createDirectories(file(harness).getParent());
    Files.writeString(file(harness), "this is not a DuckDB database file ".repeat(200));
    return true;
  }
}
