package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.sdk.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureHandlingIT {
  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path dir;
  final InMemoryDeliveryLog log = new InMemoryDeliveryLog(2);

  private static int n(Map<String, Object> event) {
    return ((Number) ((Map<?, ?>) event.get("event_properties")).get("n")).intValue();
  }

  @Test
  void batchRejectedAsWholeIsBisectedSoGoodEventsArriveAndBadOnesAreDeadLettered() {
    Set<Integer> bad = Set.of(7, 33, 80);
    Receiver receiver =
        new Receiver(
            (req, events) ->
                events.stream().anyMatch(e -> bad.contains(n(e)))
                    ? Receiver.status(400, "{\"error\":\"invalid event in batch\"}")
                    : Receiver.ok());
    server.setDispatcher(receiver);
    Fixture.append(log, 0, 100, 10);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(Fixture.fast("hook").build(), Fixture.http(server));
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.status("hook").lagEvents() == 0);
      assertThat(receiver.distinctAccepted()).isEqualTo(97);
      assertThat(receiver.noDuplicates()).isTrue();
      List<DeadLetter> dead = engine.deadLetters("hook", "rejected");
      assertThat(dead)
          .extracting(d -> d.event().insertId())
          .containsExactlyInAnyOrder("ins-7", "ins-33", "ins-80");
      assertThat(dead)
          .allSatisfy(
              d -> {
                assertThat(d.lastStatusCode()).isEqualTo(400);
                assertThat(d.response()).contains("invalid event in batch");
                assertThat(d.classification()).isEqualTo("permanent");
              });
      assertThat(engine.status("hook").deadLettered()).isEqualTo(3);
    }
  }

  @Test
  void multiStatusRetriesOnlyTheFailedEvents() {
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    Receiver receiver =
        new Receiver(
            (req, events) -> {
              StringBuilder body = new StringBuilder("{\"results\":[");
              for (int i = 0; i < events.size(); i++) {
                Map<String, Object> e = events.get(i);
                int times =
                    seen.computeIfAbsent((String) e.get("insert_id"), k -> new AtomicInteger())
                        .incrementAndGet();
                boolean fail = n(e) % 10 == 3 && times == 1;
                body.append(i == 0 ? "" : ",")
                    .append(fail ? "{\"status\":503,\"error\":\"busy\"}" : "{\"status\":200}");
              }
              return new MockResponse.Builder()
                  .code(207)
                  .body(body.append("]}").toString())
                  .build();
            });
    server.setDispatcher(receiver);
    Fixture.append(log, 0, 100, 10);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(Fixture.fast("hook").build(), Fixture.http(server));
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.distinctAccepted() == 100);
      assertThat(receiver.noDuplicates()).isTrue();
      // each good event was sent exactly once; each failed one twice
      assertThat(seen.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(110);
      assertThat(engine.status("hook").deadLettered()).isZero();
    }
  }

  @Test
  void retryAfterIsHonoured() {
    List<Long> times = new CopyOnWriteArrayList<>();
    Receiver receiver =
        new Receiver(
            (req, events) -> {
              times.add(System.nanoTime());
              return req == 1
                  ? new MockResponse.Builder().code(503).setHeader("Retry-After", "1").build()
                  : Receiver.ok();
            });
    server.setDispatcher(receiver);
    Fixture.append(log, 0, 10, 1);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(Fixture.fast("hook").workers(1).build(), Fixture.http(server));
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.distinctAccepted() == 10);
      // backoff alone would retry after ~20 ms; the server asked for 1 s
      assertThat(Duration.ofNanos(times.get(1) - times.get(0)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }
  }

  @Test
  void tooManyRequestsCutsTheRateLimitThenItRecovers() {
    Receiver receiver =
        new Receiver((req, events) -> req == 1 ? Receiver.status(429, "slow down") : Receiver.ok());
    server.setDispatcher(receiver);
    Fixture.append(log, 0, 100, 10);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(
          Fixture.fast("hook").requestsPerSecond(40).build(), Fixture.http(server));
      assertThat(engine.status("hook").requestRateLimit()).isEqualTo(40.0);
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.distinctAccepted() == 100);
      assertThat(engine.status("hook").requestRateLimit()).isLessThanOrEqualTo(20.0);
      AtomicInteger next = new AtomicInteger(100);
      // keep traffic flowing: the limit is raised step by step as requests succeed without a 429
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                Fixture.append(log, next.getAndAdd(5), 5, 5);
                engine.signal();
                return engine.status("hook").requestRateLimit() == 40.0;
              });
      assertThat(receiver.noDuplicates()).isTrue();
    }
  }

  @Test
  void perUserOrderingHoldsLaterEventsBehindARetryingOneWithoutBlockingOthers() {
    List<String> order = runOrderingScenario(true);
    assertThat(userZero(order)).isSorted();
  }

  @Test
  void withoutOrderingLaterEventsOvertakeARetryingOne() {
    List<String> order = runOrderingScenario(false);
    assertThat(userZero(order)).isNotEqualTo(userZero(order).stream().sorted().toList());
  }

  private static List<Integer> userZero(List<String> order) {
    List<Integer> out = new ArrayList<>();
    for (String id : order) {
      int i = Integer.parseInt(id.substring(4));
      if (i % 5 == 0) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * ins-5 (user-0) fails until every other user's events have arrived: other users must not wait
   * for it.
   */
  private List<String> runOrderingScenario(boolean ordered) {
    Receiver[] holder = new Receiver[1];
    holder[0] =
        new Receiver(
            (req, events) -> {
              boolean hasFive = events.stream().anyMatch(e -> "ins-5".equals(e.get("insert_id")));
              long others =
                  holder[0].accepted.keySet().stream()
                      .filter(id -> Integer.parseInt(id.substring(4)) % 5 != 0)
                      .count();
              return hasFive && others < 80 ? Receiver.status(503, "busy") : Receiver.ok();
            });
    server.setDispatcher(holder[0]);
    InMemoryDeliveryLog single = new InMemoryDeliveryLog(1);
    Fixture.append(single, 0, 100, 5);
    try (DeliveryEngine engine = Fixture.engine(single, dir)) {
      engine.addDestination(
          Fixture.fast("hook")
              .orderedPerUser(ordered)
              .batchKey(Event::userId)
              .maxBatchEvents(5)
              .maxAttempts(1000)
              .build(),
          Fixture.http(server));
      engine.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> holder[0].distinctAccepted() == 100);
      assertThat(engine.status("hook").deadLettered()).isZero();
    }
    return holder[0].acceptedInOrder;
  }

  @Test
  void eventsOlderThanRetentionAreDeadLetteredAsExpired() {
    Receiver receiver = new Receiver((req, events) -> Receiver.status(503, "down"));
    server.setDispatcher(receiver);
    long old = System.currentTimeMillis() - 60_000;
    for (int i = 0; i < 20; i++) {
      log.append(
          Event.builder()
              .eventType("old")
              .userId("u" + i)
              .insertId("old-" + i)
              .uploadTime(old)
              .build());
    }
    Fixture.append(log, 0, 30, 3);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(
          Fixture.fast("hook").retention(Duration.ofSeconds(2)).maxAttempts(10_000).build(),
          Fixture.http(server));
      engine.start();
      // the old ones expire at once; the fresh ones expire while retrying against a destination
      // that is down
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.status("hook").lagEvents() == 0);
      DestinationStatus s = engine.status("hook");
      assertThat(s.expired()).isEqualTo(50);
      assertThat(s.delivered()).isZero();
      assertThat(engine.deadLetters("hook", "expired")).hasSize(50);
      assertThat(engine.retentionFloor(0) + engine.retentionFloor(1)).isEqualTo(50);
    }
  }

  @Test
  void eventsTheLogDroppedBeforeTheyWereReadAreCountedAsLost() {
    server.setDispatcher(Receiver.alwaysOk());
    InMemoryDeliveryLog single = new InMemoryDeliveryLog(1);
    Fixture.append(single, 0, 100, 5);
    try (DeliveryEngine engine = Fixture.engine(single, dir)) {
      engine.addDestination(Fixture.fast("hook").build(), Fixture.http(server));
      engine.pause("hook");
      engine.start();
      single.dropBefore(0, 40);
      engine.resume("hook");
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.status("hook").delivered() == 60);
      assertThat(engine.status("hook").lost()).isEqualTo(40);
    }
  }

  @Test
  void giveUpAfterMaxAttemptsGoesToDeadLettersWithContextAndNoSecrets() {
    String secret = "sk-live-abcdef123456";
    Receiver receiver =
        new Receiver((req, events) -> Receiver.status(500, "upstream failed for token=" + secret));
    server.setDispatcher(receiver);
    Fixture.append(log, 0, 10, 2);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(
          Fixture.fast("hook").maxAttempts(3).secrets(List.of(secret)).build(),
          new dev.weir.delivery.bench.HttpBatchDestination(
              Fixture.CLIENT, server.url("/b").toString(), "Bearer " + secret));
      engine.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> engine.status("hook").deadLettered() == 10);
      List<DeadLetter> dead = engine.deadLetters("hook", "max_attempts");
      assertThat(dead)
          .hasSize(10)
          .allSatisfy(
              d -> {
                assertThat(d.attempts()).isEqualTo(3);
                assertThat(d.lastStatusCode()).isEqualTo(500);
                assertThat(d.classification()).isEqualTo("retryable");
                assertThat(d.firstAttemptAt()).isPositive().isLessThanOrEqualTo(d.lastAttemptAt());
                assertThat(d.response()).contains("upstream failed").doesNotContain(secret);
              });
      assertThat(engine.status("hook").lastError()).doesNotContain(secret);
      assertThat(receiver.authorizations).contains("Bearer " + secret);
    }
  }
}
