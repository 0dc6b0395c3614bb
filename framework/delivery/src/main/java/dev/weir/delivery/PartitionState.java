package dev.weir.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The saved delivery state of one partition for one destination: everything below {@code read} was
 * read, and of that, only the sequences in {@code pending} (sorted, disjoint {@code [from, to)}
 * ranges) are not yet resolved. Saving the pending ranges, not just the low watermark, means a
 * restart resends only what was really unresolved (plus what was acknowledged after the last save).
 * Immutable.
 */
record PartitionState(long read, List<long[]> pending) {

  PartitionState {
    pending = List.copyOf(pending);
  }

  /** The lowest unresolved sequence: where a plain cursor would stand. */
  long cursor() {
    return pending.isEmpty() ? read : pending.get(0)[0];
  }

  static PartitionState of(long read, NavigableSet<Long> unresolved) {
    List<long[]> ranges = new ArrayList<>();
    long from = -1;
    long to = -1;
    for (long s : unresolved) {
      if (s == to) {
        to++;
      } else {
        if (from >= 0) {
          ranges.add(new long[] {from, to});
        }
        from = s;
        to = s + 1;
      }
    }
    if (from >= 0) {
      ranges.add(new long[] {from, to});
    }
    return new PartitionState(read, ranges);
  }

  TreeSet<Long> unresolved() {
    TreeSet<Long> out = new TreeSet<>();
    for (long[] r : pending) {
      for (long s = r[0]; s < r[1]; s++) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PartitionState other)
        || other.read != read
        || other.pending.size() != pending.size()) {
      return false;
    }
    for (int i = 0; i < pending.size(); i++) {
      if (pending.get(i)[0] != other.pending.get(i)[0]
          || pending.get(i)[1] != other.pending.get(i)[1]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    long h = read;
    for (long[] r : pending) {
      h = h * 31 + r[0] * 17 + r[1];
    }
    return Long.hashCode(h);
  }
}
