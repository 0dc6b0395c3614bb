package dev.weir.realtime;

import java.util.List;
import java.util.Objects;

/**
 * Retention: users whose first {@code start} event in {@code [fromTime, toTime)} falls in a bucket
 * form that bucket's cohort; for each of the {@code periods} following buckets, how many of them
 * did a {@code returning} event in it. Scoped to {@code sources} like {@link SegmentationQuery}.
 * Immutable.
 */
public record RetentionQuery(
    FunnelQuery.Step start,
    FunnelQuery.Step returning,
    long fromTime,
    long toTime,
    SegmentationQuery.Bucket bucket,
    int periods,
    List<String> sources) {
  public RetentionQuery {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(returning, "returning");
    Objects.requireNonNull(bucket, "bucket");
    sources = sources == null ? List.of() : List.copyOf(sources);
    if (periods < 1 || periods > 366) {
      throw new IllegalArgumentException("periods must be 1..366, got " + periods);
    }
  }
}
