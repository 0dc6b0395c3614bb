package dev.weir.connectors.pgsink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import dev.weir.sdk.Health;
import dev.weir.sdk.Outcome;
import dev.weir.testkit.ConnectorHarness;
import dev.weir.testkit.Events;
import dev.weir.testkit.TestContext;
import dev.weir.testkit.WeirConnectorTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WeirConnectorTest
class PostgresSinkDestinationIT {
  private String url;
  private String db;

  @BeforeEach
  void freshDatabase() throws Exception {
    url = Pg.newDatabase();
    db = Pg.databaseOf(url);
  }

  private Map<String, Object> settings() {
    return Map.of(
        "jdbc_url", url, "user", "postgres", "password", "pw-123456", "table", "public.events");
  }

  @Test
  void eventsBecomeRowsWithTheWholeEventAsJsonb(ConnectorHarness harness) throws Exception {
    PostgresSinkDestination d = new PostgresSinkDestination();
    TestContext ctx = harness.start(d, settings());
    Event e =
        Events.sample()
            .insertId("ins-1")
            .userId("u-1")
            .eventType("Signed Up")
            .time(1_767_225_600_000L)
            .build();

    assertThat(d.deliver(List.of(e))).containsExactly(Outcome.delivered());

    assertThat(
            Pg.column(
                db,
                "SELECT insert_id || '|' || event_type || '|' || user_id || '|' || "
                    + "(event->'event_properties'->>'sku') || '|' || extract(epoch from event_time)::bigint FROM events"))
        .containsExactly("ins-1|Signed Up|u-1|" + e.eventProperties().get("sku") + "|1767225600");
    assertThat(ctx.metrics().count("rows_upserted")).isEqualTo(1);
  }

  @Test
  void redeliveringABatchUpdatesRowsInsteadOfDuplicatingThem(ConnectorHarness harness)
      throws Exception {
    PostgresSinkDestination d = new PostgresSinkDestination();
    harness.start(d, settings());
    List<Event> batch = Events.batch(5);
    d.deliver(batch);
    Event changed = batch.get(0).toBuilder().eventType("Refunded").build();

    assertThat(d.deliver(List.of(changed, batch.get(1)))).containsOnly(Outcome.delivered());

    assertThat(Pg.column(db, "SELECT count(*) FROM events")).containsExactly("5");
    assertThat(
            Pg.column(
                db, "SELECT event_type FROM events WHERE insert_id = '" + changed.insertId() + "'"))
        .containsExactly("Refunded");
  }

  @Test
  void anEventTheDatabaseRefusesIsRejectedWhileItsNeighboursAreStored(ConnectorHarness harness)
      throws Exception {
    PostgresSinkDestination d = new PostgresSinkDestination();
    harness.start(d, settings());
    Event bad = Events.sample().eventProperties(Map.of("note", "nul \u0000 inside")).build();
    List<Event> batch = List.of(Events.sample().build(), bad, Events.sample().build());

    List<Outcome> outcomes = d.deliver(batch);

    assertThat(outcomes)
        .extracting(Outcome::status)
        .containsExactly(
            Outcome.Status.DELIVERED, Outcome.Status.REJECTED, Outcome.Status.DELIVERED);
    assertThat(outcomes.get(1).reason()).contains("refused by the database");
    assertThat(Pg.column(db, "SELECT insert_id FROM events ORDER BY insert_id"))
        .containsExactlyInAnyOrder(batch.get(0).insertId(), batch.get(2).insertId());
  }

  @Test
  void eventsWithoutAnInsertIdAreKeyedByTheirContent(ConnectorHarness harness) throws Exception {
    PostgresSinkDestination d = new PostgresSinkDestination();
    harness.start(d, settings());
    Event e = Events.sample().insertId(null).build();
    d.deliver(List.of(e));
    d.deliver(List.of(e));
    assertThat(Pg.column(db, "SELECT insert_id FROM events"))
        .hasSize(1)
        .allMatch(id -> id.startsWith("sha256:"));
  }

  @Test
  void anOutageIsRetriedAndShownInHealthThenRecovers(ConnectorHarness harness) throws Exception {
    PostgresSinkDestination d = new PostgresSinkDestination();
    TestContext ctx = harness.start(d, settings());
    d.deliver(Events.batch(1));
    Pg.takeDown(db);

    List<Outcome> during = d.deliver(Events.batch(2));
    assertThat(during).extracting(Outcome::status).containsOnly(Outcome.Status.RETRY);
    assertThat(d.health().status()).isEqualTo(Health.Status.DEGRADED);

    Pg.exec("postgres", "ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
    assertThat(d.deliver(Events.batch(2))).containsOnly(Outcome.delivered());
    assertThat(d.health()).isEqualTo(Health.up());
    assertThat(ctx.logLines()).noneMatch(l -> l.contains("pw-123456"));
  }
}
