package dev.weir.host.pipeline;

import dev.weir.sdk.Event;

/**
 * The tracking-plan check between a source and the store. The framework/governance module implements it; until a
 * plan is bound, {@link #passThrough()} keeps every event unchanged. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Governance {
  /** What to do with one event from {@code sourceId}: keep it (possibly annotated with violations) or block it. */
  Decision check(String sourceId, Event event);

  /** Keeps every event as it is. */
  static Governance passThrough() {
    return (sourceId, event) -> Decision.keep(event);
  }

  /** The verdict on one event. @param event the event to store (may carry violations) @param blocked drop it */
  record Decision(Event event, boolean blocked) {
    public static Decision keep(Event e) {
      return new Decision(e, false);
    }

    public static Decision block(Event e) {
      return new Decision(e, true);
    }
  }
}
