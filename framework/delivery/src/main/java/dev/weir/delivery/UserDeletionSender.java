package dev.weir.delivery;

import dev.weir.runtime.Redactor;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import dev.weir.sdk.UserDeletion;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends user deletions to destinations ({@link StreamingDestination#deleteUser}) with each
 * destination's retry policy: its backoff (or the partner's {@code retryAfter}), until its {@code
 * max_attempts} or {@code max_retry_age_ms}. Each call takes a request permit from the
 * destination's rate limiter (a 429 answer cuts its rate and holds its deliveries too); while the
 * destination is paused, held or at its limit the deletion is put off, not sent and not counted as
 * an attempt. One daemon thread for every destination, so a destination never gets two {@code
 * deleteUser} calls at once; the destination is looked up by id at each attempt, so a hot-reloaded
 * one is used from its next attempt. Thread-safe.
 */
final class UserDeletionSender {
  private static final Logger LOG = LoggerFactory.getLogger(UserDeletionSender.class);

  private static final long MISSING_WAIT_MILLIS = 60_000;
  private static final long PAUSED_WAIT_MILLIS = 200;
  private final Function<String, DestinationRunner> runners;
  private final Clock clock;
  private final java.util.concurrent.atomic.AtomicLong held =
      new java.util.concurrent.atomic.AtomicLong();
  private ScheduledExecutorService thread;

  UserDeletionSender(Function<String, DestinationRunner> runners, Clock clock) {
    this.runners = runners;
    this.clock = clock;
  }

  synchronized void submit(
      String id, UserDeletion request, DeliveryEngine.DeletionListener listener) {
    if (thread == null) {
      thread =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "weir-delivery-user-deletions");
                t.setDaemon(true);
                return t;
              });
    }
    long first = clock.millis();
    schedule(() -> attempt(id, request, listener, 0, first), 0);
  }

  private synchronized void schedule(Runnable r, long delayMillis) {
    if (thread == null) {
      return; // stopped: the deletion stays pending where the caller recorded it
    }
    try {
      thread.schedule(r, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      // stopping
    }
  }

  private void attempt(
      String id,
      UserDeletion request,
      DeliveryEngine.DeletionListener listener,
      int previous,
      long firstAt) {
    DestinationRunner r = runners.apply(id);
    if (r == null) { // removed, or being swapped by a hot reload: wait for it a minute at most
      if (clock.millis() - firstAt > MISSING_WAIT_MILLIS) {
        listener.attempted(id, previous, Outcome.rejected("no destination '" + id + "'"), true);
      } else {
        schedule(() -> attempt(id, request, listener, previous, firstAt), 1000);
      }
      return;
    }
    if (r.paused()) { // nothing goes to a paused destination: look again shortly
      held.incrementAndGet();
      schedule(() -> attempt(id, request, listener, previous, firstAt), PAUSED_WAIT_MILLIS);
      return;
    }
    long waitNanos = r.deletionPermit();
    if (waitNanos > 0) { // at its rate limit or held (Retry-After): ask again when it may go
      held.incrementAndGet();
      long waitMillis =
          Math.min(PAUSED_WAIT_MILLIS, Math.max(1, (waitNanos + 999_999) / 1_000_000));
      schedule(() -> attempt(id, request, listener, previous, firstAt), waitMillis);
      return;
    }
    DestinationConfig config = r.config;
    Outcome o;
    try {
      o = r.destination().deleteUser(request);
      if (o == null) {
        o = Outcome.retry("deleteUser returned no outcome");
      }
    } catch (Exception | LinkageError e) {
      o =
          Outcome.retry(
              Redactor.of(config.secrets())
                  .redact(
                      e.getClass().getSimpleName()
                          + (e.getMessage() == null ? "" : ": " + e.getMessage())));
    }
    r.deletionAnswered(o);
    int attempts = previous + 1;
    boolean finished = o.status() != Outcome.Status.RETRY;
    long delay = 0;
    if (!finished) {
      delay =
          o.retryAfter() != null
              ? o.retryAfter().toMillis()
              : new Backoff(config).delayMillis(attempts);
      if (attempts >= config.maxAttempts()
          || clock.millis() + delay - firstAt > config.maxRetryAge().toMillis()) {
        o =
            Outcome.rejected("gave up after " + attempts + " attempts: " + o.reason())
                .withStatusCode(o.statusCode());
        finished = true;
      }
    }
    try {
      listener.attempted(id, attempts, o, finished);
    } catch (RuntimeException e) {
      LOG.warn(
          "user deletion {} for '{}': listener failed: {}", request.deletionId(), id, e.toString());
    }
    if (!finished) {
      Outcome last = o;
      LOG.info(
          "user deletion {} for '{}': attempt {} to retry in {} ms: {}",
          request.deletionId(),
          id,
          attempts,
          delay,
          last.reason());
      schedule(() -> attempt(id, request, listener, attempts, firstAt), delay);
    }
  }

  /** How many times a deletion was put off (destination paused, held, or at its rate limit). */
  long held() {
    return held.get();
  }

  /** Stops: attempts not yet run are dropped (the caller's record keeps them pending). */
  synchronized void stop() {
    if (thread != null) {
      thread.shutdownNow();
      thread = null;
    }
  }
}
