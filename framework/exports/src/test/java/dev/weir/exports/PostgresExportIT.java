package dev.weir.exports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.connectors.pgwarehouse.PostgresWarehouseDestination;
import dev.weir.realtime.RealtimeStore;
import dev.weir.sdk.BatchDestination;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.ExportBatch;
import dev.weir.sdk.ExportResult;
import dev.weir.testkit.TestContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler and the postgres-warehouse destination together, against a real PostgreSQL server.
 */
class PostgresExportIT {
  static EmbeddedPostgres pg;
  static AtomicInteger schemas = new AtomicInteger();

  @TempDir Path tmp;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  private static PostgresWarehouseDestination warehouse(String schema) throws Exception {
    PostgresWarehouseDestination d = new PostgresWarehouseDestination();
    Map<String, Object> settings = new HashMap<>();
    settings.put("jdbc_url", pg.getJdbcUrl("postgres", "postgres"));
    settings.put("schema", schema);
    d.start(TestContext.of(d.spec(), settings));
    return d;
  }

  private static List<Object> row(String sql) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      java.util.ArrayList<Object> out = new java.util.ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.add(rs.getObject(i));
      }
      return out;
    }
  }

  private static Set<String> insertIds(String schema) throws Exception {
    Set<String> out = new HashSet<>();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT insert_id FROM " + schema + ".events")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * Commits through the real destination, then "crashes" before the scheduler can checkpoint chunk
   * number n.
   */
  static final class CrashAfterCommit extends BatchDestination {
    final BatchDestination real;
    final int crashOn;
    int calls;

    CrashAfterCommit(BatchDestination real, int crashOn) {
      this.real = real;
      this.crashOn = crashOn;
    }

    @Override
    public ConnectorSpec spec() {
      return real.spec();
    }

    @Override
    public ExportResult export(ExportBatch batch) throws Exception {
      ExportResult r = real.export(batch);
      if (++calls == crashOn) {
        throw new IllegalStateException(
            "process died after the database commit, before the checkpoint");
      }
      return r;
    }
  }

  @Test
  void aCrashBetweenLoadAndCheckpointLeavesNoDuplicateAndNoMissingRowsAfterRestart()
      throws Exception {
    String schema = "crash" + schemas.incrementAndGet();
    Path storeDir = tmp.resolve("store");
    Path state = tmp.resolve("state");
    Set<String> expected = new HashSet<>();
    long chunkedRows;
    try (RealtimeStore store = TestStores.open(storeDir)) {
      TestStores.append(
          store, TestStores.events(0, 300, 0, 10, "purchase", Map.of("amount", 12.5)));
      chunkedRows = TestStores.chunkedRows(store);
      TestStores.chunkedEvents(store).forEach(e -> expected.add(e.insertId()));
      assertThat(store.chunks()).hasSizeGreaterThan(3);
      PostgresWarehouseDestination real = warehouse(schema);
      CrashAfterCommit crashing = new CrashAfterCommit(real, 3);
      try (ExportScheduler s =
          ExportScheduler.builder(store, state).destination("warehouse", crashing).build()) {
        assertThat(s.runOnce()).containsEntry("warehouse", 2);
        assertThat(s.exportedChunks("warehouse")).hasSize(2);
      }
      real.stop();
    }
    // the third chunk's rows are in the database but not in the checkpoint
    assertThat((Long) row("SELECT count(*) FROM " + schema + ".events").get(0)).isGreaterThan(0);

    try (RealtimeStore store =
        TestStores.open(storeDir)) { // restart: store and checkpoints reopened from disk
      PostgresWarehouseDestination real = warehouse(schema);
      try (ExportScheduler s =
          ExportScheduler.builder(store, state).destination("warehouse", real).build()) {
        assertThat(s.runOnce().get("warehouse")).isEqualTo(store.chunks().size() - 2);
      }
      real.stop();
    }
    List<Object> counts =
        row("SELECT count(*), count(DISTINCT insert_id) FROM " + schema + ".events");
    assertThat(counts).containsExactly(chunkedRows, chunkedRows);
    assertThat(insertIds(schema)).isEqualTo(expected);
  }

  @Test
  void chunksWithNewPropertiesEvolveTheTableAndABackfillRestoresLostRowsWithoutDuplicates()
      throws Exception {
    String schema = "evolve" + schemas.incrementAndGet();
    try (RealtimeStore store = TestStores.open(tmp.resolve("store"))) {
      TestStores.append(store, TestStores.events(0, 100, 0, 5, "view", Map.of("plan", "pro")));
      TestStores.append(
          store,
          TestStores.events(100, 100, 5, 5, "view", Map.of("plan", "free", "coupon", "XMAS")));
      PostgresWarehouseDestination real = warehouse(schema);
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state")).destination("wh", real).build()) {
        s.runOnce();
        long rows = TestStores.chunkedRows(store);
        long withCoupon =
            TestStores.chunkedEvents(store).stream()
                .filter(e -> e.eventProperties().containsKey("coupon"))
                .count();
        assertThat(withCoupon).isPositive();
        assertThat(row("SELECT count(*), count(p_coupon) FROM " + schema + ".events"))
            .containsExactly(rows, withCoupon);

        try (Connection c = pg.getPostgresDatabase().getConnection();
            Statement st = c.createStatement()) {
          st.executeUpdate(
              "DELETE FROM "
                  + schema
                  + ".events WHERE \"time\" < to_timestamp("
                  + (TestStores.T0 + 3 * TestStores.MIN) / 1000.0
                  + ")");
        }
        assertThat((Long) row("SELECT count(*) FROM " + schema + ".events").get(0))
            .isLessThan(rows);
        BackfillReport r =
            s.backfill(
                "wh", TestStores.T0, TestStores.T0 + 3 * TestStores.MIN, ExportProgress.NONE);
        assertThat(r.chunks()).isPositive();
        assertThat(row("SELECT count(*), count(DISTINCT insert_id) FROM " + schema + ".events"))
            .containsExactly(rows, rows);
      }
      real.stop();
    }
  }

  @Test
  void refusedRowsReachTheListenerWithTheirEventAndReasonWhileTheRestOfTheChunkLoads()
      throws Exception {
    String schema = "refused" + schemas.incrementAndGet();
    try (RealtimeStore store = TestStores.open(tmp.resolve("store"))) {
      List<Event> events =
          new java.util.ArrayList<>(TestStores.events(0, 60, 0, 3, "view", Map.of("note", "ok")));
      Event bad =
          events.get(5).toBuilder().eventProperties(Map.of("note", "nul\u0000byte")).build();
      events.set(5, bad);
      TestStores.append(store, events);
      List<String> dead = new java.util.concurrent.CopyOnWriteArrayList<>();
      PostgresWarehouseDestination real = warehouse(schema);
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state"))
              .destination("wh", real)
              .listener(
                  new ExportListener() {
                    @Override
                    public void rejected(
                        String destination,
                        String chunkId,
                        long index,
                        Event event,
                        String reason) {
                      dead.add(event.insertId() + " " + reason);
                    }
                  })
              .build()) {
        s.runOnce();
      }
      real.stop();
      long rows = TestStores.chunkedRows(store);
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0)).startsWith("id5 ").contains("0x00");
      assertThat((Long) row("SELECT count(*) FROM " + schema + ".events").get(0))
          .isEqualTo(rows - 1);
    }
  }
}
