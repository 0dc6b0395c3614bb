package dev.weir.realtime;

import java.util.List;

/**
 * The users (user id, else device id) with an event of {@code eventType} (null = any) matching the
 * filters in {@code [fromTime, toTime)}, scoped to {@code sources} like {@link SegmentationQuery}.
 */
public record AudienceQuery(
    String eventType, List<Filter> filters, long fromTime, long toTime, List<String> sources) {
  public AudienceQuery {
    filters = filters == null ? List.of() : List.copyOf(filters);
    sources = sources == null ? List.of() : List.copyOf(sources);
  }

  public AudienceQuery(String eventType, List<Filter> filters, long fromTime, long toTime) {
    this(eventType, filters, fromTime, toTime, List.of());
  }
}
