package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutageAndRestartIT {
  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  @Test
  void destinationDownThenUpLosesNothingAndDeliversEachEventOnce() {
    Receiver receiver =
        new Receiver((n, events) -> n <= 6 ? Receiver.status(503, "down") : Receiver.ok());
    server.setDispatcher(receiver);
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(4);
    Fixture.append(log, 0, 500, 20);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(Fixture.fast("hook").build(), Fixture.http(server));
      engine.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.distinctAccepted() == 500);
      await().atMost(Duration.ofSeconds(10)).until(() -> engine.status("hook").lagEvents() == 0);
      DestinationStatus s = engine.status("hook");
      assertThat(receiver.noDuplicates()).isTrue();
      assertThat(s.delivered()).isEqualTo(500);
      assertThat(s.deadLettered()).isZero();
      assertThat(s.lastError()).contains("503");
      assertThat(engine.deadLetters("hook", null)).isEmpty();
      for (int p = 0; p < 4; p++) {
        assertThat(engine.cursor("hook", p)).isEqualTo(log.nextSequence(p));
      }
    }
  }

  @Test
  void crashDuringDeliveryResumesFromTheSavedCursorAndDeliversEverythingAtLeastOnce() {
    Receiver receiver = Receiver.alwaysOk();
    server.setDispatcher(receiver);
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(2);
    Fixture.append(log, 0, 3000, 50);
    DestinationConfig config =
        Fixture.fast("hook")
            .maxBatchEvents(100)
            .maxInFlightBatches(2)
            .maxOutstandingEvents(400)
            .build();

    DeliveryEngine first = Fixture.engine(log, dir);
    first.addDestination(config, Fixture.http(server));
    first.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.distinctAccepted() >= 1000);
    first.halt(); // crash: no clean stop, no final cursor save
    int acceptedBeforeCrash = receiver.acceptedInOrder.size();

    DeliveryEngine second = Fixture.engine(log, dir);
    second.addDestination(config, Fixture.http(server));
    long resumedFrom = second.cursor("hook", 0) + second.cursor("hook", 1);
    assertThat(resumedFrom).as("cursor saved before the crash").isGreaterThan(0);
    second.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.distinctAccepted() == 3000);
      int duplicates = receiver.acceptedInOrder.size() - 3000;
      // resent at most what was read ahead of the saved cursor at the crash, never the whole log
      assertThat(duplicates).isLessThanOrEqualTo(acceptedBeforeCrash - (int) resumedFrom + 2 * 400);
      assertThat(duplicates).isLessThan(1000);
    } finally {
      second.stop();
    }
  }

  @Test
  void crashWhileAnOldEventRetriesResendsOnlyThatEventNotTheOnesAcknowledgedAfterIt() {
    java.util.concurrent.atomic.AtomicBoolean fixed =
        new java.util.concurrent.atomic.AtomicBoolean();
    Receiver receiver =
        new Receiver(
            (req, events) -> {
              StringBuilder body = new StringBuilder("{\"results\":[");
              for (int i = 0; i < events.size(); i++) {
                boolean fail = !fixed.get() && "ins-0".equals(events.get(i).get("insert_id"));
                body.append(i == 0 ? "" : ",")
                    .append(fail ? "{\"status\":503}" : "{\"status\":200}");
              }
              return Receiver.status(207, body.append("]}").toString());
            });
    server.setDispatcher(receiver);
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(1);
    Fixture.append(log, 0, 200, 10);
    DestinationConfig config = Fixture.fast("hook").maxBatchEvents(10).maxAttempts(10_000).build();

    DeliveryEngine first = Fixture.engine(log, dir);
    first.addDestination(config, Fixture.http(server));
    first.start();
    CursorStore saved = new CursorStore(dir.resolve("cursors"), "hook");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              PartitionState s = saved.load().get(0);
              return s != null
                  && s.read() == 200
                  && s.pending().size() == 1
                  && s.pending().get(0)[0] == 0
                  && s.pending().get(0)[1] == 1;
            });
    first.halt();
    assertThat(receiver.distinctAccepted()).isEqualTo(199);

    fixed.set(true);
    try (DeliveryEngine second = Fixture.engine(log, dir)) {
      second.addDestination(config, Fixture.http(server));
      assertThat(second.cursor("hook", 0)).isZero();
      second.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.distinctAccepted() == 200);
      await().atMost(Duration.ofSeconds(5)).until(() -> second.cursor("hook", 0) == 200);
    }
    assertThat(receiver.noDuplicates()).isTrue();
  }

  @Test
  void cleanRestartSendsNothingTwice() {
    Receiver receiver = Receiver.alwaysOk();
    server.setDispatcher(receiver);
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(2);
    Fixture.append(log, 0, 300, 10);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(Fixture.fast("hook").build(), Fixture.http(server));
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.distinctAccepted() == 300);
    }
    Fixture.append(log, 300, 200, 10);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(Fixture.fast("hook").build(), Fixture.http(server));
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.distinctAccepted() == 500);
      await().atMost(Duration.ofSeconds(10)).until(() -> engine.status("hook").lagEvents() == 0);
    }
    assertThat(receiver.noDuplicates()).isTrue();
    assertThat(receiver.acceptedInOrder).hasSize(500);
  }
}
