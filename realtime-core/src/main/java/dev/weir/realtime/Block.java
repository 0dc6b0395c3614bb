package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.util.Arrays;
import java.util.List;

/**
 * One upload-time interval of one partition: its rows (row-oriented, for dedup and the log), its
 * dedup key set and its write-ahead file. Mutated only under the partition lock; readers take
 * {@link #rows()}, an immutable prefix view published after each append, so queries never block
 * appends.
 */
final class Block {
  final long start;
  final long end;
  final String name;
  WalFile wal;
  LongKeySet keys;

  /** Data-clock nanos of the last write, for data-time LRU expiry. */
  long lastTouchNanos;

  boolean evicted;

  /** Estimated heap held by the rows, in bytes (see {@link #heapEstimate}). */
  long bytes;

  private Event[] events = new Event[64];
  private long[] seqs = new long[64];
  private int size;
  private volatile Rows rows = new Rows(events, seqs, 0);

  /** A published prefix of the block's rows; sequences ascend. */
  record Rows(Event[] events, long[] seqs, int size) {
    long minSeq() {
      return size == 0 ? Long.MAX_VALUE : seqs[0];
    }

    long maxSeq() {
      return size == 0 ? -1 : seqs[size - 1];
    }
  }

  Block(long start, long end, String name, WalFile wal, int expectedKeys) {
    this.start = start;
    this.end = end;
    this.name = name;
    this.wal = wal;
    this.keys = new LongKeySet(expectedKeys);
  }

  /**
   * Estimated heap of one cached event whose write-ahead record is {@code recordBytes} long: the
   * decoded event (its field map, strings and boxed values) takes about four times its encoded
   * size, plus the row arrays and the key slot.
   */
  static long heapEstimate(int recordBytes) {
    return 64L + 4L * recordBytes;
  }

  Rows rows() {
    return rows;
  }

  void add(Event e, long seq) {
    if (size == events.length) {
      int cap = size + (size >> 1) + 16;
      events = Arrays.copyOf(events, cap);
      seqs = Arrays.copyOf(seqs, cap);
    }
    events[size] = e;
    seqs[size] = seq;
    size++;
  }

  void publish() {
    rows = new Rows(events, seqs, size);
  }

  /** Replaces all rows (user deletion) and rebuilds the key set. */
  void replaceRows(List<Event> kept, List<Long> keptSeqs) {
    Event[] ev = kept.toArray(new Event[0]);
    long[] sq = new long[keptSeqs.size()];
    LongKeySet ks = new LongKeySet(ev.length);
    for (int i = 0; i < sq.length; i++) {
      sq[i] = keptSeqs.get(i);
      if (ev[i].insertId() != null) {
        ks.add(Keys.dedupKey(ev[i].sourceId(), ev[i].insertId()));
      }
    }
    events = ev.length == 0 ? new Event[16] : ev;
    seqs = sq.length == 0 ? new long[16] : sq;
    size = ev.length;
    keys = ks;
    publish();
  }
}
