package dev.weir.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.definitions.Definition;
import dev.weir.definitions.Definitions;
import dev.weir.definitions.FixtureRunner;
import dev.weir.definitions.LocalContext;
import dev.weir.delivery.DeliveryEngine;
import dev.weir.delivery.DestinationConfig;
import dev.weir.realtime.RealtimeStore;
import dev.weir.sdk.Event;
import dev.weir.sdk.StreamingDestination;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audience syncs end to end: store, sync, durable change log, delivery engine, the example partner
 * definition.
 */
class AudienceSyncIT {
  static final Path EXAMPLES = Path.of("../../portal-config-examples/audiences");
  static final ObjectMapper JSON = new ObjectMapper();

  @StartStop final MockWebServer server = new MockWebServer();

  @TempDir Path tmp;

  /**
   * Members the ad platform holds, as it saw the add and remove calls; the first call is refused
   * with a 503.
   */
  final Set<String> platform = ConcurrentHashMap.newKeySet();

  final AtomicInteger calls = new AtomicInteger();

  static Event event(String user, String type, long time, String id) {
    return Event.builder()
        .eventType(type)
        .userId(user)
        .insertId(id)
        .sourceId("shop")
        .time(time)
        .uploadTime(time)
        .build();
  }

  @Test
  void theExamplePartnerDefinitionPassesItsOwnFixtures() throws Exception {
    Definition def = Definitions.parse(EXAMPLES.resolve("ad-platform-audience.yaml"));
    assertThat(FixtureRunner.run(def))
        .allSatisfy(r -> assertThat(r.passed()).as(r.transcript()).isTrue());
  }

  @Test
  void theExampleAudienceDefinitionsLoad() throws Exception {
    AudienceDefinition a = AudienceDefinition.load(EXAMPLES.resolve("cart-abandoners.yaml"));
    assertThat(a.include().eventType()).isEqualTo("add_to_cart");
    assertThat(a.exclude().eventType()).isEqualTo("purchase");
    assertThat(a.window()).isEqualTo(Duration.ofMinutes(30));
    assertThat(
            AudienceDefinition.load(EXAMPLES.resolve("high-value-browsers.yaml"))
                .include()
                .filters())
        .hasSize(2);
  }

