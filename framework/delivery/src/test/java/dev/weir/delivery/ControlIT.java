package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlIT {
  @StartStop final MockWebServer server = new MockWebServer();
  @StartStop final MockWebServer other = new MockWebServer();
  @TempDir Path dir;
  final InMemoryDeliveryLog log = new InMemoryDeliveryLog(2);

  @Test
  void pausedDestinationAccumulatesLagAndCatchesUpAfterResume() {
    Receiver paused = Receiver.alwaysOk();
    Receiver running = Receiver.alwaysOk();
    server.setDispatcher(paused);
    other.setDispatcher(running);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(Fixture.fast("paused").build(), Fixture.http(server));
      engine.addDestination(Fixture.fast("running").build(), Fixture.http(other));
      engine.start();
      engine.pause("paused");
      Fixture.append(log, 0, 200, 10);
      engine.signal();
      // the other destination is the witness that events flowed meanwhile
      await().atMost(Duration.ofSeconds(20)).until(() -> running.distinctAccepted() == 200);
      DestinationStatus s = engine.status("paused");
      assertThat(s.state()).isEqualTo("paused");
      assertThat(paused.requests.get()).isZero();
      assertThat(s.lagEvents()).isEqualTo(200);
      assertThat(engine.retentionFloor(0) + engine.retentionFloor(1)).isZero();

      engine.resume("paused");
      await().atMost(Duration.ofSeconds(20)).until(() -> paused.distinctAccepted() == 200);
      await().atMost(Duration.ofSeconds(5)).until(() -> engine.status("paused").lagEvents() == 0);
      assertThat(engine.status("paused").state()).isEqualTo("running");
      assertThat(paused.noDuplicates()).isTrue();
    }
  }

  @Test
  void replayResendsALogRangeWithProgressAndLeavesTheCursorAlone() throws Exception {
    Receiver receiver = Receiver.alwaysOk();
    server.setDispatcher(receiver);
    Fixture.append(log, 0, 300, 10);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(Fixture.fast("hook").build(), Fixture.http(server));
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.status("hook").lagEvents() == 0);
      long cursor0 = engine.cursor("hook", 0);
      List<long[]> progress = new CopyOnWriteArrayList<>();

      JobResult bySeq =
          engine
              .replay(
                  "hook",
                  ReplayRange.ofSequences(0, 10, 40),
                  (done, total) -> progress.add(new long[] {done, total}))
              .get(20, TimeUnit.SECONDS);
      assertThat(bySeq).isEqualTo(new JobResult(30, 30, 0, false));
      assertThat(progress.get(progress.size() - 1)).containsExactly(30, 30);
      assertThat(receiver.acceptedInOrder).hasSize(330);

      JobResult byTime =
          engine
              .replay(
                  "hook", ReplayRange.ofTime(Instant.EPOCH, Instant.now().plusSeconds(60)), null)
              .get(20, TimeUnit.SECONDS);
      assertThat(byTime.delivered()).isEqualTo(300);
      assertThat(receiver.acceptedInOrder).hasSize(630);
      assertThat(receiver.accepted.values()).allSatisfy(c -> assertThat(c.get()).isBetween(2, 3));
      assertThat(engine.cursor("hook", 0)).isEqualTo(cursor0);
    }
  }

  @Test
  void deadLettersCanBeListedByReasonAndRedeliveredSelectively() throws Exception {
    AtomicBoolean broken = new AtomicBoolean(true);
    Receiver receiver =
        new Receiver(
            (req, events) -> {
              StringBuilder body = new StringBuilder("{\"results\":[");
              for (int i = 0; i < events.size(); i++) {
                String id = (String) events.get(i).get("insert_id");
                boolean bad = broken.get() && Integer.parseInt(id.substring(4)) % 10 == 0;
                body.append(i == 0 ? "" : ",")
                    .append(bad ? "{\"status\":422,\"error\":\"schema\"}" : "{\"status\":200}");
              }
              return Receiver.status(207, body.append("]}").toString());
            });
    server.setDispatcher(receiver);
    Fixture.append(log, 0, 100, 10);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(Fixture.fast("hook").build(), Fixture.http(server));
      engine.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> engine.status("hook").deadLettered() == 10);
      assertThat(engine.deadLetters("hook", "rejected")).hasSize(10);
      assertThat(engine.deadLetters("hook", "expired")).isEmpty();
      assertThat(receiver.distinctAccepted()).isEqualTo(90);

      broken.set(false);
      JobResult some =
          engine
              .redeliver(
                  "hook", d -> Integer.parseInt(d.event().insertId().substring(4)) < 50, null)
              .get(20, TimeUnit.SECONDS);
      assertThat(some).isEqualTo(new JobResult(5, 5, 0, false));
      assertThat(engine.deadLetters("hook", null)).hasSize(5);

      List<long[]> progress = new CopyOnWriteArrayList<>();
      JobResult rest =
          engine
              .redeliver("hook", d -> true, (done, total) -> progress.add(new long[] {done, total}))
              .get(20, TimeUnit.SECONDS);
      assertThat(rest).isEqualTo(new JobResult(5, 5, 0, false));
      assertThat(progress.get(progress.size() - 1)).containsExactly(5, 5);
      assertThat(engine.deadLetters("hook", null)).isEmpty();
      assertThat(receiver.distinctAccepted()).isEqualTo(100);
      assertThat(receiver.noDuplicates()).isTrue();
    }
  }

  @Test
  void routingFilterAndMappingShapeWhatTheDestinationReceives() {
    List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
    server.setDispatcher(
        new Receiver(
            (req, events) -> {
              received.addAll(events);
              return Receiver.ok();
            }));
    Fixture.append(log, 0, 100, 10);
    RoutingFilter filter =
        RoutingFilter.builder()
            .eventType("purchase")
            .where(e -> ((Number) e.eventProperties().get("n")).intValue() < 50)
            .build();
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(
          Fixture.fast("hook")
              .filter(filter)
              .mapper(
                  e -> {
                    Map<String, Object> props = new HashMap<>(e.eventProperties());
                    props.put("routed", true);
                    return ((Number) props.get("n")).intValue() == 49
                        ? null
                        : e.toBuilder().eventProperties(props).build();
                  })
              .build(),
          Fixture.http(server));
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.status("hook").lagEvents() == 0);
      assertThat(received)
          .hasSize(24)
          .allSatisfy(
              e -> {
                assertThat(e.get("event_type")).isEqualTo("purchase");
                assertThat(((Map<?, ?>) e.get("event_properties")).get("routed")).isEqualTo(true);
              });
      assertThat(engine.status("hook").filtered()).isEqualTo(76);
    }
  }

  @Test
  void statusAndMetricsReportDeliveryAndRemovingADestinationDropsItsMetersButKeepsItsCursors() {
    server.setDispatcher(Receiver.alwaysOk());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Fixture.append(log, 0, 400, 10);
    try (DeliveryEngine engine =
        DeliveryEngine.builder().log(log).stateDir(dir).meterRegistry(registry).build()) {
      engine.addDestination(Fixture.fast("hook").build(), Fixture.http(server));
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.status("hook").delivered() == 400);
      DestinationStatus s = engine.status("hook");
      assertThat(s.latencyP50Millis()).isPositive();
      assertThat(s.latencyP99Millis()).isGreaterThanOrEqualTo(s.latencyP50Millis());
      assertThat(s.lastError()).isEmpty();
      assertThat(
              registry
                  .get("weir.delivery.events")
                  .tag("destination", "hook")
                  .tag("result", "delivered")
                  .counter()
                  .count())
          .isEqualTo(400);
      assertThat(registry.get("weir.delivery.latency").tag("destination", "hook").timer().count())
          .isEqualTo(400);
      assertThat(
              registry.get("weir.delivery.lag.events").tag("destination", "hook").gauge().value())
          .isZero();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> engine.status("hook").eventsPerSecond() > 0);

      engine.removeDestination("hook");
      assertThat(registry.find("weir.delivery.events").tag("destination", "hook").meters())
          .isEmpty();
      assertThat(engine.destinations()).isEmpty();
      engine.addDestination(Fixture.fast("hook").build(), Fixture.http(server));
      assertThat(engine.cursor("hook", 0) + engine.cursor("hook", 1))
          .as("cursors kept on disk")
          .isEqualTo(400);
      assertThat(
              registry.get("weir.delivery.lag.events").tag("destination", "hook").gauge().value())
          .isZero();
    }
  }
}
