package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.util.Arrays;
import java.util.List;

/**
 * One upload-time interval of one partition: its rows, kept encoded (each event's record bytes, as
 * written to the log, packed into pages), its dedup key set and its write-ahead file. Mutated only
 * under the partition lock; readers take {@link #rows()}, an immutable prefix view published after
 * each append, so queries and delivery never block appends and read memory, not the file.
 */
final class Block {
  private static final int FIRST_PAGE = 4 << 10;
  private static final int MAX_PAGE = 256 << 10;

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

  /** Smallest and largest event time (time, else upload time) of the rows. */
  long minTime = Long.MAX_VALUE;

  long maxTime = Long.MIN_VALUE;

  private byte[][] pages = new byte[4][];
  private int pageCount;
  private int pagePos;
  private long[] locs = new long[64];
  private long[] seqs = new long[64];
  private int size;
  private volatile Rows rows = new Rows(pages, locs, seqs, 0);

  /**
   * A published prefix of the block's rows; sequences ascend. Row {@code i} is the record at {@code
   * locs[i]}: page index in the high 32 bits, offset of its 4-byte length in the low ones.
   */
  record Rows(byte[][] pages, long[] locs, long[] seqs, int size) {
    long minSeq() {
      return size == 0 ? Long.MAX_VALUE : seqs[0];
    }

    long maxSeq() {
      return size == 0 ? -1 : seqs[size - 1];
    }

    long seq(int i) {
      return seqs[i];
    }

    /** The page holding row {@code i}'s record. */
    byte[] page(int i) {
      return pages[(int) (locs[i] >>> 32)];
    }

    /** Where row {@code i}'s record starts in its {@link #page(int)}. */
    int offset(int i) {
      return (int) locs[i] + 4;
    }

    /** The length of row {@code i}'s record. */
    int length(int i) {
      byte[] p = page(i);
      int o = (int) locs[i];
      return ((p[o] & 0xFF) << 24)
          | ((p[o + 1] & 0xFF) << 16)
          | ((p[o + 2] & 0xFF) << 8)
          | (p[o + 3] & 0xFF);
    }

    /** Row {@code i} decoded into an event (a new object each call). */
    Event event(int i) {
      return Records.decode(page(i), offset(i), length(i));
    }

    /** One field of row {@code i} without decoding the rest (see {@link Records#field}). */
    Object field(int i, String column) {
      return Records.field(page(i), offset(i), length(i), column);
    }

    /** Every row decoded, in order: a new array each call. */
    Event[] events() {
      Event[] out = new Event[size];
      for (int i = 0; i < size; i++) {
        out[i] = event(i);
      }
      return out;
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
   * Heap of one cached event whose write-ahead record is {@code recordBytes} long: the record bytes
   * and their length prefix in a page, its location and sequence, and the key slot.
   */
  static long heapEstimate(int recordBytes) {
    return 36L + recordBytes;
  }

  Rows rows() {
    return rows;
  }

  /** Appends one row: its record bytes {@code record[off, off + len)} are copied into a page. */
  void add(byte[] record, int off, int len, long seq, long eventTime) {
    if (size == locs.length) {
      int cap = size + (size >> 1) + 16;
      locs = Arrays.copyOf(locs, cap);
      seqs = Arrays.copyOf(seqs, cap);
    }
    int need = len + 4;
    if (pageCount == 0 || pagePos + need > pages[pageCount - 1].length) {
      int last = pageCount == 0 ? 0 : pages[pageCount - 1].length;
      int cap = Math.max(need, Math.min(MAX_PAGE, Math.max(FIRST_PAGE, last * 2)));
      if (pageCount == pages.length) {
        pages = Arrays.copyOf(pages, pageCount * 2);
      }
      pages[pageCount++] = new byte[cap];
      pagePos = 0;
    }
    byte[] p = pages[pageCount - 1];
    p[pagePos] = (byte) (len >>> 24);
    p[pagePos + 1] = (byte) (len >>> 16);
    p[pagePos + 2] = (byte) (len >>> 8);
    p[pagePos + 3] = (byte) len;
    System.arraycopy(record, off, p, pagePos + 4, len);
    locs[size] = ((long) (pageCount - 1) << 32) | pagePos;
    seqs[size] = seq;
    pagePos += need;
    size++;
    minTime = Math.min(minTime, eventTime);
    maxTime = Math.max(maxTime, eventTime);
  }

  void publish() {
    rows = new Rows(pages, locs, seqs, size);
  }

  /** Heap held by the rows: pages (including their unused tails) and the row index. */
  long memoryBytes() {
    long n = 16L + 8L * pages.length + 16L * 2 + 8L * locs.length + 8L * seqs.length;
    for (int i = 0; i < pageCount; i++) {
      n += 16 + pages[i].length;
    }
    return n;
  }

  /** Replaces all rows (user deletion) and rebuilds the key set. */
  void replaceRows(List<Event> kept, List<Long> keptSeqs) {
    LongKeySet ks = new LongKeySet(kept.size());
    pages = new byte[4][];
    pageCount = 0;
    pagePos = 0;
    locs = new long[Math.max(16, kept.size())];
    seqs = new long[locs.length];
    size = 0;
    minTime = Long.MAX_VALUE;
    maxTime = Long.MIN_VALUE;
    for (int i = 0; i < kept.size(); i++) {
      Event e = kept.get(i);
      byte[] rec = WalFile.eventBytes(e);
      add(rec, 0, rec.length, keptSeqs.get(i), ChunkFile.eventTime(e));
      if (e.insertId() != null) {
        ks.add(Keys.dedupKey(e.sourceId(), e.insertId()));
      }
    }
    keys = ks;
    publish();
  }
}
