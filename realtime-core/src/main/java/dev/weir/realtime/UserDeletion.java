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
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Removes every event of one user from a partition: events of the named sources (a source and its
 * {@code <source>:quarantine} copy) whose {@code user_id} is the user's, or which carry no user id
 * and one of the device ids seen with the user. Cached blocks and their write-ahead files, evicted
 * block files and chunks are rewritten (via temp file + rename). A durable intent file is written
 * first and removed last, so a crash midway is completed by recovery; every step is idempotent.
 */
final class UserDeletion {
  private UserDeletion() {}

  /** Marks the intent file of the current format (older files hold just source and user). */
  private static final String FORMAT_2 = "\u0000deletion-2";

  /**
   * Which events a deletion removes: of {@code sources}, those of {@code user}, and those without a
   * user id whose device is one of {@code devices}. Immutable.
   */
  record Match(Set<String> sources, String user, Set<String> devices) {
    Match {
      sources = Set.copyOf(sources);
      Objects.requireNonNull(user, "user");
      devices = Set.copyOf(devices);
    }

    boolean matches(Event e) {
      return matches(e.sourceId(), e.userId(), e.deviceId());
    }

    boolean matches(Object source, Object userId, Object deviceId) {
      if (!sources.contains(source)) {
        return false;
      }
      return userId == null ? deviceId != null && devices.contains(deviceId) : user.equals(userId);
    }

    /** Whether {@code (source, userId)} is the user's own event (not a device-only one). */
    boolean ownEvent(Object source, Object userId) {
      return sources.contains(source) && user.equals(userId);
    }

    String key() {
      return new TreeSet<>(sources) + "\u0000" + user + "\u0000" + new TreeSet<>(devices);
    }
  }

  static Path intentPath(Partition p, Match m) {
    return p.deletionDir.resolve(Long.toHexString(Keys.hash(m.key())) + ".del");
  }

  static Path intentPath(Partition p, String sourceId, String userId) {
    return intentPath(p, new Match(Set.of(sourceId), userId, Set.of()));
  }

  /** Durably records that {@code m} is to be deleted from {@code p} (done by {@link #delete}). */
  static void writeIntent(Partition p, Match m) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bos);
    ValueCodec.writeString(out, FORMAT_2);
    writeStrings(out, new TreeSet<>(m.sources()));
    ValueCodec.writeString(out, m.user());
    writeStrings(out, new TreeSet<>(m.devices()));
    StoreFiles.writeAtomically(p.fs, intentPath(p, m), bos.toByteArray());
  }

  private static void writeStrings(DataOutputStream out, Set<String> values) throws IOException {
    out.writeInt(values.size());
    for (String v : values) {
      ValueCodec.writeString(out, v);
    }
  }

  private static Set<String> readStrings(DataInputStream in) throws IOException {
    int n = in.readInt();
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      out.add(ValueCodec.readString(in));
    }
    return out;
  }

  /**
   * The device ids of the user's own events (of {@code sources}) in this partition: cached blocks,
   * evicted block files and chunks.
   */
  static Set<String> devicesOf(Partition p, Set<String> sources, String user) throws IOException {
    Match m = new Match(sources, user, Set.of());
    Set<String> out = new TreeSet<>();
    p.lock.lock();
    try {
      for (Block b : p.live.values()) {
        Block.Rows rows = b.rows();
        for (int i = 0; i < rows.size(); i++) {
          if (m.ownEvent(rows.field(i, "source_id"), rows.field(i, "user_id"))
              && rows.field(i, "device_id") instanceof String d) {
            out.add(d);
          }
        }
      }
      for (Partition.Evicted ev : p.evicted) {
        for (Event e : WalFile.replay(p.fs, ev.path(), false, p.problems).events()) {
          if (m.ownEvent(e.sourceId(), e.userId()) && e.deviceId() != null) {
            out.add(e.deviceId());
          }
        }
      }
      for (ChunkFile.Meta meta : p.chunks) {
        try (ChunkFile.Reader r = new ChunkFile.Reader(p.fs, p.chunkPath(meta.id()))) {
          Object[] users = r.column("user_id");
          Object[] srcs = r.column("source_id");
          Object[] devices = r.column("device_id");
          for (int i = 0; i < users.length; i++) {
            if (m.ownEvent(srcs[i], users[i]) && devices[i] instanceof String d) {
              out.add(d);
            }
          }
        }
      }
      return out;
    } finally {
      p.lock.unlock();
    }
  }

  static long delete(Partition p, String sourceId, String userId) throws IOException {
    return delete(p, new Match(Set.of(sourceId), userId, Set.of()));
  }

  static long delete(Partition p, Match m) throws IOException {
    p.lock.lock();
    try {
      Path intent = intentPath(p, m);
      if (!Files.exists(intent)) { // the store writes every partition's intent first
        writeIntent(p, m);
      }
      p.writeFloor(p.nextSeq);
      long removed = 0;
      Set<Long> keys = new HashSet<>(); // the dedup keys of what is removed: sent again, it is new
      for (Block b : new ArrayList<>(p.live.values())) {
        Block.Rows rows = b.rows();
        Event[] events = rows.events(); // decoded once per block
        List<Event> kept = new ArrayList<>();
        List<Long> keptSeqs = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
          if (!m.matches(events[i])) {
            kept.add(events[i]);
            keptSeqs.add(rows.seqs()[i]);
          } else {
            addKey(keys, events[i]);
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
        List<Event> all = r.events();
        List<Event> kept = new ArrayList<>();
        List<Long> keptSeqs = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
          if (!m.matches(all.get(i))) {
            kept.add(all.get(i));
            keptSeqs.add(r.sequences().get(i));
          } else {
            addKey(keys, all.get(i));
          }
        }
        if (kept.size() < all.size()) {
          removed += all.size() - kept.size();
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
          Object[] devices = m.devices().isEmpty() ? null : r.column("device_id");
          boolean any = false;
          for (int i = 0; i < users.length && !any; i++) {
            any = m.matches(sources[i], users[i], devices == null ? null : devices[i]);
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
          keep[i] = !m.matches(events.get(i));
          keptCount += keep[i] ? 1 : 0;
          if (!keep[i]) {
            addKey(keys, events.get(i));
          }
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
      // the sealed blocks' key files forget the removed events too (the cached blocks' key sets
      // were rebuilt from what they kept above): a deleted event sent again is stored as new
      p.keyIndex.forget(keys);
      p.fs.delete(intent);
      p.fs.syncDirectory(p.deletionDir);
      return removed;
    } finally {
      p.lock.unlock();
    }
  }

  private static void addKey(Set<Long> keys, Event e) {
    if (e.insertId() != null) {
      keys.add(Keys.dedupKey(e.sourceId(), e.insertId()));
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
      String first = ValueCodec.readString(in);
      Match m;
      if (FORMAT_2.equals(first)) {
        Set<String> sources = readStrings(in);
        String user = ValueCodec.readString(in);
        m = new Match(sources, user, readStrings(in));
      } else {
        m = new Match(Set.of(first), ValueCodec.readString(in), Set.of());
      }
      long n = delete(p, m);
      if (!f.equals(intentPath(p, m))) {
        p.fs.delete(f); // written under another name by an older version
      }
      p.problems.accept(
          "p" + p.id + ": completed an interrupted user deletion (" + n + " more events removed)");
    }
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
