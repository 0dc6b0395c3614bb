package dev.weir.host.pipeline;

import dev.weir.realtime.AppendResult;
import dev.weir.sdk.Event;
import dev.weir.sdk.SubmitResult.EventStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * One call of {@link Pipeline#submit} on its way through the {@link IngestStep}s: the source's
 * events, each one's status as it is decided, and the events to store with where each came from.
 * Owned by the submitting thread; not thread-safe.
 */
final class Submission {
  final String sourceId;
  final List<Event> events;
  final long now;

  /** The events as stamped ({@link StampStep}), by input index. */
  final Event[] stamped;

  /** One per input event; null until decided. */
  final EventStatus[] statuses;

  /** What goes to the store, in order ({@link GovernStep}). */
  final List<Event> toStore;

  /** For each entry of {@link #toStore}: the input index it came from. */
  final int[] index;

  /** For each entry of {@link #toStore}: stored under the quarantine id (status stays BLOCKED). */
  final boolean[] quarantined;

  /**
   * The store's answer for each entry of {@link #toStore} ({@link StoreStep}); empty until then.
   */
  List<AppendResult> results = List.of();

  Submission(String sourceId, List<Event> events, long now) {
    this.sourceId = sourceId;
    this.events = events;
    this.now = now;
    this.stamped = new Event[events.size()];
    this.statuses = new EventStatus[events.size()];
    this.toStore = new ArrayList<>(events.size());
    this.index = new int[events.size()];
    this.quarantined = new boolean[events.size()];
  }

  /** Adds {@code e} (from input {@code i}) to what the store gets. */
  void store(Event e, int i, boolean quarantine) {
    quarantined[toStore.size()] = quarantine;
    index[toStore.size()] = i;
    toStore.add(e);
  }
}
