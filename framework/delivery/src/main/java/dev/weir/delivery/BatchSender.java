package dev.weir.delivery;

import dev.weir.runtime.Redactor;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of one destination: sends a batch through the rate limiter, classifies each
 * outcome, and then resolves the event (delivered or dead-lettered, releasing its read-ahead slot)
 * or schedules its retry with exponential backoff and jitter (or the destination's {@code
 * retryAfter}). A batch rejected as a whole with one permanent error is bisected until the bad
 * events are isolated. Called concurrently by the workers; thread-safe.
 */
final class BatchSender {
  private static final Logger LOG = LoggerFactory.getLogger(BatchSender.class);

  private final DestinationConfig config;
  private final StreamingDestination destination;
  private final DeadLetterStore deadLetters;
  private final DestinationMetrics metrics;
  private final Clock clock;
  private final Redactor redactor;
  private final AdaptiveRateLimiter limiter;
  private final UserOrdering ordering;
  private final CursorTracker tracker;
  private final Queue<Item> retries;
  private final Queue<Item> ready;
  private final Semaphore outstanding;
  private final Runnable signal;
  private final BooleanSupplier halted;

  BatchSender(
      DestinationConfig config,
      StreamingDestination destination,
      DeadLetterStore deadLetters,
      DestinationMetrics metrics,
      Clock clock,
      Redactor redactor,
      AdaptiveRateLimiter limiter,
      UserOrdering ordering,
      CursorTracker tracker,
      Queue<Item> retries,
      Queue<Item> ready,
      Semaphore outstanding,
      Runnable signal,
      BooleanSupplier halted) {
    this.config = config;
    this.destination = destination;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.clock = clock;
    this.redactor = redactor;
    this.limiter = limiter;
    this.ordering = ordering;
    this.tracker = tracker;
    this.retries = retries;
    this.ready = ready;
    this.outstanding = outstanding;
    this.signal = signal;
    this.halted = halted;
  }

  void attempt(List<Item> items) {
    limiter.acquire(items.size());
    if (halted.getAsBoolean()) {
      return;
    }
    long now = clock.millis();
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
      if (outcomes == null || outcomes.size() != items.size() || outcomes.contains(null)) {
        outcomes =
            all(
                items.size(),
                Outcome.retry(
                    "destination returned "
                        + (outcomes == null ? "no" : outcomes.size())
                        + " outcomes (or a null one) for "
                        + items.size()
                        + " events"));
      }
    } catch (OutOfMemoryError e) {
      throw e;
    } catch (Throwable e) {
      // a plugin's failure, even an Error such as a missing class, is a retryable failure of this
      // batch
      outcomes =
          all(items.size(), Outcome.retry(e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    metrics.requests.increment();
    if (halted.getAsBoolean()) {
      return;
    }
    now = clock.millis();
    Outcome throttle =
        outcomes.stream().filter(o -> o.statusCode() == 429).findFirst().orElse(null);
    if (throttle != null) {
      limiter.throttled(throttle.retryAfter());
    } else {
      limiter.succeeded();
    }
    if (items.size() > 1 && rejectedAsWhole(outcomes)) {
      metrics.bisections.increment();
      int mid = items.size() / 2;
      attempt(items.subList(0, mid));
      attempt(items.subList(mid, items.size()));
      return;
    }
    classify(items, outcomes, now);
  }

  private void classify(List<Item> items, List<Outcome> outcomes, long now) {
    List<DeadLetter> dead = new ArrayList<>();
    List<Item> deadItems = new ArrayList<>();
    String error = null;
    for (int i = 0; i < items.size(); i++) {
      Item it = items.get(i);
      Outcome o = outcomes.get(i);
      it.lastStatus = o.statusCode();
      it.lastReason = Excerpts.clean(redactor, o.reason());
      switch (o.status()) {
        case DELIVERED -> {
          metrics.deliveredOne(now - it.receivedAt, now);
          resolve(it, true);
        }
        case REJECTED -> {
          error = it.lastReason;
          dead.add(deadLetter(it, "rejected", "permanent", now));
          deadItems.add(it);
        }
        case RETRY -> {
          error = it.lastReason;
          String giveUp =
              it.attempts >= config.maxAttempts()
                  ? "max_attempts"
                  : now - it.firstAttemptAt >= config.maxRetryAge().toMillis()
                      ? "max_age"
                      : expired(it, now) ? "expired" : null;
          if (giveUp != null) {
            dead.add(deadLetter(it, giveUp, "retryable", now));
            deadItems.add(it);
          } else {
            scheduleRetry(
                it, o.retryAfter() != null ? o.retryAfter().toMillis() : backoff(it.attempts), now);
          }
        }
        default -> throw new IllegalStateException("unknown outcome " + o);
      }
    }
    if (error != null) {
      metrics.error(
          (items.get(0).lastStatus == 0 ? "" : "[" + items.get(0).lastStatus + "] ") + error, now);
    }
    if (dead.isEmpty()) {
      return;
    }
    try {
      writeDeadLetters(dead);
    } catch (UncheckedIOException e) {
      LOG.error(
          "destination {}: cannot write dead letters; keeping the events for retry",
          config.id(),
          e);
      deadItems.forEach(it -> scheduleRetry(it, backoff(it.attempts), now));
      return;
    }
    for (DeadLetter d : dead) {
      metrics.deadLettered.increment();
      if (d.reason().equals("expired")) {
        metrics.expired.increment();
      }
    }
    deadItems.forEach(it -> resolve(it, false));
  }

  private void scheduleRetry(Item it, long delayMillis, long now) {
    it.dueAt = now + Math.max(0, delayMillis);
    metrics.retries.increment();
    if (ordering != null && !ordering.retrying(it)) {
      return;
    }
    metrics.retrying.incrementAndGet();
    retries.add(it);
    signal.run();
  }

  private void resolve(Item it, boolean delivered) {
    it.origin.resolved(it, delivered);
    outstanding.release();
    if (ordering != null) {
      List<Item> released = ordering.resolved(it);
      if (!released.isEmpty()) {
        ready.addAll(released);
        signal.run();
      }
    }
  }

  private long backoff(int attempts) {
    long base = config.initialBackoff().toMillis() << Math.min(Math.max(0, attempts - 1), 30);
    long capped = Math.min(Math.max(1, base), config.maxBackoff().toMillis());
    return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
  }

  boolean expired(Item it, long now) {
    return it.origin == tracker && now - it.receivedAt > config.retention().toMillis();
  }

  private static boolean rejectedAsWhole(List<Outcome> outcomes) {
    Outcome first = outcomes.get(0);
    for (Outcome o : outcomes) {
      if (o.status() != Outcome.Status.REJECTED
          || o.statusCode() != first.statusCode()
          || !o.reason().equals(first.reason())) {
        return false;
      }
    }
    return true;
  }

  private static List<Outcome> all(int n, Outcome o) {
    List<Outcome> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(o);
    }
    return out;
  }

  DeadLetter deadLetter(Item it, String reason, String classification, long now) {
    return new DeadLetter(
        UUID.randomUUID().toString(),
        config.id(),
        reason,
        classification,
        it.partition,
        it.sequence,
        it.event,
        it.attempts,
        it.firstAttemptAt,
        it.lastAttemptAt,
        it.lastStatus,
        it.lastReason,
        now);
  }

  void writeDeadLetters(List<DeadLetter> letters) {
    deadLetters.append(config.id(), letters);
  }
}
