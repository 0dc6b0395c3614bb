package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Removes every event of one user (of one source) from a partition: cached blocks and their
 * write-ahead files, evicted block files and chunks (rewritten via temp file + rename). A durable
 * intent file is written first and removed last, so a crash midway is completed by recovery; every
 * step is idempotent.
 */
final class UserDeletion {
  private UserDeletion() {}

  static Path intentPath(Partition p, String sourceId, String userId) {
    return p.deletionDir.resolve(
        Long.toHexString(Keys.hash(sourceId + "\u0000" + userId)) + ".del");
  }

  static long delete(Partition p, String sourceId, String userId) throws IOException {
    p.lock.lock();
    try {
      Path intent = intentPath(p, sourceId, userId);
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bos);
      ValueCodec.writeString(out, sourceId);
      ValueCodec.writeString(out, userId);
      StoreFiles.writeAtomically(p.fs, intent, bos.toByteArray());
      p.writeFloor(p.nextSeq);
      long removed = 0;
      for (Block b : new ArrayList<>(p.live.values())) {
        Block.Rows rows = b.rows();
        Event[] events = rows.events(); // decoded once per block
        List<Event> kept = new ArrayList<>();
        List<Long> keptSeqs = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
          if (!matches(events[i], sourceId, userId)) {
            kept.add(events[i]);
            keptSeqs.add(rows.seqs()[i]);
          }
        }
        if (kept.size() < rows.size()) {
          removed += rows.size() - kept.size();
          Path path = b.wal.path;
          rewriteWal(p, path, kept, keptSeqs);
          b.wal.close();
          try {
            p.fs.move(path.resolveSibling(path.getFileName() + ".tmp"), path);
            p.fs.syncDirectory(path.getParent());
          } finally {
            b.wal =
                WalFile.reopen(
                    p.fs, path); // the old file when the rename failed: the block stays writable
          }
          b.replaceRows(kept, keptSeqs);
        }
      }
      for (Partition.Evicted ev : new ArrayList<>(p.evicted)) {
        WalFile.Replay r = WalFile.replay(p.fs, ev.path(), false, p.problems);
        List<Event> kept = new ArrayList<>();
        List<Long> keptSeqs = new ArrayList<>();
        for (int i = 0; i < r.events().size(); i++) {
          if (!matches(r.events().get(i), sourceId, userId)) {
            kept.add(r.events().get(i));
            keptSeqs.add(r.sequences().get(i));
          }
        }
        if (kept.size() < r.events().size()) {
          removed += r.events().size() - kept.size();
          int idx = p.evicted.indexOf(ev);
          if (kept.isEmpty()) {
            p.evicted.remove(ev);
            p.fs.delete(ev.path());
          } else {
            rewriteWal(p, ev.path(), kept, keptSeqs);
            p.fs.move(ev.path().resolveSibling(ev.path().getFileName() + ".tmp"), ev.path());
            p.evicted.set(
                idx,
                Partition.evictedOf(
                    ev.name(), ev.path(), WalFile.replay(p.fs, ev.path(), false, p.problems)));
          }
          p.fs.syncDirectory(ev.path().getParent());
        }
      }
      for (ChunkFile.Meta meta : new ArrayList<>(p.chunks)) {
        Path path = p.chunkPath(meta.id());
        List<Event> events;
        long[] seqs;
        int[] memberOfRow;
        try (ChunkFile.Reader r = new ChunkFile.Reader(p.fs, path)) {
          Object[] users = r.column("user_id");
          Object[] sources = r.column("source_id");
          boolean any = false;
          for (int i = 0; i < users.length && !any; i++) {
            any = userId.equals(users[i]) && sourceId.equals(sources[i]);
          }
          if (!any) {
            continue;
          }
          events = r.events();
          seqs = r.sequences();
          memberOfRow = r.memberOfRows();
        }
        boolean[] keep = new boolean[events.size()];
        int keptCount = 0;
        for (int i = 0; i < events.size(); i++) {
          keep[i] = !matches(events.get(i), sourceId, userId);
          keptCount += keep[i] ? 1 : 0;
        }
        removed += events.size() - keptCount;
        int idx = p.chunks.indexOf(meta);
        if (keptCount == 0 && !meta.merged()) {
          p.chunks.remove(meta);
          p.fs.delete(path);
        } else {
          // a merged chunk stays even when empty: its members are the ids the batch layer knows
          Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
          ChunkFile.Meta rewritten =
              ChunkFile.rewrite(
                  p.fs, tmp, meta, seqs, events, memberOfRow, keep, p.options.compression());
          p.fs.move(tmp, path);
          p.chunks.set(idx, rewritten);
        }
        p.fs.syncDirectory(p.chunkDir);
      }
      p.fs.delete(intent);
      p.fs.syncDirectory(p.deletionDir);
      return removed;
    } finally {
      p.lock.unlock();
    }
  }

  /** Completes deletions a crash interrupted. */
  static void resumePending(Partition p) throws IOException {
    for (Path f : Recovery.list(p.deletionDir)) {
      if (!f.getFileName().toString().endsWith(".del")) {
        p.fs.delete(f);
        continue;
      }
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(f)));
      String source = ValueCodec.readString(in);
      String user = ValueCodec.readString(in);
      long n = delete(p, source, user);
      p.problems.accept(
          "p" + p.id + ": completed an interrupted user deletion (" + n + " more events removed)");
    }
  }

  static boolean matches(Event e, String sourceId, String userId) {
    return Objects.equals(e.userId(), userId) && Objects.equals(e.sourceId(), sourceId);
  }

  static void rewriteWal(Partition p, Path path, List<Event> kept, List<Long> seqs)
      throws IOException {
    WalFile.Encoder enc = new WalFile.Encoder();
    WalFile.Buffer buf = new WalFile.Buffer();
    for (int i = 0; i < kept.size(); i++) {
      enc.encode(seqs.get(i), kept.get(i), buf);
    }
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try (FileChannel ch =
        p.fs.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(buf.bytes, 0, buf.length);
      long pos = 0;
      while (b.hasRemaining()) {
        pos += ch.write(b, pos);
      }
      ch.force(true);
    }
  }
}
