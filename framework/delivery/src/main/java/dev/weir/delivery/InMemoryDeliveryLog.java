package dev.weir.delivery;

import dev.weir.sdk.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DeliveryLog} held in memory: for tests, benchmarks and embedding. Events are partitioned
 * by the hash of their identity (user id, else device id). Thread-safe; {@link #dropBefore}
 * simulates store retention.
 */
public final class InMemoryDeliveryLog implements DeliveryLog {
  private final List<List<LogEntry>> partitions = new ArrayList<>();
  private final long[] dropped;

  public InMemoryDeliveryLog(int partitionCount) {
    if (partitionCount < 1) {
      throw new IllegalArgumentException("partitionCount must be >= 1");
    }
    for (int i = 0; i < partitionCount; i++) {
      partitions.add(new ArrayList<>());
    }
    dropped = new long[partitionCount];
  }

  /** Appends to the partition of the event's identity; returns the stored entry. */
  public LogEntry append(Event event) {
    String identity = event.identity();
    int p = identity == null ? 0 : Math.floorMod(identity.hashCode(), partitions.size());
    return append(p, event);
  }

  public LogEntry append(int partition, Event event) {
    List<LogEntry> list = partitions.get(partition);
    synchronized (list) {
      LogEntry entry = new LogEntry(partition, dropped[partition] + list.size(), event);
      list.add(entry);
      return entry;
    }
  }

  /**
   * Forgets the entries of {@code partition} below {@code sequence}, like a store enforcing
   * retention.
   */
  public void dropBefore(int partition, long sequence) {
    List<LogEntry> list = partitions.get(partition);
    synchronized (list) {
      long n = Math.min(Math.max(0, sequence - dropped[partition]), list.size());
      list.subList(0, (int) n).clear();
      dropped[partition] += n;
    }
  }

  @Override
  public int partitionCount() {
    return partitions.size();
  }

  @Override
  public long nextSequence(int partition) {
    List<LogEntry> list = partitions.get(partition);
    synchronized (list) {
      return dropped[partition] + list.size();
    }
  }

  @Override
  public long oldestSequence(int partition) {
    List<LogEntry> list = partitions.get(partition);
    synchronized (list) {
      return dropped[partition];
    }
  }

  @Override
  public List<LogEntry> read(int partition, long fromSequence, int max) {
    List<LogEntry> list = partitions.get(partition);
    synchronized (list) {
      long from = Math.max(fromSequence, dropped[partition]) - dropped[partition];
      if (from >= list.size() || max <= 0) {
        return List.of();
      }
      int to = (int) Math.min(list.size(), from + max);
      return List.copyOf(list.subList((int) from, to));
    }
  }
}
