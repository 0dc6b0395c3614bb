package dev.weir.connectors.pgcrawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.sdk.Event;
import dev.weir.sdk.Health;
import dev.weir.testkit.ConnectorHarness;
import dev.weir.testkit.SettingsCheck;
import dev.weir.testkit.TestContext;
import dev.weir.testkit.TestSourceContext;
import dev.weir.testkit.WeirConnectorTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WeirConnectorTest
class PostgresCrawlerSourceIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static EmbeddedPostgres pg;
  private String table;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgres.builder().start();
    sql("ALTER USER postgres PASSWORD 'pg-s3cr3t-pw'");
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @BeforeEach
  void freshTable() throws Exception {
    table = "customers_" + TABLES.incrementAndGet();
    sql(
        "CREATE TABLE "
            + table
            + " (id bigint PRIMARY KEY, customer text, plan text, seats int,"
            + " updated_at timestamptz NOT NULL)");
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private void insertRows(int from, int to, String updatedAt) throws Exception {
    for (int i = from; i <= to; i++) {
      sql(
          "INSERT INTO "
              + table
              + " VALUES ("
              + i
              + ", 'cust-"
              + i
              + "', 'pro', "
              + i
              + ", '"
              + updatedAt
              + "')");
    }
  }

  private Map<String, Object> settings(Map<String, ?> extra) {
    Map<String, Object> s =
        new HashMap<>(
            Map.of(
                "jdbc_url",
                "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
                "user",
                "postgres",
                "password",
                "pg-s3cr3t-pw",
                "table",
                table,
                "poll_interval_ms",
                50,
                "event_type",
                "customer_updated",
                "mapping",
                Map.of("user_id", "customer")));
    s.putAll(extra);
    return s;
  }

  @Test
  void rowsBecomeEventsWithMappedFieldsAndTheCursorIsPersisted(ConnectorHarness harness)
      throws Exception {
    insertRows(1, 3, "2026-01-02 03:04:05.123456+00");
    TestSourceContext ctx = harness.start(new PostgresCrawlerSource(), settings(Map.of()));

    List<Event> events = ctx.awaitStored(3, WAIT);

    Event first = events.get(0);
    assertThat(first.eventType()).isEqualTo("customer_updated");
    assertThat(first.userId()).isEqualTo("cust-1");
    assertThat(first.time())
        .isEqualTo(java.time.Instant.parse("2026-01-02T03:04:05.123456Z").toEpochMilli());
    assertThat(first.insertId()).isEqualTo(table + ":1:1767323045123456");
    assertThat(first.eventProperties())
        .containsEntry("plan", "pro")
        .containsEntry("seats", 1)
        .containsKeys("id", "updated_at")
        .doesNotContainKey("customer");
    assertThat(first.sourceId()).isEqualTo("test-connection");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(ctx.stateSnapshot().get("cursor"))
                    .contains("\"id\":3")
                    .contains("2026-01-02T03:04:05.123456Z"));
  }

  @Test
  void rowsSharingOneTimestampAreAllReadAcrossPageBoundaries(ConnectorHarness harness)
      throws Exception {
    insertRows(1, 10, "2026-01-01 00:00:00+00");
    TestSourceContext ctx =
        harness.start(new PostgresCrawlerSource(), settings(Map.of("batch_size", 3)));

    List<Event> events = ctx.awaitStored(10, WAIT);

    assertThat(events)
        .extracting(Event::userId)
        .containsExactly(
            "cust-1", "cust-2", "cust-3", "cust-4", "cust-5", "cust-6", "cust-7", "cust-8",
            "cust-9", "cust-10");
    assertThat(ctx.submissions()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void anUpdatedRowIsANewEventAndUnchangedRowsAreNotReadAgain(ConnectorHarness harness)
      throws Exception {
    insertRows(1, 2, "2026-01-01 00:00:00+00");
    TestSourceContext ctx = harness.start(new PostgresCrawlerSource(), settings(Map.of()));
    ctx.awaitStored(2, WAIT);

    sql(
        "UPDATE "
            + table
            + " SET plan = 'enterprise', updated_at = '2026-01-03 00:00:00+00' WHERE id = 1");

    List<Event> events = ctx.awaitStored(3, WAIT);
    assertThat(events.get(2).userId()).isEqualTo("cust-1");
    assertThat(events.get(2).eventProperties()).containsEntry("plan", "enterprise");
    assertThat(events.get(2).insertId()).isNotEqualTo(events.get(0).insertId());
    assertThat(ctx.stored()).hasSize(3);
  }

  @Test
  void aRestartResumesFromThePersistedCursor(ConnectorHarness harness) throws Exception {
    insertRows(1, 4, "2026-01-01 00:00:00+00");
    PostgresCrawlerSource first = new PostgresCrawlerSource();
    TestSourceContext before = harness.start(first, settings(Map.of()));
    before.awaitStored(4, WAIT);
    await()
        .atMost(WAIT)
        .until(() -> before.stateSnapshot().getOrDefault("cursor", "").contains("\"id\":4"));
    harness.stop(first);

    insertRows(5, 6, "2026-01-02 00:00:00+00");
    TestSourceContext after =
        harness.start(
            new PostgresCrawlerSource(),
            TestContext.builder(first.spec())
                .settings(settings(Map.of()))
                .stateDir(before.stateDir()));

    assertThat(after.awaitStored(2, WAIT))
        .extracting(Event::userId)
        .containsExactly("cust-5", "cust-6");
    await()
        .atMost(WAIT)
        .until(() -> after.stateSnapshot().getOrDefault("cursor", "").contains("\"id\":6"));
    assertThat(after.stored()).hasSize(2);
  }

  @Test
  void whenTheStoreIsUnavailableTheCursorStaysAndNothingIsLost(ConnectorHarness harness)
      throws Exception {
    insertRows(1, 5, "2026-01-01 00:00:00+00");
    PostgresCrawlerSource source = new PostgresCrawlerSource();
    TestSourceContext ctx =
        TestContext.builder(source.spec())
            .settings(settings(Map.of("batch_size", 2)))
            .stateDir(harness.tempDir().resolve("st"))
            .buildSource();
    ctx.failNextSubmits(3);
    source.start(ctx);
    try {
      assertThat(ctx.awaitStored(5, WAIT))
          .extracting(Event::userId)
          .containsExactly("cust-1", "cust-2", "cust-3", "cust-4", "cust-5");
      assertThat(ctx.submissions()).isGreaterThanOrEqualTo(3 + 3);
      assertThat(ctx.logLines()).anyMatch(l -> l.contains("retrying from the same cursor"));
    } finally {
      source.stop();
    }
  }

  @Test
  void aLoginFailureDegradesHealthWithoutLoggingThePassword(ConnectorHarness harness)
      throws Exception {
    // The embedded server trusts local logins, so an unknown role is what makes the login fail
    // here.
    insertRows(1, 1, "2026-01-01 00:00:00+00");
    PostgresCrawlerSource source = new PostgresCrawlerSource();
    TestSourceContext ctx =
        harness.start(source, settings(Map.of("user", "nobody", "password", "wrong-pa55word")));

    await().atMost(WAIT).until(() -> source.health().status() == Health.Status.DEGRADED);
    assertThat(ctx.stored()).isEmpty();
    assertThat(ctx.logLines())
        .isNotEmpty()
        .noneMatch(l -> l.contains("wrong-pa55word") || l.contains("pg-s3cr3t-pw"));
    assertThat(source.health().detail()).doesNotContain("wrong-pa55word");
  }

  @Test
  void settingsSchemaIsCompleteAndMarksThePasswordSecret() {
    assertThat(SettingsCheck.completenessProblems(new PostgresCrawlerSource().spec())).isEmpty();
    assertThat(SettingsCheck.secretPaths(new PostgresCrawlerSource().spec()))
        .containsExactly("password");
  }
}
