package dev.weir.host.pipeline;

import dev.weir.sdk.Event;

/**
 * The tracking-plan check between a source and the store. {@link PlanGovernance} runs the
 * framework/governance enforcers; {@link #passThrough()} keeps every event unchanged.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Governance {
  /**
   * What to do with one event from {@code sourceId}: keep it (possibly annotated with violations)
   * or block it.
   */
  Decision check(String sourceId, Event event);

  /** Keeps every event as it is. */
  static Governance passThrough() {
    return (sourceId, event) -> Decision.keep(event);
  }

  /**
   * The verdict on one event.
   *
   * @param event the event to store (may carry violations)
   * @param blocked not delivered to the source's routes
   * @param quarantine blocked, but stored under the source's quarantine id ({@code
   *     <source>:quarantine})
   */
  record Decision(Event event, boolean blocked, boolean quarantine) {
    public static Decision keep(Event e) {
      return new Decision(e, false, false);
    }

    public static Decision block(Event e) {
      return new Decision(e, true, false);
    }

    public static Decision quarantine(Event e) {
      return new Decision(e, true, true);
    }
  }

  /**
   * The pseudo-source id quarantined events of {@code sourceId} are stored under (route it to a
   * destination).
   */
  static String quarantineId(String sourceId) {
    return sourceId + QUARANTINE_SUFFIX;
  }

  /** Suffix of quarantine pseudo-source ids. */
  String QUARANTINE_SUFFIX = ":quarantine";
}