  @Test
  void addsAndRemovesTheRightUsersAsEventsArriveVerifiedAtTheAdPlatform() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (calls.incrementAndGet() == 1) {
              return new MockResponse.Builder().code(503).build(); // retried by the delivery engine
            }
            try {
              JsonNode body = JSON.readTree(request.getBody().utf8());
              String path = request.getUrl().encodedPath();
              for (JsonNode m : body.get("members")) {
                if (path.endsWith("members:add")) {
                  platform.add(m.get("external_id").asText());
                } else if (path.endsWith("members:remove")) {
                  platform.remove(m.get("external_id").asText());
                }
              }
              assertThat(request.getHeaders().get("X-Api-Key")).isEqualTo("key-123");
            } catch (Exception | AssertionError e) {
              return new MockResponse.Builder().code(400).body(e.toString()).build();
            }
            return new MockResponse.Builder().code(200).body("{}").build();
          }
        });
    // the delivery engine judges retention by the real clock, so the store holds events of the last
    // minutes and the
    // sync's clock runs in real time, moved forward by hand to let the window pass
    long t0 = System.currentTimeMillis() - 10 * TestStores.MIN;
    AtomicLong offset = new AtomicLong();
    java.time.Clock clock =
        new java.time.Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public long millis() {
            return System.currentTimeMillis() + offset.get();
          }

          @Override
          public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis());
          }
        };
    AudienceDefinition cartAbandoners =
        AudienceDefinition.load(EXAMPLES.resolve("cart-abandoners.yaml"));
    Definition def = Definitions.parse(EXAMPLES.resolve("ad-platform-audience.yaml"));
    StreamingDestination dest = Definitions.destination(def);
    dest.start(
        new LocalContext(
            "ad-platform-audience",
            Map.of(
                "api_base",
                server.url("/").toString().replaceAll("/$", ""),
                "api_key",
                "key-123",
                "audience_id",
                "cart"),
            new OkHttpClient()));
    try (RealtimeStore store = TestStores.open(tmp.resolve("store"));
        AudienceChangeLog log = AudienceChangeLog.open(tmp.resolve("audiences/changes.ndjson"));
        AudienceSync sync =
            AudienceSync.builder(store, tmp.resolve("audiences"), log)
                .clock(clock)
                .audience(cartAbandoners)
                .build();
        DeliveryEngine engine =
            DeliveryEngine.builder().log(log).stateDir(tmp.resolve("delivery")).build()) {
      engine.addDestination(
          DestinationConfig.builder("ad-platform-audience")
              .filter(AudienceSync.routedTo("ad-platform-audience"))
              .maxBatchDelay(Duration.ofMillis(20))
              .initialBackoff(Duration.ofMillis(20))
              .build(),
          dest);
      engine.start();

      store.append(
          List.of(
              event("u1", "add_to_cart", t0, "e1"),
              event("u2", "add_to_cart", t0 + 1000, "e2"),
              event("u3", "add_to_cart", t0 + 2000, "e3"),
              event("u2", "purchase", t0 + 3000, "e4")));
      AudienceDiff first = sync.runOnce().get(0);
      assertThat(first.added()).containsExactly("u1", "u3");
      assertThat(first.removed()).isEmpty();
      await().atMost(Duration.ofSeconds(15)).until(() -> platform.equals(Set.of("u1", "u3")));

      store.append(
          List.of(
              event("u3", "purchase", t0 + 5 * TestStores.MIN, "e5"),
              event("u4", "add_to_cart", t0 + 6 * TestStores.MIN, "e6")));
      AudienceDiff second = sync.runOnce().get(0);
      assertThat(second.added()).containsExactly("u4");
      assertThat(second.removed()).containsExactly("u3");
      await().atMost(Duration.ofSeconds(15)).until(() -> platform.equals(Set.of("u1", "u4")));

      assertThat(sync.runOnce().get(0).added()).isEmpty(); // nothing changed: nothing sent
      offset.addAndGet(40 * TestStores.MIN); // the 30-minute window has passed everyone
      assertThat(sync.runOnce().get(0).removed()).containsExactly("u1", "u4");
      await().atMost(Duration.ofSeconds(15)).until(platform::isEmpty);
      assertThat(engine.deadLetters("ad-platform-audience", null)).isEmpty();
    } finally {
      dest.stop();
    }
    assertThat(calls.get()).isGreaterThanOrEqualTo(5); // the refused first call was retried
  }

  @Test
  void theLastSyncedMembershipSurvivesARestartSoOnlyChangesAreSent() throws Exception {
    long t0 = TestStores.T0;
    MutableClock clock = new MutableClock(t0 + 10 * TestStores.MIN);
    AudienceDefinition a = AudienceDefinition.load(EXAMPLES.resolve("cart-abandoners.yaml"));
    Path state = tmp.resolve("audiences");
    try (RealtimeStore store = TestStores.open(tmp.resolve("store"))) {
      store.append(
          List.of(
              event("u1", "add_to_cart", t0, "e1"),
              event("u2", "add_to_cart", t0, "e2"),
              // a quarantined copy never makes its user a member: audiences read no quarantine
              event("u9", "add_to_cart", t0, "e9").toBuilder()
                  .sourceId("shop:quarantine")
                  .build()));
      try (AudienceChangeLog log = AudienceChangeLog.open(state.resolve("changes.ndjson"));
          AudienceSync sync =
              AudienceSync.builder(store, state, log).clock(clock).audience(a).build()) {
        assertThat(sync.runOnce().get(0).added()).containsExactly("u1", "u2");
      }
      store.append(List.of(event("u2", "purchase", t0 + 1000, "e3")));
      try (AudienceChangeLog log = AudienceChangeLog.open(state.resolve("changes.ndjson"));
          AudienceSync sync =
              AudienceSync.builder(store, state, log).clock(clock).audience(a).build()) {
        assertThat(log.nextSequence(0)).isEqualTo(2); // the log reopened with its two entries
        AudienceDiff d = sync.runOnce().get(0);
        assertThat(d.added()).isEmpty();
        assertThat(d.removed()).containsExactly("u2");
        assertThat(log.read(0, 0, 10))
            .extracting(e -> e.event().eventType() + " " + e.event().userId())
            .containsExactly("Audience Entered u1", "Audience Entered u2", "Audience Exited u2");
      }
    }
  }
}
