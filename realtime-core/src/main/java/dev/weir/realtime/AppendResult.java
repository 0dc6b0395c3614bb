package dev.weir.realtime;

/**
 * What {@link RealtimeStore#append} did with one event: stored (with its partition and sequence),
 * dropped as a duplicate (sequence -1), or rejected because the event lacks what the store needs
 * (reason says what).
 */
public record AppendResult(Status status, int partition, long sequence, String reason) {
  /** The outcome of one event. */
  public enum Status {
    STORED,
    DUPLICATE,
    REJECTED
  }

  /** A result without a reason (stored or duplicate). */
  public AppendResult(Status status, int partition, long sequence) {
    this(status, partition, sequence, null);
  }

  static AppendResult stored(int partition, long sequence) {
    return new AppendResult(Status.STORED, partition, sequence, null);
  }

  static AppendResult duplicate(int partition) {
    return new AppendResult(Status.DUPLICATE, partition, -1, null);
  }

  static AppendResult rejected(String reason) {
    return new AppendResult(Status.REJECTED, -1, -1, reason);
  }
}
