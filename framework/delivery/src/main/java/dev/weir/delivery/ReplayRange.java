package dev.weir.delivery;

import java.time.Instant;

/**
 * Which part of the log to replay: a sequence range in one partition, or an upload-time range over
 * all partitions. Ranges include the start and exclude the end. Immutable.
 */
public record ReplayRange(
    int partition, long fromSequence, long toSequence, Instant from, Instant to) {

  /** Sequences {@code [from, to)} of {@code partition}. */
  public static ReplayRange ofSequences(int partition, long from, long to) {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("replay sequence range must satisfy 0 <= from <= to");
    }
    return new ReplayRange(partition, from, to, null, null);
  }

  /** Events of every partition whose upload time is in {@code [from, to)}. */
  public static ReplayRange ofTime(Instant from, Instant to) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("replay time range must satisfy from <= to");
    }
    return new ReplayRange(-1, 0, 0, from, to);
  }

  boolean byTime() {
    return from != null;
  }
}
