package dev.weir.governance;

import dev.weir.sdk.Event;
import dev.weir.sdk.Violation;
import java.util.List;
import java.util.Objects;

/**
 * What governance decided for one event. Immutable.
 *
 * @param outcome pass, flagged, trimmed or blocked
 * @param event the event to pass on: unchanged ({@code PASS}), with properties removed ({@code
 *     TRIMMED}), with its violations attached ({@code FLAGGED}, possibly also trimmed), or, for
 *     {@code BLOCKED}, the original event with every violation attached, ready for a quarantine
 *     destination
 * @param violations every violation found and acted on (flagged, omitted or blocking); allowed
 *     unplanned events are not violations here, though they are counted
 * @param quarantine true when the event is blocked and the source sends blocked events to
 *     quarantine
 * @param planId the plan checked against
 * @param planVersion the version checked against; null when the plan is not loaded, so nothing was
 *     checked
 */
public record Decision(
    Outcome outcome,
    Event event,
    List<Violation> violations,
    boolean quarantine,
    String planId,
    Integer planVersion) {

  /** The four outcomes. */
  public enum Outcome {
    /** No violations acted on; the event is unchanged. */
    PASS,
    /** Violations are attached to the event (it may also have been trimmed). */
    FLAGGED,
    /** Offending properties were removed; nothing left to flag. */
    TRIMMED,
    /**
     * The event must not be delivered: drop it, or quarantine it when {@link
     * Decision#quarantine()}.
     */
    BLOCKED
  }

  public Decision {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(event, "event");
    violations = List.copyOf(violations);
  }

  /** True unless blocked: the event goes on to dedup and delivery. */
  public boolean accepted() {
    return outcome != Outcome.BLOCKED;
  }
}
