package dev.weir.connectors.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sdk.Event;
import dev.weir.sdk.ExportBatch;
import dev.weir.testkit.TestContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DuckDB warehouse against a real DuckDB file: exactly once per chunk, lossless, readable. */
class DuckDbWarehouseIT {
  static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;
  DuckDbWarehouseDestination dest;

  @AfterEach
  void stop() {
    if (dest != null) {
      dest.stop();
    }
  }

  Path file() {
    return dir.resolve("wh/warehouse.duckdb");
  }

  DuckDbWarehouseDestination start(Map<String, Object> extra) throws Exception {
    dest = new DuckDbWarehouseDestination();
    Map<String, Object> settings = new java.util.HashMap<>(Map.of("path", file().toString()));
    settings.putAll(extra);
    dest.start(TestContext.of(dest.spec(), settings));
    return dest;
  }

  static Event event(int i) {
    return Event.builder()
        .eventType(i % 2 == 0 ? "view" : "Order Completed")
        .userId("u" + (i % 7))
        .insertId("id" + i)
        .sourceId("web")
        .time(T0 + i * 1000L)
        .uploadTime(T0 + i * 1000L + 5)
        .revenue(i % 2 == 0 ? null : 9.5)
        .eventProperties(Map.of("plan", "pro", "n", i, "tags", List.of("a", "b")))
        .build();
  }

