package dev.weir.governance;

import dev.weir.sdk.Event;
import dev.weir.sdk.Violation;
import java.util.List;

/**
 * Sees every decision an {@link Enforcer} makes, for reporting (metrics, the violation log).
 * Observers are chained by the enforcer in order; each must be thread-safe. An observer that throws
 * is logged and skipped: reporting never changes what happens to an event.
 */
interface DecisionObserver {
  /**
   * @param source the source id
   * @param original the event as received
   * @param decision what was decided
   * @param acted every violation found with the action applied to it ({@code allow}, {@code flag},
   *     {@code keep}, {@code omit}, {@code omit_property} or {@code block}), including allowed
   *     unplanned events
   */
  void observe(String source, Event original, Decision decision, List<Acted> acted);

  /** One violation and what was done about it. */
  record Acted(Violation violation, String action) {}
}
