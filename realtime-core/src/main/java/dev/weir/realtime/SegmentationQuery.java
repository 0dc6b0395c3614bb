package dev.weir.realtime;

import java.util.List;
import java.util.Objects;

/**
 * Event segmentation: events of {@code eventType} (null = any) matching all {@code filters}, with
 * event time in {@code [fromTime, toTime)}, bucketed, counted as events or distinct users,
 * optionally grouped by one column.
 */
public record SegmentationQuery(
    String eventType,
    List<Filter> filters,
    long fromTime,
    long toTime,
    Bucket bucket,
    Metric metric,
    String groupBy) {
  /** Time bucket width. */
  public enum Bucket {
    MINUTE(60_000L),
    HOUR(3_600_000L),
    DAY(86_400_000L);

    final long millis;

    Bucket(long millis) {
      this.millis = millis;
    }
  }

  /** What is counted per bucket. */
  public enum Metric {
    COUNT,
    UNIQUES
  }

  public SegmentationQuery {
    filters = filters == null ? List.of() : List.copyOf(filters);
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(metric, "metric");
  }
}
