package dev.weir.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.admin.EventTap;
import dev.weir.admin.TapRecord;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TappedDestinationTest {
  private static final Event A =
      Event.builder().eventType("A").sourceId("web").insertId("a").time(1L).build();
  private static final Event B =
      Event.builder().eventType("B").sourceId("web").insertId("b").time(2L).build();

  private static final StreamingDestination HALF =
      new StreamingDestination() {
        @Override
        public ConnectorSpec spec() {
          return ConnectorSpec.builder("half").version("1.0.0").build();
        }

        @Override
        public List<Outcome> deliver(List<Event> batch) {
          return List.of(Outcome.delivered(), Outcome.rejected("no such user"));
        }
      };

  @Test
  void eachOutcomeIsPublishedToTheTapOfAWatchedSourceAndReturnedUnchanged() throws Exception {
    EventTap tap = new EventTap();
    List<TapRecord> seen = new CopyOnWriteArrayList<>();
    List<Outcome> outcomes;
    try (AutoCloseable sub = tap.subscribe("web", seen::add)) {
      outcomes = new TappedDestination(HALF, "crm", tap).deliver(List.of(A, B));
    }
    assertThat(outcomes)
        .extracting(Outcome::status)
        .containsExactly(Outcome.Status.DELIVERED, Outcome.Status.REJECTED);
    assertThat(seen).extracting(TapRecord::stage).containsExactly("delivered", "dead_lettered");
    assertThat(seen).extracting(TapRecord::insertId).containsExactly("a", "b");
  }

  @Test
  void nothingIsPublishedWhileNobodyWatches() throws Exception {
    EventTap tap = new EventTap();
    new TappedDestination(HALF, "crm", tap).deliver(List.of(A, B));
    List<TapRecord> seen = new CopyOnWriteArrayList<>();
    try (AutoCloseable sub = tap.subscribe("other-source", seen::add)) {
      new TappedDestination(HALF, "crm", tap).deliver(List.of(A, B));
    }
    assertThat(seen).isEmpty();
  }
}
