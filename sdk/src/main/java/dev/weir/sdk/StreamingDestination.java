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

  /**
   * Whether this destination can delete a user's data at the partner through {@link #deleteUser}.
   * False by default; a destination that overrides {@code deleteUser} returns true. Must not depend
   * on start having been called.
   */
  public boolean deletesUsers() {
    return false;
  }

  /**
   * Deletes one user's data at the partner: one attempt, reported like an event's delivery. {@link
   * Outcome#delivered()} means the partner accepted the deletion; {@link Outcome#retry} (or a
   * thrown exception) makes the host try again after the destination's backoff, until its {@code
   * max_retry_age_ms} (or {@code max_attempts}) is reached; {@link Outcome#rejected} gives up at
   * once. The host records each result on the deletion ({@code GET /api/v1/deletions/{id}}).
   *
   * <p>Called only when {@link #deletesUsers()} is true, after {@link #start} and before {@link
   * #stop}, from a host thread that is not a delivery worker: it may run concurrently with {@link
   * #deliver} calls (so must be thread-safe with them), but never concurrently with another {@code
   * deleteUser} call on this instance. The default rejects the request.
   */
  public Outcome deleteUser(UserDeletion request) throws Exception {
    return Outcome.rejected("this destination does not delete users");
  }

  /** Up by default. */
  public Health health() {
    return Health.up();
  }
}
