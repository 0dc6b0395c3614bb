package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendStepTest {
  private static StreamingDestination answering(List<Event> seen, RuntimeException fail) {
    return new StreamingDestination() {
      @Override
      public ConnectorSpec spec() {
        return ConnectorSpec.builder("t").build();
      }

      @Override
      public List<Outcome> deliver(List<Event> batch) {
        seen.addAll(batch);
        if (fail != null) {
          throw fail;
        }
        return Attempt.all(batch.size(), Outcome.delivered());
      }
    };
  }

  @Test
  void stampsEveryAttemptSendsTheEventsOnceAndCountsTheRequest() {
    StepHarness h = new StepHarness();
    List<Event> seen = new ArrayList<>();
    List<Item> items = StepHarness.items(2);
    items.get(0).firstAttemptAt = 5;
    Attempt a = new DeliveryChain(List.of(new SendStep(answering(seen, null))), h).attempt(items);
    assertThat(seen).extracting(Event::insertId).containsExactly("i-0", "i-1");
    assertThat(a.outcomes).extracting(Outcome::status).containsOnly(Outcome.Status.DELIVERED);
    assertThat(items).allSatisfy(it -> assertThat(it.attempts).isEqualTo(1));
    assertThat(items.get(0).firstAttemptAt).as("kept").isEqualTo(5);
    assertThat(items.get(1).firstAttemptAt).isEqualTo(h.clock.millis());
    assertThat(h.metrics.requests.count()).isEqualTo(1.0);
  }

  @Test
  void aThrowingDestinationIsARetryableFailureOfTheWholeBatch() {
    StepHarness h = new StepHarness();
    Attempt a =
        new DeliveryChain(
                List.of(
                    new SendStep(answering(new ArrayList<>(), new IllegalStateException("boom")))),
                h)
            .attempt(StepHarness.items(3));
    assertThat(a.outcomes)
        .hasSize(3)
        .extracting(Outcome::status)
        .containsOnly(Outcome.Status.RETRY);
    assertThat(a.outcomes.get(0).reason()).isEqualTo("IllegalStateException: boom");
  }
}
