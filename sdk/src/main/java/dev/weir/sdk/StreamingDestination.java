package dev.weir.sdk;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Receives events as a real-time stream, in batches, and says what became of each event.
 *
 * <p>Lifecycle: one instance per configured destination; {@link #start} once, then any number of
 * {@link #deliver} calls, then {@link #stop} once. {@code deliver} may be called concurrently from
 * several delivery workers and must be thread-safe. Retries, backoff, rate limits and dead letters
 * are the host's job: a destination makes one attempt per call and reports the outcome.
 */
public abstract class StreamingDestination implements ExtensionPoint {
  /**
   * What this connector is and which settings it takes; must not depend on start having been
   * called.
   */
  public abstract ConnectorSpec spec();

  /** Prepares to deliver; no-op by default. */
  public void start(ConnectorContext context) throws Exception {}

  /**
   * Sends one batch and returns one outcome per event, in batch order. Throwing is treated as a
   * retryable failure of the whole batch.
   */
  public abstract List<Outcome> deliver(List<Event> batch) throws Exception;

  /**
   * Releases resources; no-op by default. Called once, after the last {@code deliver} has returned.
   */
  public void stop() throws Exception {}

  /** Up by default. */
  public Health health() {
    return Health.up();
  }
}
