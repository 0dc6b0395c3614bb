package dev.weir.delivery;

import java.util.List;

/**
 * The ordered, partitioned event log the engine delivers from (the real-time store, adapted by the
 * host). Each partition is a sequence of entries numbered densely from {@link #oldestSequence(int)}
 * up to, excluding, {@link #nextSequence(int)}. Implementations must be thread-safe: the engine
 * reads from several threads.
 */
public interface DeliveryLog {
  int partitionCount();

  /** The sequence the next appended entry of {@code partition} will get (one past the newest). */
  long nextSequence(int partition);

  /**
   * Up to {@code max} entries of {@code partition} with sequence {@code >= fromSequence}, in order.
   */
  List<LogEntry> read(int partition, long fromSequence, int max);

  /**
   * The oldest sequence still readable in {@code partition}; entries below it were dropped by
   * retention.
   */
  default long oldestSequence(int partition) {
    return 0;
  }
}
