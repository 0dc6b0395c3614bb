package dev.weir.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Per-partition read position and the set of read-but-unresolved sequences of one destination. The cursor of a
 * partition is its lowest unresolved sequence, or the read position when none is outstanding: everything below it
 * is delivered, dead-lettered or filtered. Thread-safe.
 */
final class CursorTracker implements Item.Origin {
  private final long[] readPos;
  private final TreeSet<Long>[] outstanding;

  @SuppressWarnings("unchecked")
  CursorTracker(int partitions, Map<Integer, Long> saved) {
    readPos = new long[partitions];
    outstanding = new TreeSet[partitions];
    for (int p = 0; p < partitions; p++) {
      outstanding[p] = new TreeSet<>();
      readPos[p] = saved.getOrDefault(p, 0L);
    }
  }

  synchronized long readPosition(int p) {
    return readPos[p];
  }

  /** {@code seq} was read and is now outstanding. */
  synchronized void track(int p, long seq) {
    outstanding[p].add(seq);
    readPos[p] = Math.max(readPos[p], seq + 1);
  }

  /** {@code seq} was read and needs nothing more (filtered, or already dead-lettered). */
  synchronized void skip(int p, long seq) {
    readPos[p] = Math.max(readPos[p], seq + 1);
  }

  /** Moves the read position forward to {@code seq} (the log no longer has what lies below). */
  synchronized void jump(int p, long seq) {
    readPos[p] = Math.max(readPos[p], seq);
  }

  synchronized long cursor(int p) {
    return outstanding[p].isEmpty() ? readPos[p] : outstanding[p].first();
  }

  synchronized Map<Integer, Long> cursors() {
    Map<Integer, Long> m = new HashMap<>();
    for (int p = 0; p < readPos.length; p++) {
      m.put(p, cursor(p));
    }
    return m;
  }

  @Override
  public synchronized void resolved(Item item, boolean delivered) {
    outstanding[item.partition].remove(item.sequence);
  }
}
