package dev.weir.delivery;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Token buckets for one destination's requests/s and events/s, shared by all its workers, with AIMD
 * adaptation: a 429 halves the rate (and holds every worker until its {@code Retry-After}); each
 * second without one adds back a tenth of the configured rate. With no configured request rate, the
 * first 429 sets the limit from the rate observed over the last second. Thread-safe; {@link
 * #acquire} blocks the calling worker only.
 */
final class AdaptiveRateLimiter {
  private static final double MIN_FACTOR = 0.02;
  private static final double INCREASE = 0.1;
  private static final long SECOND = 1_000_000_000L;
  private static final long MAX_PARK = 50_000_000L;

  private final double configuredRequests;
  private final double configuredEvents;
  private final LongSupplier nanoClock;
  private double learnedRequests;
  private double factor = 1.0;
  private double requestTokens;
  private double eventTokens;
  private long lastRefill;
  private long lastChange;
  private long blockedUntil;
  private long windowStart;
  private int windowCount;
  private int previousWindowCount;

  AdaptiveRateLimiter(double requestsPerSecond, double eventsPerSecond, LongSupplier nanoClock) {
    this.configuredRequests = requestsPerSecond;
    this.configuredEvents = eventsPerSecond;
    this.nanoClock = nanoClock;
    long now = nanoClock.getAsLong();
    this.lastRefill = now;
    this.lastChange = now;
    this.windowStart = now;
    this.blockedUntil = now;
    this.requestTokens = Math.max(1, requestsPerSecond);
    this.eventTokens = Math.max(1, eventsPerSecond);
  }

  /**
   * Waits until one request of {@code events} events may be sent; returns early when interrupted.
   */
  void acquire(int events) {
    long wait = reserve(events);
    long until = nanoClock.getAsLong() + wait;
    while (wait > 0 && !Thread.currentThread().isInterrupted()) {
      LockSupport.parkNanos(Math.min(wait, MAX_PARK));
      // a hold set while this worker waited its turn (another worker's Retry-After) counts too
      wait = Math.max(until, heldUntil()) - nanoClock.getAsLong();
    }
  }

  private synchronized long heldUntil() {
    return blockedUntil;
  }

  private synchronized long reserve(int events) {
    long now = nanoClock.getAsLong();
    refill(now);
    countRequest(now);
    long wait = Math.max(0, blockedUntil - now);
    double reqRate = requestRate();
    if (reqRate > 0) {
      requestTokens -= 1;
      if (requestTokens < 0) {
        wait = Math.max(wait, (long) (-requestTokens / reqRate * SECOND));
      }
    }
    double evRate = eventRate();
    if (evRate > 0) {
      eventTokens -= events;
      if (eventTokens < 0) {
        wait = Math.max(wait, (long) (-eventTokens / evRate * SECOND));
      }
    }
    return wait;
  }

  /**
   * Takes one request's permit of {@code events} events if the rate and any hold allow it now, and
   * returns 0; otherwise takes nothing and returns the nanoseconds until it may be asked again.
   * Never blocks: for a caller that must not hold its thread (user deletions).
   */
  synchronized long tryAcquire(int events) {
    long now = nanoClock.getAsLong();
    refill(now);
    long wait = Math.max(0, blockedUntil - now);
    double reqRate = requestRate();
    if (reqRate > 0 && requestTokens < 1) {
      wait = Math.max(wait, (long) Math.ceil((1 - requestTokens) / reqRate * SECOND));
    }
    double evRate = eventRate();
    double needed = Math.min(events, Math.max(1, evRate));
    if (evRate > 0 && eventTokens < needed) {
      wait = Math.max(wait, (long) Math.ceil((needed - eventTokens) / evRate * SECOND));
    }
    if (wait > 0) {
      return wait;
    }
    countRequest(now);
    if (reqRate > 0) {
      requestTokens -= 1;
    }
    if (evRate > 0) {
      eventTokens -= events;
    }
    return 0;
  }

  private void refill(long now) {
    double elapsed = (now - lastRefill) / (double) SECOND;
    lastRefill = now;
    double reqRate = requestRate();
    if (reqRate > 0) {
      requestTokens = Math.min(Math.max(1, reqRate), requestTokens + elapsed * reqRate);
    }
    double evRate = eventRate();
    if (evRate > 0) {
      eventTokens = Math.min(Math.max(1, evRate), eventTokens + elapsed * evRate);
    }
  }

  private void countRequest(long now) {
    if (now - windowStart >= SECOND) {
      previousWindowCount = now - windowStart >= 2 * SECOND ? 0 : windowCount;
      windowCount = 0;
      windowStart = now;
    }
    windowCount++;
  }

  /**
   * The destination answered 429: cut the rate, and hold all workers for {@code retryAfter} when
   * given.
   */
  synchronized void throttled(Duration retryAfter) {
    long now = nanoClock.getAsLong();
    if (configuredRequests <= 0 && learnedRequests <= 0) {
      learnedRequests = Math.max(1, Math.max(previousWindowCount, windowCount));
    }
    factor = Math.max(MIN_FACTOR, factor / 2);
    requestTokens = Math.min(requestTokens, 0);
    lastChange = now;
    if (retryAfter != null) {
      blockedUntil = Math.max(blockedUntil, now + retryAfter.toNanos());
    }
  }

  /**
   * Holds every worker of the destination for {@code duration} (no change to the rate): the
   * destination-wide hold a delivery step may set, for example from a {@code Retry-After}.
   */
  synchronized void hold(Duration duration) {
    blockedUntil = Math.max(blockedUntil, nanoClock.getAsLong() + duration.toNanos());
  }

  /**
   * A request went through without a 429: raise the rate by one step per whole second since the
   * last change.
   */
  synchronized void succeeded() {
    long now = nanoClock.getAsLong();
    long seconds = (now - lastChange) / SECOND;
    if (factor < 1.0 && seconds >= 1) {
      factor = Math.min(1.0, factor + INCREASE * seconds);
      lastChange = now;
      if (factor >= 1.0 && configuredRequests <= 0) {
        learnedRequests = 0;
      }
    }
  }

  /** The current request limit per second, 0 when unlimited. */
  synchronized double requestRate() {
    double base = configuredRequests > 0 ? configuredRequests : learnedRequests;
    return base <= 0 ? 0 : base * factor;
  }

  private double eventRate() {
    return configuredEvents <= 0 ? 0 : configuredEvents * factor;
  }
}
