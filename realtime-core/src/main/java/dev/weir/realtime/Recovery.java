package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Rebuilds one partition from disk: chunks (footers), evicted block files and live block files
 * (replayed, torn tails cut), dedup key sets, the data clock and the sequence counter. Reports
 * problems, never throws for bad content (only for I/O errors that make the directory unreadable).
 */
final class Recovery {
  private Recovery() {}

  /** Recovers {@code p}; returns the number of events replayed from block files. */
  static long recover(Partition p) throws IOException {
    long replayed = 0;
    long maxSeq = -1;
    Map<String, String> merged = new HashMap<>();
    for (Path f : list(p.chunkDir)) {
      String name = f.getFileName().toString();
      if (name.endsWith(".tmp")) {
        p.fs.delete(f);
        p.problems.accept("p" + p.id + ": removed unfinished chunk " + name);
        continue;
      }
      if (!name.endsWith(".chunk")) {
        continue;
      }
      try (ChunkFile.Reader r = new ChunkFile.Reader(p.fs, f)) {
        p.chunks.add(r.meta);
      } catch (IOException e) {
        p.problems.accept(
            "p"
                + p.id
                + ": unreadable chunk "
                + name
                + " set aside as .corrupt: "
                + e.getMessage());
        p.fs.move(f, f.resolveSibling(name + ".corrupt"));
      }
    }
    // a crash after a merged chunk's rename but before its old chunks were deleted: keep the merged
    Map<String, String> replaced = new HashMap<>();
    for (ChunkFile.Meta m : p.chunks) {
      if (m.replaces() != null) {
        m.replaces().forEach(old -> replaced.put(old, m.id()));
      }
    }
    for (ChunkFile.Meta m : List.copyOf(p.chunks)) {
      if (replaced.containsKey(m.id())) {
        p.chunks.remove(m);
        p.fs.delete(p.chunkPath(m.id()));
        p.problems.accept(
            "p"
                + p.id
                + ": removed chunk "
                + m.id()
                + " already merged into chunk "
                + replaced.get(m.id()));
      }
    }
    if (!replaced.isEmpty()) {
      p.fs.syncDirectory(p.chunkDir);
    }
    for (ChunkFile.Meta m : p.chunks) {
      maxSeq = Math.max(maxSeq, m.maxSeq());
      for (String s : m.sources()) {
        merged.put(s, m.id());
      }
    }
    p.chunks.sort(Comparator.comparingLong(ChunkFile.Meta::minSeq));
    p.keyIndex.load();
    java.util.Set<String> covered = p.keyIndex.covered();
    List<Partition.Evicted> unindexed = new ArrayList<>();
    for (Map.Entry<String, Path> file : blockFiles(p, p.evictedDir, merged).entrySet()) {
      String block = file.getKey();
      Path f = file.getValue();
      WalFile.Replay r = WalFile.replay(p.fs, f, true, p.problems);
      replayed += r.size();
      if (r.size() == 0) {
        p.fs.delete(f);
        continue;
      }
      Partition.Evicted ev = Partition.evictedOf(block, f, r);
      p.evicted.add(ev);
      if (!covered.contains(block)) {
        unindexed.add(ev);
      }
      maxSeq = Math.max(maxSeq, ev.maxSeq());
    }
    p.evicted.sort(Comparator.comparingLong(Partition.Evicted::minSeq));
    List<Block> blocks = new ArrayList<>();
    long maxUpload = Long.MIN_VALUE;
    for (Map.Entry<String, Path> file : blockFiles(p, p.walDir, merged).entrySet()) {
      String blockName = file.getKey();
      Path f = file.getValue();
      WalFile.Replay r = WalFile.replay(p.fs, f, true, p.problems);
      replayed += r.size();
      long start = Long.parseLong(blockName.substring(0, blockName.indexOf('-', 1)));
      Block b =
          new Block(start, start + p.intervalMs, blockName, WalFile.reopen(p.fs, f), r.size());
      long blockMaxUpload = Long.MIN_VALUE;
      for (int i = 0; i < r.size(); i++) {
        // the record bytes go into the block as they are: nothing is decoded but four fields
        Records.Header h = r.header(i);
        b.add(r.data(), r.offset(i), r.length(i), r.seq(i), h.time());
        if (h.insertId() != null) {
          b.keys.add(Keys.dedupKey(h.sourceId(), h.insertId()));
        }
        maxSeq = Math.max(maxSeq, r.seq(i));
        blockMaxUpload = Math.max(blockMaxUpload, h.uploadTime());
      }
      b.publish();
      int n = r.size();
      b.bytes = n == 0 ? 0 : n * Block.heapEstimate((int) (r.validLength() / n));
      b.lastTouchNanos = Partition.nanos(Math.max(start, blockMaxUpload));
      maxUpload = Math.max(maxUpload, blockMaxUpload);
      blocks.add(b);
    }
    p.floor = StoreFiles.readLong(p.dir.resolve("floor"), 0);
    p.nextSeq = Math.max(p.floor, maxSeq + 1);
    // every sequence handed out was one stored event: the total survives restarts without a write
    p.stored.set(p.nextSeq);
    p.duplicates.set(StoreFiles.readLong(p.dir.resolve(Partition.COUNTERS_FILE), 0));
    p.publishVisible(p.nextSeq);
    if (maxUpload != Long.MIN_VALUE) {
      p.advanceClock(maxUpload);
    }
    if (p.indexesKeys()) {
      indexKeys(p, covered, unindexed);
    }
    blocks.sort(Comparator.comparingLong(b -> b.start));
    for (Block b : blocks) {
      Block prev = p.live.get(b.start);
      if (prev != null) {
        p.onEvicted(prev);
      }
      p.live.put(b.start, b);
      p.liveBytes += b.bytes;
      p.cache.put(b.start, b);
    }
    p.expire();
    return replayed;
  }

