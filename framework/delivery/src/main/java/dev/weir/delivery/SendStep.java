package dev.weir.delivery;

import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.util.ArrayList;
import java.util.List;

/**
 * The innermost step: stamps each item's attempt (count, first and last attempt time), calls the
 * destination once, and turns anything it throws — even an {@link Error} such as a missing class,
 * but not {@link OutOfMemoryError} — into a retryable failure of the whole batch. Counts the
 * request.
 */
final class SendStep implements DeliveryStep {
  private final StreamingDestination destination;

  SendStep(StreamingDestination destination) {
    this.destination = destination;
  }

  @Override
  public Attempt intercept(Chain chain) {
    List<Item> items = chain.items();
    DeliveryRun run = chain.run();
    long now = run.clock().millis();
    List<Event> events = new ArrayList<>(items.size());
    for (Item it : items) {
      it.attempts++;
      if (it.firstAttemptAt == 0) {
        it.firstAttemptAt = now;
      }
      it.lastAttemptAt = now;
      events.add(it.event);
    }
    List<Outcome> outcomes;
    try {
      outcomes = destination.deliver(events);
    } catch (OutOfMemoryError e) {
      throw e;
    } catch (Throwable e) {
      outcomes =
          Attempt.all(
              items.size(), Outcome.retry(e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    run.metrics().requests.increment();
    return Attempt.of(items, outcomes, run.clock().millis());
  }
}
