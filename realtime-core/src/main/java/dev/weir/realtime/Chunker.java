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
}
