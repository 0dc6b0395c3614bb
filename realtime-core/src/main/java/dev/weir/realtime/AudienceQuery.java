package dev.weir.realtime;

import java.util.List;

/**
 * The users (user id, else device id) with an event of {@code eventType} (null = any) matching the
 * filters.
 */
public record AudienceQuery(String eventType, List<Filter> filters, long fromTime, long toTime) {
  public AudienceQuery {
    filters = filters == null ? List.of() : List.copyOf(filters);
  }
}
