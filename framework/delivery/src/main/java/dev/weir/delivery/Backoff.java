package dev.weir.delivery;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with jitter for one destination: {@code initial_backoff × 2^(attempts-1)},
 * capped at {@code max_backoff}, then a random point in its upper half. Thread-safe.
 */
final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private final LongUnaryOperator jitter;

  Backoff(DestinationConfig config) {
    this(
        config.initialBackoff().toMillis(),
        config.maxBackoff().toMillis(),
        bound -> ThreadLocalRandom.current().nextLong(bound));
  }

  /**
   * @param jitter given a bound, a value in {@code [0, bound)}
   */
  Backoff(long initialMillis, long maxMillis, LongUnaryOperator jitter) {
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
    this.jitter = jitter;
  }

  /** How long to wait before attempt {@code attempts + 1}. */
  long delayMillis(int attempts) {
    long base = initialMillis << Math.min(Math.max(0, attempts - 1), 30);
    long capped = Math.min(Math.max(1, base), maxMillis);
    return capped / 2 + jitter.applyAsLong(capped / 2 + 1);
  }
}
