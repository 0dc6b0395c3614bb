package dev.weir.definitions;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a definition declares about delivery, as a plain immutable value the host translates into
 * the delivery engine's per-destination config. Absent limits are 0 (meaning: the engine's default
 * or unlimited).
 *
 * @param mode {@code stream} (one event per request) or {@code batch}
 * @param maxEvents most events per request
 * @param maxBytes most bytes per request body (the runtime also splits a larger hand-over itself)
 * @param maxDelay longest wait to fill a batch
 * @param batchKey JSONata over the event giving its batch key, or null for one key
 * @param requestsPerSecond 0 for unlimited
 * @param eventsPerSecond 0 for unlimited
 * @param successStatuses status patterns ({@code 200}, {@code 2xx}) that mean delivered
 * @param retryStatuses status patterns that mean try again
 * @param dropStatuses status patterns that mean dead-letter
 * @param maxAttempts 0 for the engine default
 * @param maxAge longest an event may keep being retried, or null for the engine default
 * @param idempotencyHeader header carrying the insert id, or null
 * @param retryAfter where a retried response says how long to wait, beyond {@code Retry-After}, or
 *     null
 */
public record DeliverySettings(
    String mode,
    int maxEvents,
    long maxBytes,
    Duration maxDelay,
    String batchKey,
    double requestsPerSecond,
    double eventsPerSecond,
    List<String> successStatuses,
    List<String> retryStatuses,
    List<String> dropStatuses,
    int maxAttempts,
    Duration maxAge,
    String idempotencyHeader,
    RetryAfter retryAfter) {
  /**
   * Where a retryable response carries its delay ({@code delivery.retry.retry_after}): a header
   * ({@code X-RateLimit-Reset}) or a JSONata expression over the parsed body, read in {@code
   * format}.
   *
   * @param header the header's name, or null
   * @param body the expression's source, or null
   * @param format {@code delay_seconds}, {@code delay_milliseconds}, {@code epoch_seconds}, {@code
   *     epoch_milliseconds} or {@code http_date}; null reads delay seconds or an HTTP date, like
   *     {@code Retry-After}
   */
  public record RetryAfter(String header, String body, String format) {}

  public DeliverySettings {
    Objects.requireNonNull(mode, "mode");
    successStatuses = List.copyOf(successStatuses);
    retryStatuses = List.copyOf(retryStatuses);
    dropStatuses = List.copyOf(dropStatuses);
  }

  public boolean batched() {
    return "batch".equals(mode);
  }
}
