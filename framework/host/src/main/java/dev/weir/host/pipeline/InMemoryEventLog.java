package dev.weir.host.pipeline;

import dev.weir.sdk.Event;
import dev.weir.sdk.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory stand-in for the store: per partition a deque of events and the sequence of its head. Bounded: an
 * append that would exceed the capacity is refused whole with {@link StoreUnavailableException} (sources answer 503)
 * rather than blocking. One lock guards everything; fine for a stand-in. Thread-safe.
 */
final class InMemoryEventLog implements EventLog {
  private final int partitions;
  private final int capacity;
  private final ArrayDeque<Event>[] queues;
  private final long[] headSeq;
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
    this.queues = new ArrayDeque[partitions];
    this.headSeq = new long[partitions];
    for (int i = 0; i < partitions; i++) {
      queues[i] = new ArrayDeque<>();
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
        queues[parts[i]].addLast(events.get(i));
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
      ArrayDeque<Event> q = queues[partition];
      long head = headSeq[partition];
      long start = Math.max(fromSeq, head);
      List<Entry> out = new ArrayList<>(Math.min(max, q.size()));
      long seq = head;
      for (Iterator<Event> it = q.iterator(); it.hasNext() && out.size() < max; seq++) {
        Event e = it.next();
        if (seq >= start) {
          out.add(new Entry(partition, seq, e));
        }
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
      return headSeq[partition] + queues[partition].size();
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
      ArrayDeque<Event> q = queues[partition];
      while (headSeq[partition] < seq && !q.isEmpty()) {
        q.removeFirst();
        headSeq[partition]++;
        size--;
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
