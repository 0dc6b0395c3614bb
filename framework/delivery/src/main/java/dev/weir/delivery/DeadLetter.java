package dev.weir.delivery;

import dev.weir.sdk.Event;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An event the engine gave up on, with what happened. Immutable.
 *
 * @param id unique id of this record
 * @param destination the destination id
 * @param reason why it was given up: {@code rejected} (permanent error), {@code max_attempts},
 *     {@code max_age} (retried too long), or {@code expired} (older than retention before it could
 *     be delivered)
 * @param classification the class of the last outcome: {@code permanent}, {@code retryable} or
 *     {@code none}
 * @param partition log partition, or -1 when unknown
 * @param sequence log sequence, or -1 when unknown
 * @param event the event as it would have been delivered (after mapping)
 * @param attempts delivery attempts made
 * @param firstAttemptAt epoch millis of the first attempt, 0 when never attempted
 * @param lastAttemptAt epoch millis of the last attempt, 0 when never attempted
 * @param lastStatusCode protocol status of the last attempt, 0 when none
 * @param response excerpt of the last response or error, with secrets removed
 * @param deadLetteredAt epoch millis when it was dead-lettered
 */
public record DeadLetter(
    String id,
    String destination,
    String reason,
    String classification,
    int partition,
    long sequence,
    Event event,
    int attempts,
    long firstAttemptAt,
    long lastAttemptAt,
    int lastStatusCode,
    String response,
    long deadLetteredAt) {

  public DeadLetter {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(classification, "classification");
    Objects.requireNonNull(event, "event");
    response = response == null ? "" : response;
  }

  /**
   * This record as a JSON-ready map (snake_case keys): what the dead-letter store writes and the
   * admin API serves.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("destination", destination);
    m.put("reason", reason);
    m.put("classification", classification);
    m.put("partition", partition);
    m.put("sequence", sequence);
    m.put("attempts", attempts);
    m.put("first_attempt_at", firstAttemptAt);
    m.put("last_attempt_at", lastAttemptAt);
    m.put("last_status_code", lastStatusCode);
    m.put("response", response);
    m.put("dead_lettered_at", deadLetteredAt);
    m.put("event", event.toMap());
    return m;
  }
}
