package dev.weir.sdk;

import java.util.List;
import java.util.Objects;

/**
 * What became of each event a source submitted, in submission order. Immutable.
 *
 * @param statuses one status per submitted event
 */
public record SubmitResult(List<EventStatus> statuses) {
  public SubmitResult {
    statuses = List.copyOf(Objects.requireNonNull(statuses, "statuses"));
  }

  /** The fate of one submitted event. */
  public enum EventStatus {
    /** Durable in the store; will be delivered. */
    STORED,
    /** Its dedup key was already stored within the dedup window; dropped. */
    DUPLICATE,
    /** Blocked by the source's tracking plan; dropped or quarantined, never delivered. */
    BLOCKED
  }

  public int size() {
    return statuses.size();
  }

  public EventStatus status(int index) {
    return statuses.get(index);
  }

  public long count(EventStatus status) {
    return statuses.stream().filter(s -> s == status).count();
  }
}
