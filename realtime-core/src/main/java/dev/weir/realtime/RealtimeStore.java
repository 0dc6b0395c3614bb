package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real-time store every event passes through: deduplicates by insert id (scoped per source)
 * against the cached blocks of the event's partition, makes events durable in per-block write-ahead
 * files before acknowledging them, numbers them per partition, keeps recent blocks in memory and
 * older ones in columnar chunks, answers segmentation, funnel and audience queries, and hands
 * chunks over to the batch layer.
 *
 * <p>Thread-safe: any number of threads may append, read and query concurrently. {@link #open}
 * recovers from whatever a crash left on disk; {@link #close} fsyncs and releases the directory,
 * after which appends fail with {@link StoreWriteException}. One process at a time may open a
 * directory (an OS file lock guards it).
 */
public final class RealtimeStore implements AutoCloseable {
  private final StoreOptions options;

  /** Copy-on-write: {@link #resetPartition} swaps one in place. */
  private final CopyOnWriteArrayList<Partition> partitions;

  private final Durability durability;
  private final QueryEngine queries;
  private final ExecutorService queryPool;
  private final ScheduledExecutorService cleaner;

  /** Merges key-index files in the background (one thread; merges read and write whole files). */
  private final ExecutorService keyMerger =
      Executors.newSingleThreadExecutor(r -> daemon(r, "weir-store-key-merge"));

  /** Background chunk merges; one at a time, never on an appending thread. */
  private final java.util.concurrent.ThreadPoolExecutor merger =
      new java.util.concurrent.ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new java.util.concurrent.LinkedBlockingQueue<>(64),
          r -> daemon(r, "weir-store-merge"),
          new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());

  private final Map<String, ReaderHandle> readers = new ConcurrentHashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final RecoveryReport recoveryReport;
  private final FileChannel lockChannel;
  private final FileLock dirLock;
  private volatile long batch;
  private volatile boolean closed;

  /** The store-wide data clock: the highest upload time (epoch ms) any partition has stored. */
  private final java.util.concurrent.atomic.AtomicLong dataClock =
      new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

  private RealtimeStore(StoreOptions options) throws IOException {
    this.options = options;
    Files.createDirectories(options.dir());
    lockChannel =
        FileChannel.open(
            options.dir().resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    dirLock = lockChannel.tryLock();
    if (dirLock == null) {
      lockChannel.close();
      throw new IOException("store directory " + options.dir() + " is open in another process");
    }
    try {
      StoreLayout.checkPartitions(options);
    } catch (IOException e) {
      dirLock.release();
      lockChannel.close();
      throw e;
    }
    long t0 = System.nanoTime();
    List<String> found = new ArrayList<>();
    java.util.function.Consumer<String> report =
        msg -> {
          found.add(msg);
          problem(msg);
          options.recoveryListener().accept(msg);
        };
    batch = StoreFiles.readLong(options.dir().resolve("batch"), 0);
    List<Partition> ps = new ArrayList<>();
    long replayed = 0;
    long files = 0;
    long chunks = 0;
    for (int i = 0; i < options.partitions(); i++) {
      Partition p = new Partition(i, options, report);
      replayed += Recovery.recover(p);
      files += p.live.size() + p.evicted.size();
      chunks += p.chunks.size();
      ps.add(p);
    }
    for (Partition p : ps) {
      UserDeletion.resumePending(p);
    }
    partitions = new CopyOnWriteArrayList<>(ps);
    for (Partition p : partitions) {
      if (p.clockNanos() > 0) {
        dataClock.accumulateAndGet(p.clockNanos() / 1_000_000L, Math::max);
      }
    }
    recoveryReport =
        new RecoveryReport(
            replayed, files, chunks, List.copyOf(found), (System.nanoTime() - t0) / 1_000_000);
    durability = new Durability(options, partitions);
    AtomicInteger n = new AtomicInteger();
    queryPool =
        Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            r -> daemon(r, "weir-store-query-" + n.incrementAndGet()));
    queries =
        new QueryEngine(
            partitions, queryPool, options.queryCacheBytes(), options.queryMemoryBytes());
    seal();
    if (options.mergedChunkRows() > 0) {
      // chunks left small by an earlier run (or written in an older format) are merged on open
      for (Partition p : partitions) {
        merger.execute(() -> mergeQuietly(p));
      }
    }
    if (!options.cleanupInterval().isZero()) {
      cleaner = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "weir-store-cleanup"));
      long ms = options.cleanupInterval().toMillis();
      cleaner.scheduleWithFixedDelay(this::cleanupQuietly, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      cleaner = null;
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Opens (creating if needed) and recovers the store; problems repaired are in {@link
   * #recoveryReport()}.
   */
  public static RealtimeStore open(StoreOptions options) throws IOException {
    return new RealtimeStore(options);
  }

  /** What recovery found and repaired when this store was opened. */
  public RecoveryReport recoveryReport() {
    return recoveryReport;
  }

  private void problem(String message) {
    problems.add(message);
    while (problems.size() > 1000) {
      problems.remove(0);
    }
  }

  /**
   * Problems met since opening (recovery repairs, failed merges; the latest 1000), oldest first.
   */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * Deduplicates and stores the events; returns one result per event, in input order, once the
   * stored ones are durable under the fsync policy. Events without {@code source_id} or {@code
   * upload_time} are rejected (their neighbours still go through). Events without an insert id are
   * never deduplicated.
   *
   * @throws StoreWriteException when the batch cannot be written (disk full, I/O error, store
   *     closed); then none of it is stored
   */
  public List<AppendResult> append(List<Event> events) throws IOException {
    ensureOpen();
    AppendResult[] results = new AppendResult[events.size()];
    Map<Integer, List<Integer>> byPartition = new TreeMap<>();
    long maxUpload = Long.MIN_VALUE;
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      String problem =
          e == null
              ? "event is null"
              : e.sourceId() == null
                  ? "missing source_id"
                  : e.uploadTime() == null ? "missing upload_time" : null;
      if (problem != null) {
        results[i] = AppendResult.rejected(problem);
        continue;
      }
      maxUpload = Math.max(maxUpload, e.uploadTime());
      byPartition
          .computeIfAbsent(
              Keys.partitionOf(e.identity(), partitions.size()), k -> new ArrayList<>())
          .add(i);
    }
    byte[][] encoded = new byte[events.size()][];
    for (List<Integer> idx : byPartition.values()) {
      for (int i : idx) {
        encoded[i] =
            WalFile.eventBytes(events.get(i)); // outside the locks: appenders encode in parallel
      }
    }
    List<Partition> locked = new ArrayList<>();
    long gen;
    try {
      for (int pid : byPartition.keySet()) {
        Partition p = partitions.get(pid);
        p.lock.lock();
        locked.add(p);
      }
      ensureOpen();
      List<Partition.Staged> staged = new ArrayList<>();
      for (Partition p : locked) {
        staged.add(p.stage(events, encoded, byPartition.get(p.id), results));
      }
      try {
        for (Partition.Staged s : staged) {
          s.write();
        }
      } catch (IOException | RuntimeException e) {
        for (Partition.Staged s : staged) {
          s.rollback();
        }
        throw new StoreWriteException(
            "append of " + events.size() + " events failed, nothing stored: " + e, e);
      }
      List<WalFile> files = new ArrayList<>();
      Map<Partition, Long> visible = new LinkedHashMap<>();
      for (int i = 0; i < staged.size(); i++) {
        files.addAll(staged.get(i).commit());
        visible.put(locked.get(i), locked.get(i).nextSeq);
      }
      gen = durability.registerWrite(files, visible);
    } finally {
      for (Partition p : locked) {
        p.lock.unlock();
      }
    }
    durability.await(gen);
    afterWrite(locked, maxUpload);
    return Collections.unmodifiableList(java.util.Arrays.asList(results));
  }

  /**
   * After a durable write: chunks the written partitions' evicted blocks, moves the clock, seals.
   */
  private void afterWrite(List<Partition> written, long maxUpload) {
    for (Partition p : written) {
      chunkQuietly(p);
    }
    if (maxUpload != Long.MIN_VALUE && maxUpload > dataClock.get()) {
      dataClock.accumulateAndGet(maxUpload, Math::max);
    }
    seal();
  }

  private void chunkQuietly(Partition p) {
    try {
      if (Chunker.maybeChunk(p, batch) > 0 && options.mergedChunkRows() > 0 && !closed) {
        merger.execute(() -> mergeQuietly(p));
      }
    } catch (IOException | RuntimeException e) {
      problem("p" + p.id + ": chunk merge failed, blocks stay in the disk store: " + e);
    }
  }

  // ------------------------------------------------ a partition written from a replicated log

  /**
   * Deduplicates and numbers one partition's encoded records ({@link EventRecords#encode}) exactly
   * as {@link #append} would, changing nothing: the caller makes the stored ones durable elsewhere
   * (cluster mode: a Kafka transaction), then {@link StagedAppend#apply}s. The caller must be the
   * partition's only writer until then. Records without {@code source_id} or {@code upload_time}
   * are rejected.
   */
  public StagedAppend stage(int partition, List<byte[]> records) throws IOException {
    ensureOpen();
    Partition p = partition(partition);
    AppendResult[] results = new AppendResult[records.size()];
    Partition.Rows rows = OwnedWrites.rows(records, results);
    p.lock.lock();
    try {
      long clock = p.clockNanos() / 1_000_000L;
      return new StagedAppend(
          this, partition, p.stage(rows, results, true, p.nextSeq), results, clock);
    } finally {
      p.lock.unlock();
    }
  }

  void applyStaged(StagedAppend s) throws IOException {
    ensureOpen();
    Partition p = partition(s.partition());
    OwnedWrites.write(p, s.staged, durability, this::ensureOpen);
    afterWrite(List.of(p), s.staged.maxUpload);
  }

  /**
   * Applies records another writer already stored (a partition's log, replayed on a new owner):
   * {@code records} get the sequences from {@code firstSequence} on, without deduplication, after
   * the partition's clock is moved to {@code clockBefore} (the stage's {@link
   * StagedAppend#clockBefore}). Records below the partition's next sequence are skipped (a local
   * copy catching up); an empty partition starts at {@code firstSequence}. Returns how many records
   * were applied.
   *
   * @throws IllegalStateException when {@code firstSequence} is beyond the partition's next
   *     sequence (a gap) and the partition is not empty
   */
  public int replay(int partition, long clockBefore, long firstSequence, List<byte[]> records)
      throws IOException {
    ensureOpen();
    Partition p = partition(partition);
    Partition.Staged staged;
    p.lock.lock();
    try {
      staged = OwnedWrites.stageReplay(p, clockBefore, firstSequence, records);
    } finally {
      p.lock.unlock();
    }
    if (staged == null) {
      return 0;
    }
    OwnedWrites.write(p, staged, durability, this::ensureOpen);
    afterWrite(List.of(p), staged.maxUpload);
    return (int) (staged.seqAfter - staged.seqBefore);
  }

  /**
   * Moves the partition's data clock up to {@code millis} and seals what that expires: the clock
   * step a quiet partition takes when its {@link StoreOptions#independentPartitions() partitions
   * are independent} (the owner logs it, so a replay takes the same step). Idempotent.
   */
  public void followClock(int partition, long millis) throws IOException {
    ensureOpen();
    Partition p = partition(partition);
    p.lock.lock();
    try {
      p.followClock(millis);
    } finally {
      p.lock.unlock();
    }
    chunkQuietly(p);
  }

  /** The partition's data clock: the highest upload time (epoch ms) it has seen, 0 when none. */
  public long clock(int partition) {
    return partition(partition).clockNanos() / 1_000_000L;
  }

  /**
   * The lowest sequence of the blocks the partition still caches or whose keys are still in its
   * dedup window (its next sequence when none): a replay of the partition's log from the batch that
   * created the block holding this sequence on reproduces the cached blocks and dedup decisions.
   * Never decreases.
   */
  public long scopeSequence(int partition) {
    Partition p = partition(partition);
    p.lock.lock();
    try {
      return OwnedWrites.scopeSequence(p);
    } finally {
      p.lock.unlock();
    }
  }

  /**
   * A digest of what decides the partition's next dedup decisions and answers from memory: its next
   * sequence, data clock and every cached block (start, name, last-write clock, rows with their
   * sequences and record bytes, dedup keys). Two copies with equal fingerprints hold the same
   * cached state; a rebuilt partition is compared with its original this way.
   */
  public String fingerprint(int partition) {
    Partition p = partition(partition);
    p.lock.lock();
    try {
      return OwnedWrites.fingerprint(p);
    } finally {
      p.lock.unlock();
    }
  }

  /** Counters and positions of one partition. */
  public PartitionStats partitionStats(int partition) {
    Partition p = partition(partition);
    p.lock.lock();
    try {
      return new PartitionStats(
          partition, p.nextSeq, p.stored.get(), p.duplicates.get(), p.clockNanos() / 1_000_000L);
    } finally {
      p.lock.unlock();
    }
  }

  /** Sets a partition's stored and duplicate counts (a rebuilt partition takes its owner's). */
  public void restoreCounters(int partition, long stored, long duplicates) {
    Partition p = partition(partition);
    p.lock.lock();
    try {
      p.stored.set(stored);
      p.duplicates.set(duplicates);
    } finally {
      p.lock.unlock();
    }
  }

  /**
   * Deletes everything of one partition (blocks, files, chunks, key index, counters) and starts it
   * empty, for a rebuild from a replicated log. Readers of the old partition may fail.
   */
  public void resetPartition(int partition) throws IOException {
    ensureOpen();
    Partition old = partition(partition);
    old.lock.lock();
    try {
      for (Block b : old.live.values()) {
        b.wal.abandon();
      }
      OwnedWrites.deleteTree(old.dir);
      partitions.set(partition, new Partition(partition, options, this::problem));
    } finally {
      old.lock.unlock();
    }
  }

  /** Quiet partitions follow the store-wide data clock; the memory bound seals the oldest. */
  private void seal() {
    long clock = dataClock.get();
    if (options.independentPartitions()) {
      // each partition seals on its own clock only (cluster mode); its owner logs clock steps
    } else {
      if (clock != Long.MIN_VALUE) {
        Sealing.followStoreClock(partitions, clock, batch, this::problem);
      }
      Sealing.enforceMemory(partitions, options.memoryCapacity(), batch, this::problem);
    }
    for (Partition p : partitions) {
      if (!p.keyIndex.mergeCandidates().isEmpty() && !closed) {
        try {
          keyMerger.execute(() -> p.keyIndex.mergeAll(p.lock));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // closing
        }
      }
    }
  }

  /**
   * The store-wide data clock: the highest upload time (epoch ms) stored in any partition, or
   * {@link Long#MIN_VALUE} for an empty store. Blocks seal, and the dedup window ends, on this
   * clock, so an outage without traffic shrinks neither.
   */
  public long dataClock() {
    return dataClock.get();
  }

  public int partitionCount() {
    return partitions.size();
  }

  /** The sequence the next stored event of this partition gets. */
  public long nextSequence(int partition) {
    Partition p = partition(partition);
    p.lock.lock();
    try {
      return p.nextSeq;
    } finally {
      p.lock.unlock();
    }
  }

  /**
   * Up to {@code max} acknowledged events of the partition with sequence {@code >= fromSequence},
   * in order.
   */
  public List<StoredEvent> read(int partition, long fromSequence, int max) throws IOException {
    return LogReader.read(partition(partition), fromSequence, max);
  }

  /** Marks the current batch done: chunks created from now on carry the next number. Durable. */
  public synchronized void advanceBatch() throws IOException {
    long next = batch + 1;
    StoreFiles.writeAtomically(
        options.fileSystem(),
        options.dir().resolve("batch"),
        Long.toString(next).getBytes(StandardCharsets.US_ASCII));
    batch = next;
  }

  public long currentBatch() {
    return batch;
  }

  /**
   * Deletes chunks labelled {@code batchLag} or more numbers behind the current batch, unless a
   * registered reader still needs one of their sequences. Runs hourly in the background too.
   */
  public CleanupReport cleanup() throws IOException {
    List<String> deleted = new ArrayList<>();
    Map<String, String> kept = new LinkedHashMap<>();
    long current = batch;
    for (Partition p : partitions) {
      p.lock.lock();
      try {
        boolean floorWritten = false;
        for (ChunkFile.Meta m : List.copyOf(p.chunks)) {
          List<String> ids = m.logical().stream().map(ChunkFile.Member::id).toList();
          if (m.batch() > current - options.batchLag()) {
            putAll(
                kept,
                ids,
                "batch "
                    + m.batch()
                    + " not yet handed off (current "
                    + current
                    + ", lag "
                    + options.batchLag()
                    + ")");
            continue;
          }
          String pinnedBy = null;
          for (ReaderHandle r : readers.values()) {
            if (m.maxSeq() >= r.position(p.id)) {
              pinnedBy =
                  "reader '"
                      + r.name()
                      + "' still needs partition "
                      + p.id
                      + " from sequence "
                      + r.position(p.id);
              break;
            }
          }
          if (pinnedBy != null) {
            putAll(kept, ids, pinnedBy);
            continue;
          }
          if (!floorWritten) {
            p.writeFloor(p.nextSeq);
            floorWritten = true;
          }
          options.fileSystem().delete(p.chunkPath(m.id()));
          p.chunks.remove(m);
          deleted.addAll(ids);
        }
        options.fileSystem().syncDirectory(p.chunkDir);
        if (p.indexesKeys()) {
          p.keyIndex.expire(p.windowStart());
        }
        p.saveCounters();
      } finally {
        p.lock.unlock();
      }
    }
    if (!deleted.isEmpty()) {
      queries.renumberUsers(); // the users of the deleted chunks leave the identity dictionary
    }
    CleanupReport report =
        new CleanupReport(List.copyOf(deleted), Collections.unmodifiableMap(kept));
    lastCleanup = report;
    return report;
  }

  private volatile CleanupReport lastCleanup;

  /**
   * What the latest {@link #cleanup()} deleted and why it kept each remaining chunk; null before
   * the first one.
   */
  public CleanupReport lastCleanup() {
    return lastCleanup;
  }

  private static void putAll(Map<String, String> kept, List<String> ids, String why) {
    for (String id : ids) {
      kept.put(id, why);
    }
  }

  private void cleanupQuietly() {
    try {
      cleanup();
    } catch (IOException | RuntimeException e) {
      problem("scheduled cleanup failed: " + e);
    }
  }

  /**
   * Registers a reader that needs every partition from sequence 0 until it {@link
   * ReaderHandle#advance}s.
   */
  public ReaderHandle registerReader(String name) {
    return registerReader(name, Map.of());
  }

  /**
   * Registers (or replaces) a reader with its starting positions per partition (missing partitions:
   * 0).
   */
  public ReaderHandle registerReader(String name, Map<Integer, Long> positions) {
    ReaderHandle h = new ReaderHandle(name, r -> readers.remove(r.name(), r));
    positions.forEach(h::advance);
    readers.put(name, h);
    return h;
  }

  /**
   * Sealed chunks of all partitions, by partition then lowest sequence. A merged chunk file shows
   * as the chunks it was merged from (same ids, batches and sequence ranges; size in proportion to
   * rows), so the batch layer's checkpoints stay valid.
   */
  public List<ChunkInfo> chunks() {
    List<ChunkInfo> out = new ArrayList<>();
    for (Partition p : partitions) {
      List<ChunkInfo> part = new ArrayList<>();
      for (ChunkFile.Meta m : p.snapshot().chunks()) {
        for (ChunkFile.Member c : m.logical()) {
          long size = m.rows() == 0 ? 0 : m.sizeBytes() * c.rows() / m.rows();
          part.add(
              new ChunkInfo(
                  c.id(),
                  p.id,
                  c.batch(),
                  c.rows(),
                  c.minTime(),
                  c.maxTime(),
                  c.minSeq(),
                  c.maxSeq(),
                  m.merged() ? size : m.sizeBytes()));
        }
      }
      part.sort(java.util.Comparator.comparingLong(ChunkInfo::minSequence));
      out.addAll(part);
    }
    return out;
  }

  /** Every event of a chunk (as listed by {@link #chunks()}), in sequence order. */
  public Iterator<Event> readChunk(String chunkId) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        return readChunkOnce(chunkId);
      } catch (java.nio.file.NoSuchFileException e) {
        // merged meanwhile: the rows are now in the merged file
        if (attempt >= 5) {
          throw e;
        }
      }
    }
  }

  private Iterator<Event> readChunkOnce(String chunkId) throws IOException {
    for (Partition p : partitions) {
      for (ChunkFile.Meta m : p.snapshot().chunks()) {
        List<ChunkFile.Member> logical = m.logical();
        for (int k = 0; k < logical.size(); k++) {
          if (!logical.get(k).id().equals(chunkId)) {
            continue;
          }
          try (ChunkFile.Reader r = new ChunkFile.Reader(p.fs, p.chunkPath(m.id()))) {
            List<Event> all = r.events();
            if (!m.merged()) {
              return all.iterator();
            }
            int[] mo = r.memberOfRows();
            List<Event> mine = new ArrayList<>();
            for (int i = 0; i < mo.length; i++) {
              if (mo[i] == k) {
                mine.add(all.get(i));
              }
            }
            return mine.iterator();
          }
        }
      }
    }
    throw new IllegalArgumentException("no chunk " + chunkId);
  }

  /**
   * Merges small sealed chunks into bigger ones now (it also runs in the background after chunks
   * are made); returns how many merged chunks were made.
   */
  public int mergeChunksNow() throws IOException {
    int made = 0;
    for (Partition p : partitions) {
      made += Chunker.mergeChunks(p, true);
    }
    return made;
  }

  private void mergeQuietly(Partition p) {
    try {
      Chunker.mergeChunks(p, false);
    } catch (IOException | RuntimeException e) {
      problem("p" + p.id + ": merging chunks failed, the small chunks stay: " + e);
    }
  }

  public SegmentationResult segmentation(SegmentationQuery q) {
    return queries.segmentation(q);
  }

  /** Like {@link #segmentation(SegmentationQuery)} over only the named partitions. */
  public SegmentationResult segmentation(SegmentationQuery q, java.util.Collection<Integer> only) {
    return queries.only(only).segmentation(q);
  }

  /** Like {@link #funnel(FunnelQuery)} over only the named partitions. */
  public FunnelResult funnel(FunnelQuery q, java.util.Collection<Integer> only) {
    return queries.only(only).funnel(q);
  }

  /** Like {@link #audience(AudienceQuery)} over only the named partitions. */
  public Set<String> audience(AudienceQuery q, java.util.Collection<Integer> only) {
    return queries.only(only).audience(q);
  }

  /** Like {@link #retention(RetentionQuery)} over only the named partitions. */
  public RetentionResult retention(RetentionQuery q, java.util.Collection<Integer> only) {
    return queries.only(only).retention(q);
  }

  public FunnelResult funnel(FunnelQuery q) {
    return queries.funnel(q);
  }

  public Set<String> audience(AudienceQuery q) {
    return queries.audience(q);
  }

  public RetentionResult retention(RetentionQuery q) {
    return queries.retention(q);
  }

  /**
   * Removes every event of this user id from this source, everywhere (cached blocks, write-ahead
   * files, chunks), durably; returns how many were removed. A crash midway is completed on the next
   * open. Events of the user's devices without a user id stay: see {@link #deleteUser(Collection,
   * String, Collection)}.
   */
  public long deleteUser(String sourceId, String userId) throws IOException {
    return deleteUser(List.of(sourceId), userId, Set.of());
  }

  /**
   * The device ids seen on this user's own events of these sources (a source and its {@code
   * <source>:quarantine} copy, say), everywhere the store holds them. Read this before {@link
   * #deleteUser(Collection, String, Collection)}: afterwards the events that link them are gone.
   */
  public Set<String> deviceIdsOf(Collection<String> sourceIds, String userId) throws IOException {
    ensureOpen();
    if (sourceIds == null || sourceIds.isEmpty() || userId == null) {
      throw new IllegalArgumentException("deviceIdsOf needs source ids and a user id");
    }
    return UserDeletion.devicesOf(
        partitions.get(Keys.partitionOf(userId, partitions.size())), Set.copyOf(sourceIds), userId);
  }

  /**
   * Removes, from every partition that can hold them, the events of these sources whose {@code
   * user_id} is {@code userId}, and those without a user id whose {@code device_id} is one of
   * {@code deviceIds} (a device's anonymous events before sign-in); events of another user on the
   * same device stay. Durable: an intent file per partition is written before anything changes, so
   * a crash midway is completed on the next open. Returns how many events were removed; idempotent.
   * Sequences are not reused and delivery readers see the events gone.
   */
  public long deleteUser(Collection<String> sourceIds, String userId, Collection<String> deviceIds)
      throws IOException {
    ensureOpen();
    if (sourceIds == null || sourceIds.isEmpty() || userId == null || deviceIds == null) {
      throw new IllegalArgumentException("deleteUser needs source ids, a user id and device ids");
    }
    UserDeletion.Match m =
        new UserDeletion.Match(Set.copyOf(sourceIds), userId, Set.copyOf(deviceIds));
    java.util.SortedSet<Integer> touched = new java.util.TreeSet<>();
    touched.add(Keys.partitionOf(userId, partitions.size()));
    for (String d : m.devices()) {
      touched.add(Keys.partitionOf(d, partitions.size()));
    }
    for (int pid : touched) { // every intent first: a crash midway still finishes each partition
      Partition p = partitions.get(pid);
      p.lock.lock();
      try {
        UserDeletion.writeIntent(p, m);
      } finally {
        p.lock.unlock();
      }
    }
    long removed = 0;
    for (int pid : touched) {
      removed += UserDeletion.delete(partitions.get(pid), m);
    }
    if (removed > 0) {
      queries.renumberUsers(); // the deleted user leaves the identity dictionary
    }
    return removed;
  }

  /** The query engine, for tests of its memory. */
  QueryEngine queryEngine() {
    return queries;
  }

  public StoreStats stats() {
    int blocks = 0;
    int evicted = 0;
    int chunks = 0;
    long stored = 0;
    long dups = 0;
    long keys = 0;
    long keyBytes = 0;
    long indexKeys = 0;
    long indexBytes = 0;
    long cachedBytes = 0;
    for (Partition p : partitions) {
      p.lock.lock();
      try {
        for (Block b : p.live.values()) {
          blocks++;
          keys += b.keys.size();
          keyBytes += b.keys.memoryBytes();
        }
        evicted += p.evicted.size();
        indexKeys += p.keyIndex.keyCount();
        indexBytes += p.keyIndex.heapBytes();
        cachedBytes += p.liveBytes;
        chunks += p.chunks.size();
        stored += p.stored.get();
        dups += p.duplicates.get();
      } finally {
        p.lock.unlock();
      }
    }
    return new StoreStats(
        partitions.size(),
        blocks,
        evicted,
        chunks,
        stored,
        dups,
        keys,
        keyBytes,
        batch,
        indexKeys,
        indexBytes,
        cachedBytes,
        options.memoryCapacity(),
        dataClock.get(),
        options.dedupWindow().toMillis());
  }

  Partition partition(int id) {
    if (id < 0 || id >= partitions.size()) {
      throw new IllegalArgumentException(
          "partition " + id + " out of range 0.." + (partitions.size() - 1));
    }
    return partitions.get(id);
  }

  long fsyncCount() {
    return durability.fsyncCount();
  }

  private void ensureOpen() throws StoreWriteException {
    if (closed) {
      throw new StoreWriteException("store " + options.dir() + " is closed");
    }
  }

  /** fsyncs and closes every file; idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    // a merge under way finishes first (it writes, renames and deletes files under a partition
    // lock):
    // the store must not change after close
    keyMerger.shutdown();
    merger.shutdown();
    try {
      if (!keyMerger.awaitTermination(2, TimeUnit.MINUTES)) {
        problem("a key-index merge did not finish within 2 minutes of close");
      }
      if (!merger.awaitTermination(5, TimeUnit.MINUTES)) {
        problem("a chunk merge did not finish within 5 minutes of close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Partition p : partitions) {
      p.lock.lock();
    }
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (cleaner != null) {
        cleaner.shutdownNow();
      }

      queryPool.shutdown();
      durability.close();
      for (Partition p : partitions) {
        for (Block b : p.live.values()) {
          b.wal.close();
        }
        try {
          p.saveCounters();
        } catch (IOException e) {
          problem("p" + p.id + ": saving the duplicate count failed: " + e);
        }
      }
    } finally {
      for (Partition p : partitions) {
        p.lock.unlock();
      }
      dirLock.release();
      lockChannel.close();
    }
  }
}
