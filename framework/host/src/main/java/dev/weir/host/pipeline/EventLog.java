package dev.weir.host.pipeline;

import dev.weir.sdk.Event;
import java.time.Duration;
import java.util.List;

/**
 * The hand-off between sources and destinations: a partitioned, append-only log with per-partition sequence numbers.
 * Today an in-memory bounded log ({@link #inMemory}); the durable realtime-core store implements the same contract.
 * All methods are thread-safe.
 */
public interface EventLog extends AutoCloseable {
  /** How many partitions events are spread over (by device, then user). */
  int partitions();

  /**
   * Appends events; returns only once they are in the log.
   *
   * @throws dev.weir.sdk.StoreUnavailableException when the log is full or closed; nothing was appended
   */
  void append(List<Event> events);

  /** Up to {@code max} entries of {@code partition} from sequence {@code fromSeq} on, in order. */
  List<Entry> read(int partition, long fromSeq, int max);

  /** The sequence number the next appended event of {@code partition} will get. */
  long endSeq(int partition);

  /** Waits until something is appended or the log closes, at most {@code timeout}; false on timeout. */
  boolean awaitAppend(long seenAppendCount, Duration timeout) throws InterruptedException;

  /** How many appends happened so far; pass it to {@link #awaitAppend} to wait for the next one. */
  long appendCount();

  /** Every consumer is past {@code seq} in {@code partition}: entries before it may be dropped. */
  void release(int partition, long seq);

  /** Refuses further appends; entries already in stay readable. */
  @Override
  void close();

  /** One event at its place in the log. */
  record Entry(int partition, long seq, Event event) {}

  /** A bounded in-memory log holding at most {@code capacity} unreleased events. */
  static EventLog inMemory(int partitions, int capacity) {
    return new InMemoryEventLog(partitions, capacity);
  }
}
