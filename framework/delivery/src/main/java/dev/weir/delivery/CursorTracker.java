package dev.weir.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Per-partition read position and the set of read-but-unresolved sequences of one destination. The
 * cursor of a partition is its lowest unresolved sequence, or the read position when none is:
 * everything below it is delivered, dead-lettered or filtered. After a restart, the sequences that
 * were unresolved at the last save are {@linkplain #restoredRange re-read} before new ones.
 * Thread-safe.
 */
final class CursorTracker implements Item.Origin {
  private final long[] readPos;
  private final TreeSet<Long>[] outstanding;
  private final TreeSet<Long>[] restored;

  @SuppressWarnings("unchecked")
  CursorTracker(int partitions, Map<Integer, PartitionState> saved) {
    readPos = new long[partitions];
    outstanding = new TreeSet[partitions];
    restored = new TreeSet[partitions];
    for (int p = 0; p < partitions; p++) {
      outstanding[p] = new TreeSet<>();
      PartitionState s = saved.get(p);
      readPos[p] = s == null ? 0 : s.read();
      restored[p] = s == null ? new TreeSet<>() : s.unresolved();
    }
  }

  synchronized long readPosition(int p) {
    return readPos[p];
  }

  /**
   * The next contiguous run {@code [from, to)} of at most {@code max} restored sequences to
   * re-read, removed from the restored set; null when none is left.
   */
  synchronized long[] restoredRange(int p, int max) {
    if (restored[p].isEmpty() || max <= 0) {
      return null;
    }
    long from = restored[p].pollFirst();
    long to = from + 1;
    while (to - from < max && !restored[p].isEmpty() && restored[p].first() == to) {
      restored[p].pollFirst();
      to++;
    }
    // keep them unresolved until tracked: outstanding covers them from now on
    for (long s = from; s < to; s++) {
      outstanding[p].add(s);
    }
    return new long[] {from, to};
  }

  /** {@code seq} was read and is now outstanding. */
  synchronized void track(int p, long seq) {
    outstanding[p].add(seq);
    readPos[p] = Math.max(readPos[p], seq + 1);
  }

  /**
   * {@code seq} was read and needs nothing more (filtered, already dead-lettered, or gone from the
   * log).
   */
  synchronized void skip(int p, long seq) {
    outstanding[p].remove(seq);
    readPos[p] = Math.max(readPos[p], seq + 1);
  }

  /** Moves the read position forward to {@code seq} (the log no longer has what lies below). */
  synchronized void jump(int p, long seq) {
    readPos[p] = Math.max(readPos[p], seq);
  }

  synchronized long cursor(int p) {
    long c = readPos[p];
    if (!outstanding[p].isEmpty()) {
      c = Math.min(c, outstanding[p].first());
    }
    if (!restored[p].isEmpty()) {
      c = Math.min(c, restored[p].first());
    }
    return c;
  }

  synchronized Map<Integer, PartitionState> states() {
    Map<Integer, PartitionState> m = new HashMap<>();
    for (int p = 0; p < readPos.length; p++) {
      TreeSet<Long> unresolved = new TreeSet<>(outstanding[p]);
      unresolved.addAll(restored[p]);
      m.put(p, PartitionState.of(readPos[p], unresolved));
    }
    return m;
  }

  @Override
  public synchronized void resolved(Item item, boolean delivered) {
    outstanding[item.partition].remove(item.sequence);
  }
}
