package dev.weir.realtime;

import com.github.benmanes.caffeine.cache.Cache;
import dev.weir.sdk.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of one data source of a partition (a chunk, or the cached and evicted blocks) as decoded
 * columns, plus what the query engine needs to skip it unread. Used by one query task at a time;
 * chunk columns come from and go to the shared decoded-column cache.
 */
abstract class Slice implements AutoCloseable {
  static final String TIMES = "_time";
  static final String IDENTITY = "_identity";

  final int rows;
  final long minTime;
  final long maxTime;

  Slice(int rows, long minTime, long maxTime) {
    this.rows = rows;
    this.minTime = minTime;
    this.maxTime = maxTime;
  }

  /** The named column (all absent when no row has it). */
  abstract Col col(String name);

  /** Footer statistics of the column, or null when unknown (memory, or an old chunk). */
  ChunkFile.Column stats(String name) {
    return null;
  }

  /** Whether the column is known to be absent from every row. */
  boolean knownAbsent(String name) {
    return false;
  }

  /** Event time (time, else upload time) per row. */
  long[] times() {
    return ((Col.Longs) derived(TIMES, () -> new Col.Longs(computeTimes(), null, false))).v;
  }

  /** Partition sequence per row. */
  long[] seqs() {
    return ((Col.Longs) col(ChunkFile.SEQ)).v;
  }

  /** Identity id per row, -1 without one. */
  int[] identities(Identities dict) {
    return ((IntCol)
            derived(
                IDENTITY + "@" + dict.generation(),
                () -> new IntCol(dict.of(col("user_id"), col("device_id")))))
        .v;
  }

  abstract Col derived(String name, java.util.function.Supplier<Col> make);

  private long[] computeTimes() {
    Col t = col("time");
    Col u = col("upload_time");
    long[] out = new long[rows];
    for (int i = 0; i < rows; i++) {
      out[i] = t.value(i) != null ? timeAt(t, i) : timeAt(u, i);
    }
    return out;
  }

  private static long timeAt(Col c, int row) {
    return c instanceof Col.Longs l ? l.v[row] : ((Number) c.value(row)).longValue();
  }

  @Override
  public void close() {}

  /** A derived int column (identities), cached like the others. */
  static final class IntCol extends Col {
    final int[] v;

    IntCol(int[] v) {
      super(v.length);
      this.v = v;
    }

    @Override
    Object value(int row) {
      return v[row];
    }

    @Override
    long bytes() {
      return 4L * rows + 64;
    }

    @Override
    org.roaringbitmap.RoaringBitmap select(Filter f) {
      return selectBoxed(f);
    }
  }

  /** A chunk: columns decoded on first use, kept in the shared cache keyed by chunk version. */
  static final class ChunkSlice extends Slice {
    private final Partition p;
    final ChunkFile.Meta meta;
    private final Cache<String, Col> cache;
    private final String key;
    private ChunkFile.Reader reader;

    ChunkSlice(Partition p, ChunkFile.Meta meta, Cache<String, Col> cache) {
      super(meta.rows(), meta.minTime(), meta.maxTime());
      this.p = p;
      this.meta = meta;
      this.cache = cache;
      // keyed by id, rows and size: a chunk rewritten by a user deletion gets a new key
      this.key = "p" + p.id + "/" + meta.id() + ":" + meta.rows() + ":" + meta.sizeBytes() + "/";
    }

    @Override
    Col col(String name) {
      if (meta.column(name) == null) {
        return new Col.Dict(new int[rows], new String[0], true);
      }
      return derived(name, () -> read(name));
    }

    /** Computed outside the cache's lock: making a derived column reads other columns. */
    @Override
    Col derived(String name, java.util.function.Supplier<Col> make) {
      Col c = cache.getIfPresent(key + name);
      if (c == null) {
        c = make.get();
        cache.put(key + name, c);
      }
      return c;
    }

