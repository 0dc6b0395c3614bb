package dev.weir.realtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.weir.sdk.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One independent partition: its cached blocks (a Caffeine cache whose clock is the data's upload
 * time), evicted block files, chunks and sequence counter. Writers hold {@link #lock}; readers take
 * snapshots under it briefly.
 */
final class Partition {
  final int id;
  final StoreOptions options;
  final StoreFileSystem fs;
  final Path dir;
  final Path walDir;
  final Path evictedDir;
  final Path chunkDir;
  final Path deletionDir;
  final KeyIndex keyIndex;
  private final long windowMs;
  final ReentrantLock lock = new ReentrantLock();
  final long intervalMs;
  private final long spanNanos;
  private volatile long clockNanos;
  final Cache<Long, Block> cache;

  /**
   * Keys of the cached blocks: the index the quiet view and dedup walk (never touches the cache's
   * order).
   */
  final ConcurrentSkipListMap<Long, Block> live = new ConcurrentSkipListMap<>();

  final CopyOnWriteArrayList<Evicted> evicted = new CopyOnWriteArrayList<>();
  final CopyOnWriteArrayList<ChunkFile.Meta> chunks = new CopyOnWriteArrayList<>();
  long nextSeq;
  private volatile long visibleSeq;
  long floor;
  final AtomicLong stored = new AtomicLong();

  /** Set while a chunk merge of this partition runs (merges build chunks outside the lock). */
  final java.util.concurrent.atomic.AtomicBoolean merging =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Held while small chunks of this partition are merged (one merge at a time). */
  final ReentrantLock mergeLock = new ReentrantLock();

  final AtomicLong duplicates = new AtomicLong();

  /** Where the duplicate count is saved (at close and each cleanup). */
  static final String COUNTERS_FILE = "duplicates";

  void saveCounters() throws IOException {
    StoreFiles.writeAtomically(
        fs,
        dir.resolve(COUNTERS_FILE),
        Long.toString(duplicates.get()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** Estimated heap of the cached blocks ({@link Block#bytes} summed); written under the lock. */
  volatile long liveBytes;

  final Consumer<String> problems;

  /**
   * The last few chunks the log reader decoded, so a cursor paging through a chunk decodes it once.
   */
  final Cache<String, LogReader.Decoded> decodedChunks =
      Caffeine.newBuilder()
          .maximumWeight(1_000_000)
          .weigher((String k, LogReader.Decoded d) -> d.seqs().length)
          .build();

  private final WalFile.Encoder encoder = new WalFile.Encoder();

  /** An evicted block's write-ahead file in the disk store, waiting to be merged into a chunk. */
  record Evicted(
      String name, Path path, long minSeq, long maxSeq, int rows, long minTime, long maxTime) {}

  Partition(int id, StoreOptions options, Consumer<String> problems) throws IOException {
    this.id = id;
    this.options = options;
    this.fs = options.fileSystem();
    this.problems = problems;
    this.dir = options.dir().resolve("p" + id);
    this.walDir = dir.resolve("wal");
    this.evictedDir = dir.resolve("evicted");
    this.chunkDir = dir.resolve("chunks");
    this.deletionDir = dir.resolve("deletions");
    this.keyIndex = new KeyIndex(id, dir.resolve("keys"), fs, problems);
    this.windowMs = options.dedupWindow().toMillis();
    for (Path p : List.of(walDir, evictedDir, chunkDir, deletionDir, keyIndex.dir)) {
      Files.createDirectories(p);
    }
    this.intervalMs = options.blockInterval().toMillis();
    this.spanNanos =
        Math.multiplyExact(intervalMs * (options.cachedBlocksPerPartition() - 1L), 1_000_000L);
    this.cache =
        Caffeine.newBuilder()
            .ticker(() -> clockNanos)
            .executor(Runnable::run)
            .expireAfter(new DataTimeExpiry())
            .evictionListener((Long k, Block b, RemovalCause c) -> onEvicted(b))
            .recordStats()
            .build();
  }

  /**
   * Data-time LRU: a block lives until the clock passes max(block end, last write) + (cached - 1)
   * intervals.
   */
  private final class DataTimeExpiry implements Expiry<Long, Block> {
    private long remaining(Block b, long now) {
      long deadline = Math.max(nanos(b.end), b.lastTouchNanos) + spanNanos;
      return Math.max(0, deadline - now);
    }

    @Override
    public long expireAfterCreate(Long key, Block b, long now) {
      return remaining(b, now);
    }

    @Override
    public long expireAfterUpdate(Long key, Block b, long now, long current) {
      return remaining(b, now);
    }

    @Override
    public long expireAfterRead(Long key, Block b, long now, long current) {
      return remaining(b, now);
    }
  }

  static long nanos(long millis) {
    return millis >= Long.MAX_VALUE / 1_000_000L
        ? Long.MAX_VALUE / 4
        : Math.max(0, millis) * 1_000_000L;
  }

  long blockStart(long uploadTime) {
    return Math.floorDiv(uploadTime, intervalMs) * intervalMs;
  }

  long clockNanos() {
    return clockNanos;
  }

  void advanceClock(long uploadMillis) {
    long n = nanos(uploadMillis);
    if (n > clockNanos) {
      clockNanos = n;
    }
  }

  long visibleSeq() {
    return visibleSeq;
  }

  void publishVisible(long seq) {
    synchronized (this) {
      if (seq > visibleSeq) {
        visibleSeq = seq;
      }
    }
  }

  // ---------------------------------------------------------------- write path (caller holds lock)

  /** The rows of one sub-batch bound for one block. */
  static final class Target {
    final long start;
    final Block existing;
    Block created;
    final WalFile.Buffer buffer = new WalFile.Buffer();
    final List<byte[]> records = new ArrayList<>();
    final List<Long> times = new ArrayList<>();
    final List<Long> seqs = new ArrayList<>();
    final List<Long> keys = new ArrayList<>();
    long sizeBefore;
    long bytes;
    WalFile wal;

    Target(long start, Block existing) {
      this.start = start;
      this.existing = existing;
    }
  }

  /**
   * A staged sub-batch: dedup decided, sequences tentatively assigned, records encoded, nothing
   * written yet.
   */
  final class Staged {
    final Map<Long, Target> targets = new LinkedHashMap<>();

    /** The stored rows' records in sequence order. */
    final List<byte[]> inOrder = new ArrayList<>();

    long seqBefore;
    long seqAfter;
    long maxUpload = Long.MIN_VALUE;
    int duplicateCount;

    void write() throws IOException {
      for (Target t : targets.values()) {
        if (t.existing != null && t.existing.wal != null) {
          t.wal = t.existing.wal;
        } else {
          long firstSeq = t.seqs.get(0);
          t.created =
              new Block(
                  t.start,
                  t.start + intervalMs,
                  t.start + "-" + firstSeq,
                  null,
                  Math.max(16, t.records.size()));
          t.wal = WalFile.create(fs, walDir.resolve(t.created.name + ".wal"));
          t.created.wal = t.wal;
          // the new file's directory entry must be durable before its records are acknowledged
          fs.syncDirectory(walDir);
        }
        t.sizeBefore = t.wal.size();
        t.wal.write(t.buffer.bytes, t.buffer.length);
      }
    }

    /**
     * Undoes {@link #write()}: truncates appended files, deletes created ones. Best effort, never
     * throws.
     */
    void rollback() {
      for (Target t : targets.values()) {
        if (t.wal == null) {
          continue;
        }
        try {
          if (t.created != null) {
            t.wal.abandon();
            fs.delete(t.wal.path);
          } else {
            t.wal.truncate(t.sizeBefore);
          }
        } catch (IOException e) {
          problems.accept(
              "p"
                  + id
                  + ": rollback of "
                  + t.wal.path.getFileName()
                  + " failed: "
                  + e.getMessage()
                  + " (recovery will cut the unacknowledged tail)");
        }
      }
    }

    List<WalFile> commit() {
      List<WalFile> files = new ArrayList<>();
      // LRU on data time: a write refreshes a block to the clock as it stood before this batch, so
      // a late event
      // keeps an old block cached, while one batch spanning hours (a bulk replay) does not pin all
      // its blocks
      long touch = clockNanos;
      for (Target t : targets.values()) {
        Block b = t.created != null ? t.created : t.existing;
        for (int i = 0; i < t.records.size(); i++) {
          byte[] rec = t.records.get(i);
          b.add(rec, 0, rec.length, t.seqs.get(i), t.times.get(i));
          long k = t.keys.get(i);
          if (k != 0) {
            b.keys.add(k);
          }
        }
        b.publish();
        b.bytes += t.bytes;
        liveBytes += t.bytes;
        b.lastTouchNanos = touch;
        files.add(b.wal);
      }
      stored.addAndGet(seqAfter - nextSeq);
      nextSeq = seqAfter;
      duplicates.addAndGet(duplicateCount);
      // refresh the written blocks before the clock moves: a block an event was just added to is
      // refreshed to the clock before the batch even when this batch moves the clock past its old
      // deadline (then the expiry below seals it), exactly as a block created by the batch would be
      for (Target t : targets.values()) {
        if (t.created != null) {
          live.put(t.start, t.created);
          cache.put(t.start, t.created);
        } else {
          cache.getIfPresent(t.start);
        }
      }
      if (maxUpload != Long.MIN_VALUE) {
        advanceClock(maxUpload);
      }
      expire();
      return files;
    }
  }

  /**
   * Dedups and stages the events at {@code indexes}; fills results for duplicates, stored ones on
   * commit.
   */
  Staged stage(
      List<Event> events, byte[][] encoded, List<Integer> indexes, AppendResult[] results) {
    int n = indexes.size();
    Rows rows = new Rows(n);
    for (int j = 0; j < n; j++) {
      int idx = indexes.get(j);
      Event e = events.get(idx);
      rows.set(
          j,
          encoded[idx],
          e.insertId() == null ? 0 : Keys.dedupKey(e.sourceId(), e.insertId()),
          e.uploadTime(),
          ChunkFile.eventTime(e),
          idx);
    }
    return stage(rows, results, true, nextSeq);
  }

  /**
   * Rows to stage, by position: record bytes, dedup key (0: never deduplicated), upload time, event
   * time, and the slot of {@code results} that hears the outcome.
   */
  static final class Rows {
    final byte[][] records;
    final long[] keys;
    final long[] uploads;
    final long[] times;
    final int[] slots;

    Rows(int n) {
      records = new byte[n][];
      keys = new long[n];
      uploads = new long[n];
      times = new long[n];
      slots = new int[n];
    }

    void set(int i, byte[] record, long key, long upload, long time, int slot) {
      records[i] = record;
      keys[i] = key;
      uploads[i] = upload;
      times[i] = time;
      slots[i] = slot;
    }

    int size() {
      return records.length;
    }
  }

  /**
   * Stages {@code rows} from sequence {@code firstSeq}: with {@code dedup} a row whose key is in
   * the dedup window (or earlier in the batch) is a duplicate; without it every row is stored (a
   * replay of rows already decided). Nothing changes until the result is written and committed.
   */
  Staged stage(Rows rows, AppendResult[] results, boolean dedup, long firstSeq) {
    Staged s = new Staged();
    LongKeySet batchKeys = dedup ? new LongKeySet(rows.size()) : null;
    long seq = firstSeq;
    s.seqBefore = firstSeq;
    for (int j = 0; j < rows.size(); j++) {
      long key = rows.keys[j];
      if (dedup && key != 0 && (isDuplicate(key) || !batchKeys.add(key))) {
        results[rows.slots[j]] = AppendResult.duplicate(id);
        s.duplicateCount++;
        continue;
      }
      byte[] rec = rows.records[j];
      long start = blockStart(rows.uploads[j]);
      Target t = s.targets.computeIfAbsent(start, st -> new Target(st, live.get(st)));
      encoder.encode(seq, rec, t.buffer);
      t.bytes += Block.heapEstimate(rec.length);
      t.records.add(rec);
      t.times.add(rows.times[j]);
      t.seqs.add(seq);
      t.keys.add(key);
      s.inOrder.add(rec);
      if (results != null) {
        results[rows.slots[j]] = AppendResult.stored(id, seq);
      }
      seq++;
      s.maxUpload = Math.max(s.maxUpload, rows.uploads[j]);
    }
    s.seqAfter = seq;
    return s;
  }

  private boolean isDuplicate(long key) {
    for (Block b : live.values()) {
      if (b.keys.contains(key)) {
        return true;
      }
    }
    return windowMs > 0 && keyIndex.contains(key, windowStart());
  }

  /** The oldest upload time (epoch ms) the dedup window still covers, on this partition's clock. */
  long windowStart() {
    long clockMs = clockNanos / 1_000_000L;
    return clockMs - windowMs;
  }

  /** Whether sealed blocks keep their keys in the key index (a dedup window beyond the cache). */
  boolean indexesKeys() {
    return windowMs > 0;
  }

  // ---------------------------------------------------------------- eviction and the disk store

  /**
   * Runs the cache's maintenance, then evicts blocks whose data-time deadline has passed but which
   * Caffeine's timer wheel (about one second granular, and only advanced when its clock moves) has
   * not yet swept. Under the lock.
   */
  void expire() {
    cache.cleanUp();
    for (Map.Entry<Long, Block> e : live.entrySet()) {
      if (cache.policy().getIfPresentQuietly(e.getKey()) == null) {
        onEvicted(e.getValue());
        cache.invalidate(e.getKey());
      }
    }
  }

  /**
   * Moves an evicted block's write-ahead file to the disk store. Idempotent; runs under the
   * partition lock.
   */
  void onEvicted(Block b) {
    if (b.evicted) {
      return;
    }
    b.evicted = true;
    live.remove(b.start, b);
    liveBytes -= b.bytes;
    if (windowMs > 0) {
      keyIndex.seal(b.name, b.start, b.end - 1, b.keys);
    }
    Block.Rows rows = b.rows();
    Path path = b.wal.path;
    try {
      b.wal.close();
      Path target = evictedDir.resolve(b.name + ".wal");
      fs.move(path, target);
      fs.syncDirectory(evictedDir);
      fs.syncDirectory(walDir);
      path = target;
    } catch (IOException e) {
      problems.accept(
          "p"
              + id
              + ": moving evicted block "
              + b.name
              + " to the disk store failed, left in place: "
              + e.getMessage());
    }
    if (rows.size() > 0) {
      evicted.add(
          new Evicted(
              b.name, path, rows.minSeq(), rows.maxSeq(), rows.size(), b.minTime, b.maxTime));
    } else {
      try {
        fs.delete(path);
      } catch (IOException ignored) {
        // an empty file replays to nothing
      }
    }
  }

  /** The index entry of an evicted block file, from its replayed records' headers. */
  static Evicted evictedOf(String name, Path path, WalFile.Replay r) {
    long minT = Long.MAX_VALUE;
    long maxT = Long.MIN_VALUE;
    long minS = Long.MAX_VALUE;
    long maxS = Long.MIN_VALUE;
    for (int i = 0; i < r.size(); i++) {
      long t = r.header(i).time();
      minT = Math.min(minT, t);
      maxT = Math.max(maxT, t);
      minS = Math.min(minS, r.seq(i));
      maxS = Math.max(maxS, r.seq(i));
    }
    return new Evicted(name, path, minS, maxS, r.size(), minT, maxT);
  }

  /**
   * Drops every cached row beyond the visible (durable) sequence after a failed fsync: the rows,
   * their dedup keys, and their records (each touched write-ahead file is rewritten from the rows
   * kept, or deleted when none are left). Sequences are not reused. Under the lock.
   */
  void discardUnsynced() {
    long v = visibleSeq;
    for (Block b : List.copyOf(live.values())) {
      Block.Rows rows = b.rows();
      if (rows.size() == 0 || rows.maxSeq() < v) {
        continue;
      }
      Event[] events = rows.events(); // decoded once per block
      List<Event> kept = new ArrayList<>();
      List<Long> keptSeqs = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (rows.seqs()[i] < v) {
          kept.add(events[i]);
          keptSeqs.add(rows.seqs()[i]);
        }
      }
      long dropped = rows.size() - kept.size();
      stored.addAndGet(-dropped);
      long bytesBefore = b.bytes;
      b.bytes = rows.size() == 0 ? 0 : b.bytes * kept.size() / rows.size();
      liveBytes -= bytesBefore - b.bytes;
      b.replaceRows(kept, keptSeqs);
      Path path = b.wal.path;
      try {
        if (kept.isEmpty()) {
          b.wal.abandon();
          fs.delete(path);
          fs.syncDirectory(walDir);
          b.evicted = true;
          live.remove(b.start, b);
          cache.invalidate(b.start);
        } else {
          b.wal.abandon();
          UserDeletion.rewriteWal(this, path, kept, keptSeqs);
          fs.move(path.resolveSibling(path.getFileName() + ".tmp"), path);
          fs.syncDirectory(walDir);
          b.wal = WalFile.reopen(fs, path);
        }
      } catch (IOException e) {
        problems.accept(
            "p"
                + id
                + ": after a failed fsync, rewriting "
                + path.getFileName()
                + " without the "
                + dropped
                + " unacknowledged events failed ("
                + e.getMessage()
                + "); recovery may find them stored");
        try {
          b.wal = WalFile.reopen(fs, path);
        } catch (IOException again) {
          // the block stays in memory; its next write fails and is reported to that appender
        }
      }
    }
  }

  /**
   * Moves the partition's clock up to the store-wide data clock and seals what that expires, so a
   * quiet partition seals on the same time as the busy ones. Under the lock.
   */
  void followClock(long storeClockMillis) {
    advanceClock(storeClockMillis);
    expire();
  }

  /**
   * Seals the oldest cached block now (memory bound); false when none is cached. Under the lock.
   */
  boolean sealOldest() {
    Map.Entry<Long, Block> first = live.firstEntry();
    if (first == null) {
      return false;
    }
    onEvicted(first.getValue());
    cache.invalidate(first.getKey());
    return true;
  }

  /** Blocks currently cached, read without touching the cache's access order or statistics. */
  List<Block.Rows> quietBlockRows() {
    List<Block.Rows> out = new ArrayList<>();
    for (Long k : live.keySet()) {
      Block b = cache.policy().getIfPresentQuietly(k);
      if (b != null) {
        out.add(b.rows());
      }
    }
    return out;
  }

  /** A consistent snapshot of every data source of this partition. */
  record Snapshot(List<Block.Rows> blocks, List<Evicted> evicted, List<ChunkFile.Meta> chunks) {}

  Snapshot snapshot() {
    lock.lock();
    try {
      return new Snapshot(quietBlockRows(), List.copyOf(evicted), List.copyOf(chunks));
    } finally {
      lock.unlock();
    }
  }

  Path chunkPath(String chunkId) {
    return chunkDir.resolve(chunkId + ".chunk");
  }

  /** Persists the lowest sequence the partition may hand out next (before anything is removed). */
  void writeFloor(long value) throws IOException {
    floor = Math.max(floor, value);
    StoreFiles.writeAtomically(
        fs,
        dir.resolve("floor"),
        Long.toString(floor).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  Map<String, Long> counters() {
    Map<String, Long> m = new HashMap<>();
    m.put("stored", stored.get());
    m.put("duplicates", duplicates.get());
    return m;
  }
}
