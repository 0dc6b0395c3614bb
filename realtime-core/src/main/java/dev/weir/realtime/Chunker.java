package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Merges evicted block files into chunks, atomically: write a temp file, fsync, rename, fsync the
 * directory, then delete the block files. The chunk footer names its source blocks, so recovery
 * deletes block files a crash left behind after the rename, and ignores temp files a crash left
 * before it: the data is counted exactly once.
 */
final class Chunker {
  private Chunker() {}

  /**
   * Merges while at least {@code blocksPerChunk} evicted blocks are waiting. The chunk is built and
   * fsynced without the partition lock (evicted files do not change; appends go on); the lock is
   * taken only to check the group is unchanged, rename the chunk into place and retire the block
   * files. One merger per partition at a time.
   */
  static int maybeChunk(Partition p, long batch) throws IOException {
    int made = 0;
    int n = p.options.blocksPerChunk();
    if (p.evicted.size() < n || !p.merging.compareAndSet(false, true)) {
      return 0;
    }
    try {
      while (p.evicted.size() >= n) {
        List<Partition.Evicted> group;
        p.lock.lock();
        try {
          group = new ArrayList<>(p.evicted.subList(0, n));
        } finally {
          p.lock.unlock();
        }
        List<long[]> order = new ArrayList<>();
        List<Event> all = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Partition.Evicted ev : group) {
          WalFile.Replay r = WalFile.replay(p.fs, ev.path(), false, p.problems);
          for (int i = 0; i < r.events().size(); i++) {
            order.add(new long[] {r.sequences().get(i), all.size()});
            all.add(r.events().get(i));
          }
          sources.add(ev.name());
        }
        order.sort(Comparator.comparingLong(a -> a[0]));
        List<Long> seqs = new ArrayList<>(order.size());
        List<Event> events = new ArrayList<>(order.size());
        for (long[] o : order) {
          seqs.add(o[0]);
          events.add(all.get((int) o[1]));
        }
        String id = events.isEmpty() ? null : "p" + p.id + "-" + seqs.get(0);
        java.nio.file.Path tmp = id == null ? null : p.chunkDir.resolve(id + ".chunk.tmp");
        ChunkFile.Meta meta =
            id == null
                ? null
                : ChunkFile.write(
                    p.fs, tmp, id, p.id, batch, seqs, events, sources, p.options.compression());
        p.lock.lock();
        try {
          if (!p.evicted.subList(0, Math.min(n, p.evicted.size())).equals(group)) {
            // a user deletion rewrote one of the files meanwhile: start over from the current files
            if (tmp != null) {
              p.fs.delete(tmp);
            }
            continue;
          }
          if (meta != null) {
            p.fs.move(tmp, p.chunkPath(id));
            p.fs.syncDirectory(p.chunkDir);
            p.chunks.add(meta);
            made++;
          }
          p.evicted.removeAll(group);
          for (Partition.Evicted ev : group) {
            p.fs.delete(ev.path());
          }
          p.fs.syncDirectory(p.evictedDir);
        } finally {
          p.lock.unlock();
        }
      }
      return made;
    } finally {
      p.merging.set(false);
    }
  }

  /** Merge fan-in: a run of at least this many small chunks is merged. */
  static final int FAN_IN = 4;

  /**
   * Merges runs of at least {@link #FAN_IN} small chunks (each under a quarter of {@code
   * merged_chunk_rows}) of the same partition and batch, adjacent in sequence order, into one chunk
   * of at most {@code merged_chunk_rows} rows, until no run is left. Built and fsynced without the
   * partition lock; the lock is taken to check the chunks are unchanged (a deletion or cleanup
   * meanwhile: start over), rename into place and retire the old files. Returns how many merged
   * chunks it made. With {@code wait}, waits for a merge of this partition already under way (and
   * then merges what is left); without, returns 0 at once in that case.
   */
  static int mergeChunks(Partition p, boolean wait) throws IOException {
    int target = p.options.mergedChunkRows();
    if (target == 0) {
      return 0;
    }
    if (wait) {
      p.mergeLock.lock();
    } else if (!p.mergeLock.tryLock()) {
      return 0;
    }
    int made = 0;
    try {
      for (int attempt = 0; attempt < 1000; attempt++) {
        List<ChunkFile.Meta> group = pickGroup(p, target);
        if (group == null) {
          break;
        }
        List<ChunkFile.Member> members = new ArrayList<>();
        List<long[]> order = new ArrayList<>();
        List<Event> all = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<String> replaces = new ArrayList<>();
        for (ChunkFile.Meta m : group) {
          int base = members.size();
          members.addAll(m.logical());
          sources.addAll(m.sources());
          replaces.add(m.id());
          try (ChunkFile.Reader r = new ChunkFile.Reader(p.fs, p.chunkPath(m.id()), m)) {
            long[] seqs = r.sequences();
            int[] mo = r.memberOfRows();
            List<Event> evs = r.events();
            for (int i = 0; i < evs.size(); i++) {
              order.add(new long[] {seqs[i], all.size(), base + mo[i]});
              all.add(evs.get(i));
            }
          }
        }
        order.sort(Comparator.comparingLong(a -> a[0]));
        List<Long> seqs = new ArrayList<>(order.size());
        List<Event> events = new ArrayList<>(order.size());
        int[] memberOfRow = new int[order.size()];
        for (int i = 0; i < order.size(); i++) {
          long[] o = order.get(i);
          seqs.add(o[0]);
          events.add(all.get((int) o[1]));
          memberOfRow[i] = (int) o[2];
        }
        long minSeq = seqs.isEmpty() ? group.get(0).minSeq() : seqs.get(0);
        long maxSeq = seqs.isEmpty() ? group.get(0).maxSeq() : seqs.get(seqs.size() - 1);
        String id = "p" + p.id + "-" + minSeq + "-m" + maxSeq + "x" + members.size();
        java.nio.file.Path tmp = p.chunkDir.resolve(id + ".chunk.tmp");
        ChunkFile.Meta meta =
            ChunkFile.write(
                p.fs,
                tmp,
                id,
                p.id,
                group.get(0).batch(),
                seqs,
                events,
                sources,
                p.options.compression(),
                new ChunkFile.Merge(members, memberOfRow, replaces));
        p.lock.lock();
        try {
          if (!p.chunks.containsAll(group)) {
            p.fs.delete(tmp);
            continue;
          }
          p.fs.move(tmp, p.chunkPath(id));
          p.fs.syncDirectory(p.chunkDir);
          p.chunks.add(meta);
          p.chunks.removeAll(group);
          made++;
          for (ChunkFile.Meta m : group) {
            p.fs.delete(p.chunkPath(m.id()));
          }
          p.fs.syncDirectory(p.chunkDir);
        } finally {
          p.lock.unlock();
        }
      }
      return made;
    } finally {
      p.mergeLock.unlock();
    }
  }

  /** The first run to merge, or null. */
  private static List<ChunkFile.Meta> pickGroup(Partition p, int target) {
    List<ChunkFile.Meta> sorted;
    p.lock.lock();
    try {
      sorted = new ArrayList<>(p.chunks);
    } finally {
      p.lock.unlock();
    }
    sorted.sort(Comparator.comparingLong(ChunkFile.Meta::minSeq));
    java.util.Map<Long, List<ChunkFile.Meta>> byBatch = new java.util.TreeMap<>();
    for (ChunkFile.Meta m : sorted) {
      byBatch.computeIfAbsent(m.batch(), b -> new ArrayList<>()).add(m);
    }
    int small = Math.max(1, target / FAN_IN);
    for (List<ChunkFile.Meta> chunks : byBatch.values()) {
      List<ChunkFile.Meta> run = new ArrayList<>();
      long rows = 0;
      for (ChunkFile.Meta m : chunks) {
        if (m.rows() >= small || rows + m.rows() > target) {
          if (run.size() >= FAN_IN) {
            return run;
          }
          run = new ArrayList<>();
          rows = 0;
          if (m.rows() >= small) {
            continue;
          }
        }
        run.add(m);
        rows += m.rows();
      }
      if (run.size() >= FAN_IN) {
        return run;
      }
    }
    return null;
  }
}
