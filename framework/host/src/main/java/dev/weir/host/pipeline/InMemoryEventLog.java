package dev.weir.host.pipeline;

import dev.weir.sdk.Event;
import dev.weir.sdk.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory stand-in for the store: per partition a list of events, the sequence of its first element, and how
 * many leading elements are released (compacted away in bulk, so reads are index lookups). Bounded: an
 * append that would exceed the capacity is refused whole with {@link StoreUnavailableException} (sources answer 503)
 * rather than blocking. One lock guards everything; fine for a stand-in. Thread-safe.
 */
final class InMemoryEventLog implements EventLog {
  private final int partitions;
  private final int capacity;
  private final ArrayList<Event>[] items;
  private final long[] baseSeq;
  private final int[] released;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();
  private final AtomicLong roundRobin = new AtomicLong();
  private long appends;
  private int size;
  private boolean closed;

  @SuppressWarnings("unchecked")
  InMemoryEventLog(int partitions, int capacity) {
    this.partitions = partitions;
    this.capacity = capacity;
    this.items = new ArrayList[partitions];
    this.baseSeq = new long[partitions];
    this.released = new int[partitions];
    for (int i = 0; i < partitions; i++) {
      items[i] = new ArrayList<>();
    }
  }

  @Override
  public int partitions() {
    return partitions;
  }

  int partitionOf(Event e) {
    String key = e.deviceId() != null ? e.deviceId() : e.userId() != null ? e.userId() : e.insertId();
    if (key == null) {
      return (int) Math.floorMod(roundRobin.getAndIncrement(), (long) partitions);
    }
    return Math.floorMod(key.hashCode(), partitions);
  }

  @Override
  public void append(List<Event> events) {
    int[] parts = new int[events.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = partitionOf(events.get(i));
    }
    lock.lock();
    try {
      if (closed) {
        throw new StoreUnavailableException("the store is shutting down");
      }
      if (size + events.size() > capacity) {
        throw new StoreUnavailableException("the in-memory store is full (" + size + " of " + capacity
            + " events): destinations are behind");
      }
      for (int i = 0; i < parts.length; i++) {
        items[parts[i]].add(events.get(i));
      }
      size += events.size();
      appends++;
      appended.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Entry> read(int partition, long fromSeq, int max) {
    lock.lock();
    try {
      ArrayList<Event> list = items[partition];
      long first = baseSeq[partition] + released[partition];
      int from = (int) (Math.max(fromSeq, first) - baseSeq[partition]);
      int to = Math.min(list.size(), from + Math.max(0, max));
      List<Entry> out = new ArrayList<>(Math.max(0, to - from));
      for (int i = from; i < to; i++) {
        out.add(new Entry(partition, baseSeq[partition] + i, list.get(i)));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long endSeq(int partition) {
    lock.lock();
    try {
      return baseSeq[partition] + items[partition].size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean awaitAppend(long seen, Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (appends == seen && !closed) {
        if (nanos <= 0) {
          return false;
        }
        nanos = appended.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long appendCount() {
    lock.lock();
    try {
      return appends;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void release(int partition, long seq) {
    lock.lock();
    try {
      ArrayList<Event> list = items[partition];
      int upTo = (int) Math.min(list.size(), Math.max(0, seq - baseSeq[partition]));
      if (upTo <= released[partition]) {
        return;
      }
      size -= upTo - released[partition];
      released[partition] = upTo;
      if (upTo >= 4096 || upTo * 2 >= list.size()) {
        list.subList(0, upTo).clear();
        baseSeq[partition] += upTo;
        released[partition] = 0;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      appended.signalAll();
    } finally {
      lock.unlock();
    }
  }

}
