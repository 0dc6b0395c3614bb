package dev.weir.realtime;

/**
 * An open-addressing set of non-zero 64-bit hashes in one {@code long[]} (linear probing, grows by
 * 1.5x at 80% load, so 10 to 15 bytes per key). Not thread-safe: the owning partition's lock guards
 * it.
 */
final class LongKeySet {
  private static final double MAX_LOAD = 0.8;
  private long[] table;
  private int size;
  private int limit;

  LongKeySet(int expected) {
    int cap = Math.max(16, (int) (expected / MAX_LOAD) + 1);
    table = new long[cap];
    limit = (int) (cap * MAX_LOAD);
  }

  int size() {
    return size;
  }

  /** Heap bytes of the key array plus the object headers. */
  long memoryBytes() {
    return 16L + 8L * table.length + 32L;
  }

  /** The keys, in no particular order. */
  long[] toArray() {
    long[] out = new long[size];
    int w = 0;
    for (long v : table) {
      if (v != 0) {
        out[w++] = v;
      }
    }
    return out;
  }

  boolean contains(long key) {
    long[] t = table;
    int i = slot(key, t.length);
    while (true) {
      long v = t[i];
      if (v == 0) {
        return false;
      }
      if (v == key) {
        return true;
      }
      if (++i == t.length) {
        i = 0;
      }
    }
  }

  /** Adds the key; false when it was present. */
  boolean add(long key) {
    if (size >= limit) {
      grow();
    }
    return insert(table, key);
  }

  private boolean insert(long[] t, long key) {
    int i = slot(key, t.length);
    while (true) {
      long v = t[i];
      if (v == 0) {
        t[i] = key;
        size++;
        return true;
      }
      if (v == key) {
        return false;
      }
      if (++i == t.length) {
        i = 0;
      }
    }
  }

  private void grow() {
    long[] old = table;
    long[] t = new long[(int) Math.min(Integer.MAX_VALUE - 8, old.length + (old.length >> 1))];
    size = 0;
    for (long v : old) {
      if (v != 0) {
        insert(t, v);
      }
    }
    table = t;
    limit = (int) (t.length * MAX_LOAD);
  }

  private static int slot(long key, int length) {
    return (int) (((key >>> 32) * length) >>> 32);
  }
}
