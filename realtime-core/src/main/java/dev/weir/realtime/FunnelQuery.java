package dev.weir.realtime;

import java.util.List;

/**
 * An ordered funnel: a user converts through step i+1 when, after an event of step i, they do step
 * i+1 within {@code conversionWindowMillis} of their first step. The first step must fall in {@code
 * [fromTime, toTime)}.
 */
public record FunnelQuery(
    List<Step> steps, long fromTime, long toTime, long conversionWindowMillis) {
  /** One step: an event type and filters. */
  public record Step(String eventType, List<Filter> filters) {
    public Step {
      filters = filters == null ? List.of() : List.copyOf(filters);
    }
  }

  public FunnelQuery {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a funnel needs at least one step");
    }
  }
}