  /**
   * Writes the key files a crash (between a block's eviction and its key file) or an older store
   * left missing: for evicted blocks and for chunks whose source blocks are not all indexed. Data
   * older than the dedup window is skipped.
   */
  private static void indexKeys(
      Partition p, java.util.Set<String> covered, List<Partition.Evicted> unindexed)
      throws IOException {
    long windowStart = p.windowStart();
    for (Partition.Evicted ev : unindexed) {
      long start = Long.parseLong(ev.name().substring(0, ev.name().indexOf('-', 1)));
      if (start + p.intervalMs <= windowStart) {
        continue;
      }
      WalFile.Replay r = WalFile.replay(p.fs, ev.path(), false, p.problems);
      LongKeySet keys = new LongKeySet(r.size());
      for (int i = 0; i < r.size(); i++) {
        Records.Header h = r.header(i); // read without decoding the record
        if (h.insertId() != null) {
          keys.add(Keys.dedupKey(h.sourceId(), h.insertId()));
        }
      }
      p.keyIndex.seal(ev.name(), start, start + p.intervalMs - 1, keys);
    }
    for (ChunkFile.Meta m : List.copyOf(p.chunks)) {
      if (covered.containsAll(m.sources())) {
        continue;
      }
      List<Event> events;
      try (ChunkFile.Reader r = new ChunkFile.Reader(p.fs, p.chunkPath(m.id()))) {
        events = r.events();
      }
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (Event e : events) {
        min = Math.min(min, e.uploadTime());
        max = Math.max(max, e.uploadTime());
      }
      if (events.isEmpty() || max < windowStart) {
        continue;
      }
      p.keyIndex.seal(m.id(), min, max, keysOf(events), m.sources());
    }
  }

  private static LongKeySet keysOf(List<Event> events) {
    LongKeySet keys = new LongKeySet(events.size());
    for (Event e : events) {
      if (e.insertId() != null) {
        keys.add(Keys.dedupKey(e.sourceId(), e.insertId()));
      }
    }
    return keys;
  }

  /**
   * The block files ({@code <block>.wal}) of {@code dir} still to replay, by block name in name
   * order. Other files are deleted, and so are block files already merged into a chunk (a crash
   * between the chunk's rename and the deletion of its blocks), with a report.
   */
  private static Map<String, Path> blockFiles(Partition p, Path dir, Map<String, String> merged)
      throws IOException {
    Map<String, Path> out = new LinkedHashMap<>();
    for (Path f : list(dir)) {
      String name = f.getFileName().toString();
      if (!name.endsWith(".wal")) {
        p.fs.delete(f);
        continue;
      }
      String block = name.substring(0, name.length() - 4);
      if (merged.containsKey(block)) {
        p.fs.delete(f);
        p.problems.accept(
            "p"
                + p.id
                + ": removed block file "
                + name
                + " already merged into chunk "
                + merged.get(block));
        continue;
      }
      out.put(block, f);
    }
    return out;
  }

  static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
