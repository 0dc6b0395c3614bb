package dev.weir.realtime;

import java.util.List;
import java.util.Objects;

/**
 * Event segmentation: events of {@code eventType} (null = any) matching all {@code filters} (each
 * may be an {@link Filter#and}/{@link Filter#or}), with event time in {@code [fromTime, toTime)},
 * bucketed, measured by {@code metric} (of the numeric {@code metricProperty} for SUM, AVG, MIN,
 * MAX), optionally grouped by one column. With a group-by and {@code limit > 0}, the {@code limit}
 * groups with the largest total are kept and the rest are measured together as {@code (other)}.
 * {@code sources} scopes the query to those source ids; empty means every source except quarantine
 * ({@code <source>:quarantine}), which is read only when named. Immutable.
 */
public record SegmentationQuery(
    String eventType,
    List<Filter> filters,
    long fromTime,
    long toTime,
    Bucket bucket,
    Metric metric,
    String groupBy,
    String metricProperty,
    int limit,
    List<String> sources) {
  /** Time bucket width. */
  public enum Bucket {
    MINUTE(60_000L),
    HOUR(3_600_000L),
    DAY(86_400_000L);

    final long millis;

    Bucket(long millis) {
      this.millis = millis;
    }

    public long millis() {
      return millis;
    }
  }

  /** What is measured per bucket. */
  public enum Metric {
    COUNT,
    UNIQUES,
    SUM,
    AVG,
    MIN,
    MAX;

    boolean numeric() {
      return this == SUM || this == AVG || this == MIN || this == MAX;
    }
  }

  public SegmentationQuery {
    filters = filters == null ? List.of() : List.copyOf(filters);
    sources = sources == null ? List.of() : List.copyOf(sources);
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(metric, "metric");
    if (metric.numeric() && metricProperty == null) {
      throw new IllegalArgumentException(metric + " needs a metric property");
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
  }

  /** Counts or distinct users, every group, every non-quarantine source. */
  public SegmentationQuery(
      String eventType,
      List<Filter> filters,
      long fromTime,
      long toTime,
      Bucket bucket,
      Metric metric,
      String groupBy) {
    this(eventType, filters, fromTime, toTime, bucket, metric, groupBy, null, 0, List.of());
  }
}
