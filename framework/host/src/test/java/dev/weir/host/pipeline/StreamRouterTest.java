package dev.weir.host.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.host.config.Workspace.DeliveryOptions;
import dev.weir.host.config.Workspace.Filter;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.StreamingDestination;
import dev.weir.sdk.SubmitResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The pipeline and the built-in router over the in-memory log, with a real (in-process) destination. */
class StreamRouterTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_800_000_000_000L), ZoneOffset.UTC);

  /** Records every delivery attempt and answers with a scripted outcome per event. */
  static final class ScriptedDestination extends StreamingDestination {
    final List<List<Event>> attempts = new CopyOnWriteArrayList<>();
    final List<Event> delivered = new CopyOnWriteArrayList<>();
    final AtomicBoolean stopped = new AtomicBoolean();
    private final Function<Event, Outcome> script;

    ScriptedDestination(Function<Event, Outcome> script) {
      this.script = script;
    }

    @Override
    public ConnectorSpec spec() {
      return ConnectorSpec.builder("scripted").build();
    }

    @Override
    public List<Outcome> deliver(List<Event> batch) {
      attempts.add(List.copyOf(batch));
      List<Outcome> out = new ArrayList<>();
      for (Event e : batch) {
        Outcome o = script.apply(e);
        if (o.status() == Outcome.Status.DELIVERED) {
          delivered.add(e);
        }
        out.add(o);
      }
      return out;
    }

    @Override
    public void stop() {
      stopped.set(true);
    }
  }

  private static Event event(String type, String device) {
    return Event.builder().eventType(type).deviceId(device).insertId(type + "-" + device).build();
  }

  private static StreamRoute route(String id, ScriptedDestination d, Filter filter, int batchSize) {
    return new StreamRoute(id, d, Set.of("web"), filter, new DeliveryOptions(batchSize, 0, 1, 5),
        LoggerFactory.getLogger("weir.connector." + id));
  }

  @Test
  void submittedEventsAreStampedAndDeliveredToEveryRoutedDestinationThenReleased() {
    EventLog log = EventLog.inMemory(4, 1000);
    Pipeline pipeline = new Pipeline(log, Governance.passThrough(), CLOCK);
    ScriptedDestination all = new ScriptedDestination(e -> Outcome.delivered());
    ScriptedDestination purchases = new ScriptedDestination(e -> Outcome.delivered());
    Router router = Router.streaming(log, List.of(route("all", all, new Filter(List.of()), 100),
        route("purchases", purchases, new Filter(List.of("Purchase")), 100)), new SimpleMeterRegistry());
    router.start();

    List<Event> in = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      in.add(event(i % 5 == 0 ? "Purchase" : "Viewed", "d" + i));
    }
    SubmitResult result = pipeline.submit("web", in).toCompletableFuture().join();
    assertThat(result.count(SubmitResult.EventStatus.STORED)).isEqualTo(50);

    await().atMost(Duration.ofSeconds(10)).until(() -> all.delivered.size() == 50 && purchases.delivered.size() == 10);
    assertThat(all.delivered).allSatisfy(e -> {
      assertThat(e.sourceId()).isEqualTo("web");
      assertThat(e.uploadTime()).isEqualTo(1_800_000_000_000L);
      assertThat(e.time()).isEqualTo(1_800_000_000_000L);
    });
    assertThat(purchases.delivered).extracting(Event::eventType).containsOnly("Purchase");
    // Once both destinations are past them, the events are dropped from memory.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      for (int p = 0; p < 4; p++) {
        if (!log.read(p, 0, 10).isEmpty()) {
          return false;
        }
      }
      return true;
    });
    log.close();
    router.close(Duration.ofSeconds(5));
    assertThat(all.stopped).isTrue();
  }

  @Test
  void retryOutcomeIsRetriedUntilDeliveredAndRejectedIsNotRetried() {
    EventLog log = EventLog.inMemory(1, 1000);
    Pipeline pipeline = new Pipeline(log, Governance.passThrough(), CLOCK);
    AtomicInteger calls = new AtomicInteger();
    ScriptedDestination flaky = new ScriptedDestination(e -> {
      if (e.eventType().equals("Bad")) {
        return Outcome.rejected("no such field");
      }
      return calls.incrementAndGet() <= 2 ? Outcome.retry("busy") : Outcome.delivered();
    });
    Router router = Router.streaming(log, List.of(route("flaky", flaky, new Filter(List.of()), 10)),
        new SimpleMeterRegistry());
    router.start();
    pipeline.submit("web", List.of(event("Good", "d1"), event("Bad", "d1"))).toCompletableFuture().join();

    await().atMost(Duration.ofSeconds(10)).until(() -> flaky.delivered.size() == 1);
    assertThat(flaky.attempts).hasSize(3);
    assertThat(flaky.attempts.get(0)).extracting(Event::eventType).containsExactly("Good", "Bad");
    assertThat(flaky.attempts.get(1)).extracting(Event::eventType).containsExactly("Good");
    log.close();
    router.close(Duration.ofSeconds(5));
  }

  @Test
  void closeDeliversEverythingAlreadyInTheLogBeforeStoppingDestinations() {
    EventLog log = EventLog.inMemory(2, 10_000);
    Pipeline pipeline = new Pipeline(log, Governance.passThrough(), CLOCK);
    ScriptedDestination d = new ScriptedDestination(e -> Outcome.delivered());
    Router router = Router.streaming(log, List.of(route("d", d, new Filter(List.of()), 7)), new SimpleMeterRegistry());
    List<Event> in = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      in.add(event("E", "d" + i));
    }
    pipeline.submit("web", in).toCompletableFuture().join();
    router.start();
    log.close();
    router.close(Duration.ofSeconds(20));
    assertThat(d.delivered).hasSize(500);
    assertThat(d.attempts).allSatisfy(batch -> assertThat(batch.size()).isLessThanOrEqualTo(7));
    assertThat(d.stopped).isTrue();
  }

  @Test
  void fullLogRefusesTheWholeSubmissionWithStoreUnavailable() {
    EventLog log = EventLog.inMemory(1, 3);
    Pipeline pipeline = new Pipeline(log, Governance.passThrough(), CLOCK);
    pipeline.submit("web", List.of(event("A", "d"), event("B", "d"))).toCompletableFuture().join();
    assertThatThrownBy(() -> pipeline.submit("web", List.of(event("C", "d"), event("D", "d")))
        .toCompletableFuture().join()).hasCauseInstanceOf(StoreUnavailableException.class);
    assertThat(log.endSeq(0)).isEqualTo(2);
  }

  @Test
  void blockedEventsAreReportedAndNeverStored() {
    EventLog log = EventLog.inMemory(1, 100);
    Governance blockViewed = (source, e) -> e.eventType().equals("Viewed")
        ? Governance.Decision.block(e) : Governance.Decision.keep(e);
    Pipeline pipeline = new Pipeline(log, blockViewed, CLOCK);
    SubmitResult r = pipeline.submit("web", List.of(event("Viewed", "d"), event("Bought", "d")))
        .toCompletableFuture().join();
    assertThat(r.statuses()).containsExactly(SubmitResult.EventStatus.BLOCKED, SubmitResult.EventStatus.STORED);
    assertThat(log.read(0, 0, 10)).extracting(en -> en.event().eventType()).containsExactly("Bought");
  }

  @Test
  void eventsOfOneDeviceKeepTheirOrderInOnePartition() {
    InMemoryEventLog log = new InMemoryEventLog(8, 100);
    List<Event> in = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      in.add(Event.builder().eventType("E" + i).deviceId("same-device").build());
    }
    log.append(in);
    int p = log.partitionOf(in.get(0));
    assertThat(log.read(p, 0, 100)).extracting(en -> en.event().eventType())
        .containsExactlyElementsOf(in.stream().map(Event::eventType).toList());
    assertThat(Collections.frequency(List.of(log.endSeq(p)), 20L)).isEqualTo(1);
  }
}
