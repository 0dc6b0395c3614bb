package dev.weir.realtime;

import java.util.List;

/**
 * An ordered funnel: a user converts through step i+1 when, after their event of step i, they do
 * step i+1 within {@code conversionWindowMillis} of their first step (same-time events count in
 * store order). The first step must fall in {@code [fromTime, toTime)}. With {@code holdConstant}
 * set (a column such as {@code event_properties.plan}), every later step must have the same value
 * of it as the first step, and a first step without it converts no further. Scoped to {@code
 * sources} like {@link SegmentationQuery}. Immutable.
 */
public record FunnelQuery(
    List<Step> steps,
    long fromTime,
    long toTime,
    long conversionWindowMillis,
    String holdConstant,
    List<String> sources) {
  /** One step: an event type (null = any) and filters. */
  public record Step(String eventType, List<Filter> filters) {
    public Step {
      filters = filters == null ? List.of() : List.copyOf(filters);
    }
  }

  public FunnelQuery {
    steps = List.copyOf(steps);
    sources = sources == null ? List.of() : List.copyOf(sources);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a funnel needs at least one step");
    }
    if (steps.size() > 32) {
      throw new IllegalArgumentException("a funnel has at most 32 steps, got " + steps.size());
    }
    if (conversionWindowMillis < 0) {
      throw new IllegalArgumentException("the conversion window must be >= 0");
    }
  }

  public FunnelQuery(List<Step> steps, long fromTime, long toTime, long conversionWindowMillis) {
    this(steps, fromTime, toTime, conversionWindowMillis, null, List.of());
  }
}
