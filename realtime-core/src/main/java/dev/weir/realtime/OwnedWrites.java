package dev.weir.realtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The write side of a partition whose log lives elsewhere (cluster mode): rows from encoded
 * records, the stage → apply split of {@link RealtimeStore#append}, replays of stored batches, and
 * the scope a replay must cover. Stateless.
 */
final class OwnedWrites {
  private OwnedWrites() {}

  /**
   * The rows of encoded records, reading only the four fields the store needs; records without a
   * source or upload time are rejected in {@code results} and left out.
   */
  static Partition.Rows rows(List<byte[]> records, AppendResult[] results) throws IOException {
    List<Records.Header> headers = new ArrayList<>(records.size());
    int kept = 0;
    for (int i = 0; i < records.size(); i++) {
      byte[] r = records.get(i);
      Records.Header h = r == null ? null : Records.header(r, 0, r.length);
      if (h == null || h.sourceId() == null || h.uploadTime() == 0) {
        results[i] =
            AppendResult.rejected(
                h == null
                    ? "record is null"
                    : h.sourceId() == null ? "missing source_id" : "missing upload_time");
        headers.add(null);
        continue;
      }
      headers.add(h);
      kept++;
    }
    Partition.Rows rows = new Partition.Rows(kept);
    int j = 0;
    for (int i = 0; i < records.size(); i++) {
      Records.Header h = headers.get(i);
      if (h == null) {
        continue;
      }
      rows.set(
          j++,
          records.get(i),
          h.insertId() == null ? 0 : Keys.dedupKey(h.sourceId(), h.insertId()),
          h.uploadTime(),
          h.time(),
          i);
    }
    return rows;
  }

  /** An open check that throws when the store is closed. */
  interface OpenCheck {
    void ensureOpen() throws StoreWriteException;
  }

  /**
   * Writes and commits a stage of {@code p} (taken at the partition's current next sequence) and
   * waits until it is durable under the fsync policy.
   */
  static void write(Partition p, Partition.Staged s, Durability durability, OpenCheck open)
      throws IOException {
    long gen;
    p.lock.lock();
    try {
      open.ensureOpen();
      if (p.nextSeq != s.seqBefore) {
        throw new IllegalStateException(
            "p"
                + p.id
                + " moved from sequence "
                + s.seqBefore
                + " to "
                + p.nextSeq
                + " since this stage was taken");
      }
      for (Partition.Target t : s.targets.values()) {
        if (t.existing != null && t.existing.evicted) {
          throw new IllegalStateException(
              "p" + p.id + ": block " + t.existing.name + " was sealed since this stage was taken");
        }
      }
      try {
        s.write();
      } catch (IOException | RuntimeException e) {
        s.rollback();
        throw new StoreWriteException(
            "p" + p.id + ": write of a staged batch failed, nothing stored: " + e, e);
      }
      List<WalFile> files = s.commit();
      Map<Partition, Long> visible = new LinkedHashMap<>();
      visible.put(p, p.nextSeq);
      gen = durability.registerWrite(files, visible);
    } finally {
      p.lock.unlock();
    }
    durability.await(gen);
  }

  /**
   * Stages a stored batch for replay (under the lock): skips what the partition already has, starts
   * an empty partition at {@code firstSeq}, moves the clock to {@code clockBefore}. Null when
   * nothing is left to apply.
   */
  static Partition.Staged stageReplay(
      Partition p, long clockBefore, long firstSeq, List<byte[]> records) throws IOException {
    List<byte[]> todo = records;
    long first = firstSeq;
    if (p.nextSeq > first) {
      long skip = p.nextSeq - first;
      if (skip >= todo.size()) {
        return null;
      }
      todo = todo.subList((int) skip, todo.size());
      first = p.nextSeq;
    } else if (p.nextSeq < first) {
      if (!p.live.isEmpty() || !p.evicted.isEmpty() || !p.chunks.isEmpty()) {
        throw new IllegalStateException(
            "p"
                + p.id
                + ": a replayed batch starts at sequence "
                + first
                + " but the partition ends at "
                + p.nextSeq);
      }
      p.writeFloor(first);
      p.nextSeq = first;
      p.publishVisible(first);
    }
    p.followClock(clockBefore);
    AppendResult[] results = new AppendResult[todo.size()];
    Partition.Rows rows = rows(todo, results);
    if (rows.size() != todo.size()) {
      throw new IllegalStateException(
          "p" + p.id + ": a replayed batch holds a record the store would reject");
    }
    return p.stage(rows, null, false, first);
  }

  /**
   * See {@link RealtimeStore#scopeSequence}; under the lock. Sealed blocks count by their own first
   * sequence (a block is named {@code <start>-<first seq>}), never by the range of the chunk that
   * holds them: chunks group blocks differently on a rebuilt copy, blocks do not.
   */
  static long scopeSequence(Partition p) {
    long seq = p.nextSeq;
    for (Block b : p.live.values()) {
      Block.Rows rows = b.rows();
      if (rows.size() > 0) {
        seq = Math.min(seq, rows.minSeq());
      }
    }
    if (p.indexesKeys()) {
      long windowStart = p.windowStart();
      for (Partition.Evicted e : p.evicted) {
        seq = Math.min(seq, firstSeqInWindow(p, e.name(), windowStart, e.minSeq()));
      }
      for (ChunkFile.Meta m : p.chunks) {
        for (String block : m.sources()) {
          seq = Math.min(seq, firstSeqInWindow(p, block, windowStart, m.minSeq()));
        }
      }
    }
    return seq;
  }

  /**
   * The first sequence of the sealed block {@code name} ({@code <start>-<first seq>}) when the
   * block ends inside the window, else {@code Long.MAX_VALUE}; {@code fallback} when the name does
   * not parse (counted as inside, so a replay covers too much rather than too little).
   */
  private static long firstSeqInWindow(Partition p, String name, long windowStart, long fallback) {
    int dash = name.indexOf('-', 1);
    if (dash < 0) {
      return fallback;
    }
    try {
      long start = Long.parseLong(name.substring(0, dash));
      long first = Long.parseLong(name.substring(dash + 1));
      return start + p.intervalMs - 1 >= windowStart ? first : Long.MAX_VALUE;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** See {@link RealtimeStore#fingerprint}; under the lock. */
  static String fingerprint(Partition p) {
    java.security.MessageDigest md;
    try {
      md = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8);
    java.util.function.LongConsumer put =
        v -> {
          b.clear();
          b.putLong(v);
          md.update(b.array());
        };
    put.accept(p.nextSeq);
    put.accept(p.clockNanos());
    for (Block block : p.live.values()) {
      put.accept(block.start);
      md.update(block.name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      put.accept(block.lastTouchNanos);
      Block.Rows rows = block.rows();
      put.accept(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        put.accept(rows.seq(i));
        md.update(rows.page(i), rows.offset(i), rows.length(i));
      }
      long[] keys = block.keys.toArray();
      java.util.Arrays.sort(keys);
      for (long k : keys) {
        put.accept(k);
      }
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
