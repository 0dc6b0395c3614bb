package dev.weir.delivery;

import dev.weir.sdk.Event;
import java.util.Objects;

/** One stored event at its place in the log. Immutable. */
public record LogEntry(int partition, long sequence, Event event) {
  public LogEntry {
    Objects.requireNonNull(event, "event");
  }
}
