package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user deletion reaches what the engine holds: events of the deleted user waiting for a retry are
 * never sent, their dead letters are removed, and the user's events stored afterwards are delivered
 * as usual.
 */
class UserDeletionIT {
  @TempDir Path dir;

  /** Answers retry while {@code failing}, then accepts; records what it accepted. */
  static final class Flaky extends StreamingDestination {
    volatile boolean failing = true;
    final AtomicInteger calls = new AtomicInteger();
    final List<Event> accepted = new CopyOnWriteArrayList<>();

    @Override
    public ConnectorSpec spec() {
      return ConnectorSpec.builder("flaky").version("1.0.0").build();
    }

    @Override
    public List<Outcome> deliver(List<Event> batch) {
      calls.incrementAndGet();
      List<Outcome> out = new ArrayList<>();
      for (Event e : batch) {
        if (failing) {
          out.add(Outcome.retry("down"));
        } else {
          accepted.add(e);
          out.add(Outcome.delivered());
        }
      }
      return out;
    }
  }

  /** Rejects everything: each event becomes a dead letter. */
  static final class Rejecting extends StreamingDestination {
    @Override
    public ConnectorSpec spec() {
      return ConnectorSpec.builder("rejecting").version("1.0.0").build();
    }

    @Override
    public List<Outcome> deliver(List<Event> batch) {
      return Attempt.all(batch.size(), Outcome.rejected("no"));
    }
  }

  private static Event event(String user, String insertId) {
    return Event.builder()
        .eventType("view")
        .userId(user)
        .insertId(insertId)
        .time(1_700_000_000_000L)
        .uploadTime(System.currentTimeMillis())
        .build();
  }

  @Test
  void aDeletedUsersEventsWaitingForARetryAreNeverSentAndTheirDeadLettersAreRemoved() {
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(2);
    for (int i = 0; i < 10; i++) {
      log.append(event("alice", "a" + i));
      log.append(event("bob", "b" + i));
    }
    Flaky crm = new Flaky();
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(Fixture.fast("crm").maxAttempts(1000).build(), crm);
      engine.addDestination(Fixture.fast("strict").build(), new Rejecting());
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> crm.calls.get() >= 2);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> engine.deadLetters("strict", null).size() == 20);

      Map<String, Integer> removed = engine.forget(e -> "alice".equals(e.userId()));
      assertThat(removed).containsEntry("strict", 10);
      assertThat(engine.deadLetters("strict", null))
          .extracting(d -> d.event().userId())
          .containsOnly("bob")
          .hasSize(10);

      log.append(event("alice", "after")); // stored after the deletion: new data
      crm.failing = false;
      await().atMost(Duration.ofSeconds(20)).until(() -> crm.accepted.size() >= 11);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> engine.status("crm").lagEvents() == 0 && engine.status("crm").retrying() == 0);
      assertThat(crm.accepted)
          .extracting(Event::insertId)
          .containsExactlyInAnyOrder(
              "b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "after");
      assertThat(engine.status("crm").filtered()).isEqualTo(10);
    }
  }
}
