package dev.weir.connectors.pgwarehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import dev.weir.sdk.ExportResult;
import dev.weir.testkit.TestContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresWarehouseIT {
  static final long T0 = 1_700_000_000_000L;
  static EmbeddedPostgres pg;
  static int schemaCounter;
  PostgresWarehouseDestination dest;
  String schema;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @AfterEach
  void stopDestination() {
    if (dest != null) {
      dest.stop();
    }
  }

  private PostgresWarehouseDestination start(String tableMode) throws Exception {
    schema = "s" + (++schemaCounter);
    dest = new PostgresWarehouseDestination();
    Map<String, Object> settings = new HashMap<>();
    settings.put("jdbc_url", pg.getJdbcUrl("postgres", "postgres"));
    settings.put("schema", schema);
    settings.put("table_mode", tableMode);
    dest.start(TestContext.of(dest.spec(), settings));
    return dest;
  }

  static Event event(int i, String type, Map<String, ?> props) {
    return Event.builder()
        .eventType(type)
        .userId("u" + (i % 7))
        .insertId("id" + i)
        .sourceId("web")
        .time(T0 + i * 1000L)
        .uploadTime(T0 + i * 1000L + 5)
        .eventProperties(props)
        .build();
  }

  static List<Event> events(int from, int to, Map<String, ?> props) {
    List<Event> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(event(i, "view", props));
    }
    return out;
  }

  private List<List<Object>> query(String sql) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection();
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

  private long count(String table) throws SQLException {
    return ((Number) query("SELECT count(*) FROM " + schema + "." + table).get(0).get(0))
        .longValue();
  }

  @Test
  void aDeletedUsersRowsGoFromEveryTableWithTheirDeviceOnlyAndQuarantineRowsOthersStay()
      throws Exception {
    start("per_event_type");
    List<Event> rows = new ArrayList<>(events(0, 21, Map.of("plan", "pro"))); // u0..u6, 3 each
    rows.add(event(100, "purchase", Map.of()).toBuilder().userId("u0").build());
    rows.add(event(101, "view", Map.of()).toBuilder().userId(null).deviceId("dev-of-u0").build());
    rows.add(event(102, "view", Map.of()).toBuilder().userId(null).deviceId("dev-of-u3").build());
    rows.add(
        event(103, "view", Map.of()).toBuilder().userId("u0").sourceId("web:quarantine").build());
    rows.add(event(104, "view", Map.of()).toBuilder().userId("u0").sourceId("app").build());
    assertThat(dest.export(new ListBatch("p0-0", rows)).loaded()).isEqualTo(26);

    assertThat(dest.deletesUsers()).isTrue();
    long deleted =
        dest.deleteUser(
            new dev.weir.sdk.UserDeletion("del-1", "web", "u0", java.util.Set.of("dev-of-u0")));

    // u0's 3 views and 1 purchase, the device-only row of its device, its quarantine copy
    assertThat(deleted).isEqualTo(6);
    assertThat(
            query(
                "SELECT insert_id FROM "
                    + schema
                    + ".events_view WHERE user_id = 'u0' OR device_id = 'dev-of-u0'"))
        .as("only the other source's row of u0 stays")
        .containsExactly(List.of("id104"));
    assertThat(count("events_purchase")).isZero();
    assertThat(count("events_view")).isEqualTo(26 - 1 - 5);
  }

  @Test
  void exportingTheSameChunkAgainLeavesExactlyOneCopyOfItsRows() throws Exception {
    start("wide");
    ListBatch chunk = new ListBatch("p0-0", events(0, 50, Map.of("plan", "pro")));
    assertThat(dest.export(chunk).loaded()).isEqualTo(50);
    assertThat(dest.export(chunk).loaded()).isEqualTo(50);
    assertThat(count("events")).isEqualTo(50);
    assertThat(query("SELECT count(DISTINCT insert_id) FROM " + schema + ".events").get(0).get(0))
        .isEqualTo(50L);
  }

  @Test
  void createdTablesHaveTypedColumnsAPrimaryKeyOnTheDedupKeyAndAnIndexOnTime() throws Exception {
    start("per_event_type");
    dest.export(
        new ListBatch(
            "p0-0",
            List.of(
                event(
                    1,
                    "add_to_cart",
                    Map.of(
                        "price", 9.5, "qty", 2, "gift", true, "sku", "A1", "tags", List.of("x"))),
                event(2, "purchase", Map.of("total", 20)))));
    Map<String, String> types = new HashMap<>();
    for (List<Object> r :
        query(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '"
                + schema
                + "' AND table_name = 'events_add_to_cart'")) {
      types.put((String) r.get(0), (String) r.get(1));
    }
    assertThat(types)
        .containsEntry("p_price", "double precision")
        .containsEntry("p_qty", "bigint")
        .containsEntry("p_gift", "boolean")
        .containsEntry("p_sku", "text")
        .containsEntry("p_tags", "jsonb")
        .containsEntry("time", "timestamp with time zone")
        .containsEntry("_rejected", "jsonb");
    assertThat(
            query(
                    "SELECT indexdef FROM pg_indexes WHERE schemaname = '"
                        + schema
                        + "' AND tablename = 'events_add_to_cart'")
                .toString())
        .contains("UNIQUE INDEX events_add_to_cart_pkey", "(_dedup_key)", "(\"time\")");
    assertThat(count("events_add_to_cart")).isEqualTo(1);
    assertThat(count("events_purchase")).isEqualTo(1);
    assertThat(query("SELECT p_total FROM " + schema + ".events_purchase").get(0).get(0))
        .isEqualTo(20L);
  }

  @Test
  void newPropertiesInALaterChunkBecomeNewColumnsAndEarlierRowsKeepNulls() throws Exception {
    start("wide");
    dest.export(new ListBatch("p0-0", events(0, 10, Map.of("plan", "pro"))));
    dest.export(
        new ListBatch(
            "p0-10", events(10, 20, Map.of("plan", "free", "coupon", "XMAS", "amount", 3.25))));
    assertThat(
            query("SELECT count(*) FROM " + schema + ".events WHERE p_coupon IS NULL")
                .get(0)
                .get(0))
        .isEqualTo(10L);
    assertThat(
            query(
                    "SELECT p_coupon, p_amount, p_plan FROM "
                        + schema
                        + ".events WHERE insert_id = 'id15'")
                .get(0))
        .containsExactly("XMAS", 3.25, "free");
  }

  @Test
  void aValueOfTheWrongTypeGoesToTheRejectedColumnAndTheRowStillLoads() throws Exception {
    start("wide");
    dest.export(new ListBatch("p0-0", events(0, 5, Map.of("count", 3))));
    ExportResult r =
        dest.export(
            new ListBatch(
                "p0-5",
                List.of(
                    event(5, "view", Map.of("count", "three")),
                    event(6, "view", Map.of("count", 4)))));
    assertThat(r.loaded()).isEqualTo(2);
    assertThat(r.rejected()).isEmpty();
    assertThat(
            query(
                    "SELECT p_count, _rejected::text FROM "
                        + schema
                        + ".events WHERE insert_id = 'id5'")
                .get(0))
        .containsExactly(null, "{\"p_count\": \"three\"}");
    assertThat(query("SELECT p_count FROM " + schema + ".events WHERE insert_id = 'id6'").get(0))
        .containsExactly(4L);
  }

  @Test
  void aRowTheDatabaseRefusesIsBisectedOutWithTheDatabaseErrorAndTheRestLoad() throws Exception {
    start("wide");
    List<Event> rows = events(0, 100, Map.of("note", "fine"));
    rows.set(37, event(37, "view", Map.of("note", "bad\u0000byte")));
    rows.set(80, event(80, "view", Map.of("meta", Map.of("k", "nul\u0000"))));
    ExportResult r = dest.export(new ListBatch("p0-0", rows));
    assertThat(r.loaded()).isEqualTo(98);
    assertThat(r.rejected()).extracting(ExportResult.RejectedRow::index).containsExactly(37L, 80L);
    assertThat(r.rejected().get(0).reason()).contains("database refused the row", "0x00");
    assertThat(count("events")).isEqualTo(98);
    assertThat(
            query("SELECT count(*) FROM " + schema + ".events WHERE insert_id IN ('id37', 'id80')")
                .get(0)
                .get(0))
        .isEqualTo(0L);
  }

  @Test
  void rowsWithoutAnInsertIdAreKeyedByChunkAndPositionSoReExportStillReplacesThem()
      throws Exception {
    start("wide");
    Event noId =
        Event.builder()
            .eventType("view")
            .deviceId("d1")
            .sourceId("web")
            .time(T0)
            .uploadTime(T0)
            .build();
    ListBatch chunk = new ListBatch("p1-7", List.of(noId, noId));
    dest.export(chunk);
    dest.export(chunk);
    assertThat(count("events")).isEqualTo(2);
  }
}
