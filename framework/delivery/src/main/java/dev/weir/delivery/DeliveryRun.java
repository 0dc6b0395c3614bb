package dev.weir.delivery;

import dev.weir.runtime.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The narrow view of one destination's runner that delivery steps act through: the runner owns the
 * queues, threads, read-ahead and cursors; steps only say what happened to an item. Thread-safe.
 */
interface DeliveryRun {
  DestinationConfig config();

  DestinationMetrics metrics();

  Clock clock();

  Redactor redactor();

  /** True once the runner was halted (a simulated crash): steps stop without a trace. */
  boolean halted();

  /** The item is done (delivered, or dead-lettered): release its slot and its user's next event. */
  void resolve(Item item, boolean delivered);

  /** Queue the item for another attempt in {@code delayMillis} (from {@code now}). */
  void retryLater(Item item, long delayMillis, long now);

  /** Whether the item is older than the destination's retention (its event may be gone). */
  boolean expired(Item item, long now);

  /**
   * Appends dead letters to the destination's store.
   *
   * @throws java.io.UncheckedIOException when they cannot be written
   */
  void writeDeadLetters(List<DeadLetter> letters);

  /**
   * Holds every worker of the destination for {@code duration} before its next request (the
   * destination-wide hold; a 429 with {@code Retry-After} sets it through the rate limiter).
   */
  void holdDestination(Duration duration);

  /** Whether a user deletion removed the item's event since it was read: it must not be sent. */
  default boolean forgotten(Item item) {
    return false;
  }
}
