package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a partition's log in sequence order across cached blocks, evicted block files and chunks.
 * Sources are visited by their lowest sequence and reading stops once no further source can hold a
 * smaller sequence than the {@code max}-th one found. Only durable (acknowledged) sequences are
 * returned. Stateless.
 */
final class LogReader {
  private LogReader() {}

  private record Source(long minSeq, long maxSeq, Object ref) {}

  /** A chunk's rows, decoded once for paging readers. */
  record Decoded(long[] seqs, List<Event> events) {}

  static List<StoredEvent> read(Partition p, long from, int max) throws IOException {
    if (max <= 0) {
      return List.of();
    }
    for (int attempt = 0; ; attempt++) {
      try {
        return readOnce(p, from, max);
      } catch (NoSuchFileException e) {
        // a concurrent chunk merge or cleanup removed a file we planned to read: take a fresh
        // snapshot
        if (attempt >= 5) {
          throw e;
        }
      }
    }
  }

  private static List<StoredEvent> readOnce(Partition p, long from, int max) throws IOException {
    long visible = p.visibleSeq();
    Partition.Snapshot s = p.snapshot();
    List<Source> sources = new ArrayList<>();
    for (Block.Rows r : s.blocks()) {
      if (r.size() > 0) {
        sources.add(new Source(r.minSeq(), r.maxSeq(), r));
      }
    }
    for (Partition.Evicted ev : s.evicted()) {
      sources.add(new Source(ev.minSeq(), ev.maxSeq(), ev));
    }
    for (ChunkFile.Meta m : s.chunks()) {
      sources.add(new Source(m.minSeq(), m.maxSeq(), m));
    }
    sources.removeIf(src -> src.maxSeq < from || src.minSeq >= visible);
    sources.sort(Comparator.comparingLong(Source::minSeq));
    // values stay encoded (a Row) until the page is chosen: only returned events are decoded
    TreeMap<Long, Object> acc = new TreeMap<>();
    for (Source src : sources) {
      if (acc.size() >= max && src.minSeq > acc.lastKey()) {
        break;
      }
      if (src.ref instanceof Block.Rows r) {
        int start = java.util.Arrays.binarySearch(r.seqs(), 0, r.size(), from);
        for (int i = start < 0 ? -start - 1 : start; i < r.size(); i++) {
          if (acc.size() >= max && r.seq(i) >= acc.lastKey()) {
            break;
          }
          offer(acc, r.seq(i), new Row(r, i), from, visible, max);
        }
      } else if (src.ref instanceof Partition.Evicted ev) {
        WalFile.Replay r = WalFile.replay(p.fs, ev.path(), false, msg -> {});
        for (int i = 0; i < r.size(); i++) {
          offer(acc, r.seq(i), new Logged(r, i), from, visible, max);
        }
      } else {
        ChunkFile.Meta m = (ChunkFile.Meta) src.ref;
        // keyed by id, rows and size: a chunk rewritten by a user deletion has fewer rows, so a new
        // key
        String key = m.id() + ":" + m.rows() + ":" + m.sizeBytes();
        Decoded d = p.decodedChunks.getIfPresent(key);
        if (d == null) {
          try (ChunkFile.Reader r = new ChunkFile.Reader(p.fs, p.chunkPath(m.id()), m)) {
            d = new Decoded(r.sequences(), r.events());
          }
          p.decodedChunks.put(key, d);
        }
        int start = java.util.Arrays.binarySearch(d.seqs(), from);
        for (int i = start < 0 ? -start - 1 : start; i < d.seqs().length; i++) {
          if (acc.size() >= max && d.seqs()[i] >= acc.lastKey()) {
            break;
          }
          offer(acc, d.seqs()[i], d.events().get(i), from, visible, max);
        }
      }
    }
    List<StoredEvent> out = new ArrayList<>(acc.size());
    for (Map.Entry<Long, Object> e : acc.entrySet()) {
      Object v = e.getValue();
      Event event =
          v instanceof Row row
              ? row.rows.event(row.index)
              : v instanceof Logged l
                  ? Records.decode(
                      l.replay.data(), l.replay.offset(l.index), l.replay.length(l.index))
                  : (Event) v;
      out.add(new StoredEvent(p.id, e.getKey(), event));
    }
    return out;
  }

  /** A cached block's row, decoded only if it is returned. */
  private record Row(Block.Rows rows, int index) {}

  /** A record of an evicted block's file, decoded only if it is returned. */
  private record Logged(WalFile.Replay replay, int index) {}

  private static void offer(
      TreeMap<Long, Object> acc, long seq, Object e, long from, long visible, int max) {
    if (seq < from || seq >= visible) {
      return;
    }
    if (acc.size() >= max) {
      if (seq >= acc.lastKey()) {
        return;
      }
      acc.pollLastEntry();
    }
    acc.put(seq, e);
  }
}