  static List<Event> events(int from, int to) {
    List<Event> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(event(i));
    }
    return out;
  }

  /** A chunk as the export scheduler hands it over; optionally its reader fails after n rows. */
  record Chunk(String id, List<Event> events, int failAfter) implements ExportBatch {
    Chunk(String id, List<Event> events) {
      this(id, events, -1);
    }

    @Override
    public int partition() {
      return 0;
    }

    @Override
    public long rowCount() {
      return events.size();
    }

    @Override
    public long minTime() {
      return events.stream().mapToLong(Event::time).min().orElse(0);
    }

    @Override
    public long maxTime() {
      return events.stream().mapToLong(Event::time).max().orElse(0);
    }

    @Override
    public Iterator<Event> rows() {
      Iterator<Event> it = events.iterator();
      return new Iterator<>() {
        int n;

        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Event next() {
          if (failAfter >= 0 && n++ == failAfter) {
            throw new IllegalStateException("chunk file truncated at row " + failAfter);
          }
          return it.next();
        }
      };
    }
  }

  /** Reads the file as an analyst would, with a separate read-only connection. */
  List<List<Object>> query(String sql) throws Exception {
    Properties p = new Properties();
    p.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file(), p);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  long count(String where) throws Exception {
    return ((Number) query("SELECT count(*) FROM events " + where).get(0).get(0)).longValue();
  }

  @Test
  void exportingTheSameChunkAgainLeavesExactlyOneCopyOfItsRows() throws Exception {
    start(Map.of());
    Chunk chunk = new Chunk("p0-0", events(0, 50));
    assertThat(dest.export(chunk).loaded()).isEqualTo(50);
    assertThat(dest.export(chunk).loaded()).isEqualTo(50);
    assertThat(count("")).isEqualTo(50);
    assertThat(query("SELECT count(DISTINCT insert_id) FROM events").get(0).get(0)).isEqualTo(50L);
  }

  @Test
  void aChunkWhoseExportFailsHalfWayLeavesNothingAndItsRetryLoadsItOnce() throws Exception {
    start(Map.of());
    dest.export(new Chunk("p0-0", events(0, 10)));
    assertThatThrownBy(() -> dest.export(new Chunk("p0-1", events(10, 30), 15)))
        .hasMessageContaining("truncated");
    assertThat(count("")).isEqualTo(10);
    assertThat(dest.health().status().name()).isNotEqualTo("UP");
    assertThat(dest.export(new Chunk("p0-1", events(10, 30))).loaded()).isEqualTo(20);
    assertThat(count("")).isEqualTo(30);
    assertThat(dest.health().status().name()).isEqualTo("UP");
  }

  @Test
  void eventsAnEarlierChunkLoadedAreNotLoadedAgainByAnOverlappingChunk() throws Exception {
    start(Map.of());
    dest.export(new Chunk("p0-0", events(0, 20)));
    // a replay produced a chunk that overlaps the first one
    assertThat(dest.export(new Chunk("p1-0", events(15, 25))).loaded()).isEqualTo(5);
    assertThat(count("")).isEqualTo(25);
    assertThat(count("WHERE _chunk_id = 'p1-0'")).isEqualTo(5);
  }

  @Test
  void everyFieldSurvivesTypedOrAsJsonAndTheFileIsReadableBetweenExports() throws Exception {
    start(Map.of("schema", "analytics", "table", "events", "threads", 1, "memory_limit", "256MB"));
    dest.export(new Chunk("p0-0", events(0, 4)));
    // the writer closed the file after committing: a read-only connection opens it
    List<List<Object>> rows =
        query(
            "SELECT event_type, epoch_ms(\"time\"), revenue, event_properties->>'plan',"
                + " CAST(json_array_length(event_properties->'tags') AS INTEGER), event->>'insert_id'"
                + " FROM analytics.events WHERE insert_id = 'id1'");
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).containsExactly("Order Completed", T0 + 1000L, 9.5, "pro", 2, "id1");
    assertThat(query("SELECT count(*) FROM analytics.events WHERE revenue IS NULL").get(0).get(0))
        .isEqualTo(2L);
  }

  @Test
  void eventsWithoutAnIdentityAreKeptPerChunkPosition() throws Exception {
    start(Map.of());
    List<Event> anonymous =
        List.of(
            Event.builder().eventType("ping").time(T0).build(),
            Event.builder().eventType("ping").time(T0).build());
    Chunk chunk = new Chunk("p0-7", anonymous);
    dest.export(chunk);
    dest.export(chunk);
    assertThat(count("WHERE event_type = 'ping'")).isEqualTo(2);
  }

  @Test
  void aMisspelledOrUnsafeTableNameIsRefusedAtStart() {
    dest = new DuckDbWarehouseDestination();
    assertThatThrownBy(
            () ->
                dest.start(
                    TestContext.of(
                        dest.spec(),
                        Map.of("path", file().toString(), "table", "events; DROP TABLE x"))))
        .hasMessageContaining("table");
  }

  @Test
  void aDeletedUsersRowsGoWithTheirDeviceOnlyAndQuarantineRowsAndOtherRowsStay() throws Exception {
    start(Map.of());
    List<Event> rows = new ArrayList<>(events(0, 21)); // u0..u6, 3 each
    rows.add(
        Event.builder()
            .eventType("view")
            .insertId("d1")
            .sourceId("web")
            .deviceId("dev-of-u0")
            .time(T0)
            .build());
    rows.add(
        Event.builder()
            .eventType("view")
            .insertId("d2")
            .sourceId("web")
            .deviceId("dev-of-u3")
            .time(T0)
            .build());
    rows.add(
        Event.builder()
            .eventType("view")
            .insertId("q1")
            .sourceId("web:quarantine")
            .userId("u0")
            .time(T0)
            .build());
    rows.add(
        Event.builder()
            .eventType("view")
            .insertId("a1")
            .sourceId("app")
            .userId("u0")
            .time(T0)
            .build());
    dest.export(new Chunk("p0-0", rows));
    assertThat(count("")).isEqualTo(25);

    assertThat(dest.deletesUsers()).isTrue();
    long deleted =
        dest.deleteUser(
            new dev.weir.sdk.UserDeletion("del-1", "web", "u0", java.util.Set.of("dev-of-u0")));

    // u0's 3 rows, the device-only row of its device, its quarantine copy
    assertThat(deleted).isEqualTo(5);
    assertThat(
            query("SELECT insert_id FROM events WHERE user_id = 'u0' OR device_id = 'dev-of-u0'"))
        .as("only the other source's row of u0 stays")
        .containsExactly(List.of("a1"));
    assertThat(count("")).isEqualTo(20);
    // the file stays writable: the next export after the deletion commits
    assertThat(dest.export(new Chunk("p0-1", events(30, 32))).loaded()).isEqualTo(2);
  }
}
