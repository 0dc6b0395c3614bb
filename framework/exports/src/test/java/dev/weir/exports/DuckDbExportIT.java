package dev.weir.exports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.connectors.duckdb.DuckDbWarehouseDestination;
import dev.weir.realtime.RealtimeStore;
import dev.weir.testkit.TestContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export scheduler and the duckdb-warehouse destination together, on a real store and a real
 * DuckDB file: a crash between the database commit and the scheduler's checkpoint leaves, after the
 * restart, every chunked event exactly once.
 */
class DuckDbExportIT {
  @TempDir Path tmp;

  private DuckDbWarehouseDestination warehouse(Path file) throws Exception {
    DuckDbWarehouseDestination d = new DuckDbWarehouseDestination();
    d.start(TestContext.of(d.spec(), Map.of("path", file.toString())));
    return d;
  }

  private static Set<String> insertIds(Path file, long[] rows) throws Exception {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    Set<String> out = new HashSet<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file, ro);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT insert_id FROM events")) {
      while (rs.next()) {
        out.add(rs.getString(1));
        rows[0]++;
      }
    }
    return out;
  }

  @Test
  void aCrashBetweenLoadAndCheckpointLeavesEveryEventExactlyOnceAfterRestart() throws Exception {
    Path storeDir = tmp.resolve("store");
    Path state = tmp.resolve("state");
    Path file = tmp.resolve("wh/warehouse.duckdb");
    Set<String> expected = new HashSet<>();
    long chunkedRows;
    try (RealtimeStore store = TestStores.open(storeDir)) {
      TestStores.append(
          store, TestStores.events(0, 300, 0, 10, "purchase", Map.of("amount", 12.5)));
      chunkedRows = TestStores.chunkedRows(store);
      TestStores.chunkedEvents(store).forEach(e -> expected.add(e.insertId()));
      assertThat(store.chunks()).hasSizeGreaterThan(3);
      PostgresExportIT.CrashAfterCommit crashing =
          new PostgresExportIT.CrashAfterCommit(warehouse(file), 3);
      try (ExportScheduler s =
          ExportScheduler.builder(store, state).destination("warehouse", crashing).build()) {
        assertThat(s.runOnce()).containsEntry("warehouse", 2);
      }
    }
    long[] before = {0};
    assertThat(insertIds(file, before)).isNotEmpty();

    try (RealtimeStore store = TestStores.open(storeDir)) {
      DuckDbWarehouseDestination real = warehouse(file);
      try (ExportScheduler s =
          ExportScheduler.builder(store, state).destination("warehouse", real).build()) {
        assertThat(s.runOnce().get("warehouse")).isEqualTo(store.chunks().size() - 2);
      }
      real.stop();
    }
    long[] rows = {0};
    assertThat(insertIds(file, rows)).isEqualTo(expected);
    assertThat(rows[0]).isEqualTo(chunkedRows);
  }
}