    private Col read(String name) {
      try {
        if (reader == null) {
          reader = new ChunkFile.Reader(p.fs, p.chunkPath(meta.id()), meta);
        }
        return reader.col(name);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    ChunkFile.Column stats(String name) {
      return meta.format() >= 2 ? meta.column(name) : null;
    }

    @Override
    boolean knownAbsent(String name) {
      return meta.column(name) == null;
    }

    @Override
    public void close() {
      if (reader != null) {
        try {
          reader.close();
        } catch (IOException ignored) {
          // read-only handle
        }
      }
    }
  }

  /**
   * An evicted block file: replayed on the first column a query needs that is not cached; its
   * columns are cached like a chunk's (the file is immutable until merged; a deletion rewrite
   * changes its row count and so its keys).
   */
  static final class EvictedSlice extends Slice {
    private final Partition p;
    private final Partition.Evicted ev;
    private final Cache<String, Col> cache;
    private final String key;
    private RowSlice rows;

    EvictedSlice(Partition p, Partition.Evicted ev, Cache<String, Col> cache) {
      super(ev.rows(), ev.minTime(), ev.maxTime());
      this.p = p;
      this.ev = ev;
      this.cache = cache;
      this.key = "p" + p.id + "/evicted/" + ev.name() + ":" + ev.rows() + "/";
    }

    @Override
    Col col(String name) {
      return derived(name, () -> replayed().col(name));
    }

    private RowSlice replayed() {
      if (rows == null) {
        try {
          WalFile.Replay r = WalFile.replay(p.fs, ev.path(), false, m -> {});
          rows = RowSlice.of(r.events(), r.sequences());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return rows;
    }

    @Override
    Col derived(String name, java.util.function.Supplier<Col> make) {
      Col c = cache.getIfPresent(key + name);
      if (c == null) {
        c = make.get();
        cache.put(key + name, c);
      }
      return c;
    }
  }

  /** Row-oriented events (cached blocks, evicted block files) turned into columns per query. */
  static final class RowSlice extends Slice {
    private final Event[] events;
    private final long[] seqs;
    private final Map<String, Col> cols = new HashMap<>();

    RowSlice(Event[] events, long[] seqs, int n, long minTime, long maxTime) {
      super(n, minTime, maxTime);
      this.events = events;
      this.seqs = seqs;
    }

    static RowSlice of(List<Event> events, List<Long> seqs) {
      Event[] ev = events.toArray(new Event[0]);
      long[] sq = new long[ev.length];
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      for (int i = 0; i < ev.length; i++) {
        sq[i] = seqs.get(i);
        long t = ChunkFile.eventTime(ev[i]);
        lo = Math.min(lo, t);
        hi = Math.max(hi, t);
      }
      return new RowSlice(ev, sq, ev.length, lo, hi);
    }

    static RowSlice of(Block.Rows r) {
      Event[] ev = r.events(); // cached blocks hold encoded records: decoded once per query
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      for (int i = 0; i < r.size(); i++) {
        long t = ChunkFile.eventTime(ev[i]);
        lo = Math.min(lo, t);
        hi = Math.max(hi, t);
      }
      return new RowSlice(ev, r.seqs(), r.size(), lo, hi);
    }

    @Override
    Col col(String name) {
      Col c = cols.get(name);
      if (c == null) {
        if (name.equals(ChunkFile.SEQ)) {
          c = new Col.Longs(java.util.Arrays.copyOf(seqs, rows), null, false);
        } else {
          Object[] v = new Object[rows];
          for (int i = 0; i < rows; i++) {
            v[i] = EventFields.get(events[i], name);
          }
          c = Col.of(v);
        }
        cols.put(name, c);
      }
      return c;
    }

    @Override
    Col derived(String name, java.util.function.Supplier<Col> make) {
      Col c = cols.get(name);
      if (c == null) {
        c = make.get();
        cols.put(name, c);
      }
      return c;
    }
  }
}
