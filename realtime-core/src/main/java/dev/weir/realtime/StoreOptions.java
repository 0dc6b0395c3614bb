package dev.weir.realtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/** Immutable settings of a {@link RealtimeStore}; build with {@link #builder(Path)}. */
public final class StoreOptions {
  /** When {@code append} makes a batch durable. */
  public enum FsyncPolicy {
    /** fsync before {@code append} returns; concurrent appenders share one fsync (group commit). */
    ALWAYS,
    /** fsync every {@link #fsyncInterval()}; a crash can lose the last interval. */
    INTERVAL,
    /** never fsync (tests, benchmarks of the in-memory path). */
    NONE
  }

  /** Compression of chunk columns. */
  public enum Compression {
    ZSTD,
    LZ4,
    NONE
  }

  private final Path dir;
  private final int partitions;
  private final Duration blockInterval;
  private final int cachedBlocksPerPartition;
  private final FsyncPolicy fsyncPolicy;
  private final Duration fsyncInterval;
  private final int blocksPerChunk;
  private final int batchLag;
  private final Duration cleanupInterval;
  private final StoreFileSystem fileSystem;
  private final Compression compression;
  private final Consumer<String> recoveryListener;
  private final long memoryCapacity;
  private final Duration dedupWindow;
  private final long queryCacheBytes;
  private final long queryMemoryBytes;
  private final int mergedChunkRows;
  private final boolean independentPartitions;

  private StoreOptions(Builder b) {
    this.dir = Objects.requireNonNull(b.dir, "dir");
    this.partitions = positive("partitions", b.partitions);
    this.blockInterval = Objects.requireNonNull(b.blockInterval, "block_interval");
    if (blockInterval.toMillis() <= 0) {
      throw new IllegalArgumentException("block_interval must be at least 1 ms");
    }
    this.cachedBlocksPerPartition =
        positive("cached_blocks_per_partition", b.cachedBlocksPerPartition);
    this.fsyncPolicy = Objects.requireNonNull(b.fsyncPolicy, "fsync_policy");
    this.fsyncInterval = Objects.requireNonNull(b.fsyncInterval, "fsync_interval");
    this.blocksPerChunk = positive("blocks_per_chunk", b.blocksPerChunk);
    if (b.batchLag < 0) {
      throw new IllegalArgumentException("batch_lag must be >= 0, got " + b.batchLag);
    }
    this.batchLag = b.batchLag;
    this.cleanupInterval = Objects.requireNonNull(b.cleanupInterval, "cleanup_interval");
    this.fileSystem = Objects.requireNonNull(b.fileSystem, "file_system");
    this.compression = Objects.requireNonNull(b.compression, "compression");
    this.recoveryListener = b.recoveryListener == null ? s -> {} : b.recoveryListener;
    if (b.memoryCapacity < 0) {
      throw new IllegalArgumentException(
          "memory_capacity must be >= 0 bytes (0: unbounded), got " + b.memoryCapacity);
    }
    this.memoryCapacity = b.memoryCapacity;
    this.dedupWindow = Objects.requireNonNull(b.dedupWindow, "dedup_window");
    if (dedupWindow.isNegative()) {
      throw new IllegalArgumentException("dedup_window must not be negative, got " + dedupWindow);
    }
    if (b.queryCacheBytes < 0) {
      throw new IllegalArgumentException(
          "query_cache_bytes must be >= 0, got " + b.queryCacheBytes);
    }
    this.queryCacheBytes = b.queryCacheBytes;
    if (b.queryMemoryBytes <= 0) {
      throw new IllegalArgumentException(
          "query_memory_bytes must be positive, got " + b.queryMemoryBytes);
    }
    this.queryMemoryBytes = b.queryMemoryBytes;
    if (b.mergedChunkRows < 0) {
      throw new IllegalArgumentException(
          "merged_chunk_rows must be >= 0 (0: no merging), got " + b.mergedChunkRows);
    }
    this.mergedChunkRows = b.mergedChunkRows;
    this.independentPartitions = b.independentPartitions;
  }

  /**
   * Whether each partition evolves from its own writes alone: a quiet partition does not follow the
   * store-wide data clock and the memory bound does not seal blocks across partitions. Cluster mode
   * turns it on, so a partition rebuilt on another node from its log reaches the same state; its
   * owner writes clock steps explicitly ({@link RealtimeStore#followClock}).
   */
  public boolean independentPartitions() {
    return independentPartitions;
  }

  /** The bound of the decoded-column cache queries share (bytes; 0 keeps nothing decoded). */
  public long queryCacheBytes() {
    return queryCacheBytes;
  }

  /**
   * The most one funnel, retention or segmentation may hold in its own rows and accumulators
   * (bytes), besides the shared column cache; past it the query fails with {@link
   * QueryTooLargeException}.
   */
  public long queryMemoryBytes() {
    return queryMemoryBytes;
  }

  /**
   * Sealed chunks of one partition and batch are merged in the background into chunks of up to this
   * many rows; 0 turns merging off.
   */
  public int mergedChunkRows() {
    return mergedChunkRows;
  }

  private static int positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
    return v;
  }

  /**
   * A builder with the defaults: 4 partitions, 5-minute blocks, 3 cached blocks, fsync ALWAYS, 4
   * blocks per chunk, lag 2, 256 MiB of cached blocks, a 24-hour dedup window.
   */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  public Builder toBuilder() {
    Builder b = new Builder(dir);
    b.partitions = partitions;
    b.blockInterval = blockInterval;
    b.cachedBlocksPerPartition = cachedBlocksPerPartition;
    b.fsyncPolicy = fsyncPolicy;
    b.fsyncInterval = fsyncInterval;
    b.blocksPerChunk = blocksPerChunk;
    b.batchLag = batchLag;
    b.cleanupInterval = cleanupInterval;
    b.fileSystem = fileSystem;
    b.compression = compression;
    b.recoveryListener = recoveryListener;
    b.memoryCapacity = memoryCapacity;
    b.dedupWindow = dedupWindow;
    b.queryCacheBytes = queryCacheBytes;
    b.queryMemoryBytes = queryMemoryBytes;
    b.mergedChunkRows = mergedChunkRows;
    b.independentPartitions = independentPartitions;
    return b;
  }

  public Path dir() {
    return dir;
  }

  public int partitions() {
    return partitions;
  }

  public Duration blockInterval() {
    return blockInterval;
  }

  public int cachedBlocksPerPartition() {
    return cachedBlocksPerPartition;
  }

  public FsyncPolicy fsyncPolicy() {
    return fsyncPolicy;
  }

  public Duration fsyncInterval() {
    return fsyncInterval;
  }

  public int blocksPerChunk() {
    return blocksPerChunk;
  }

  public int batchLag() {
    return batchLag;
  }

  /**
   * How often the background cleanup runs; zero disables it (call {@link RealtimeStore#cleanup()}
   * yourself).
   */
  public Duration cleanupInterval() {
    return cleanupInterval;
  }

  public StoreFileSystem fileSystem() {
    return fileSystem;
  }

  public Compression compression() {
    return compression;
  }

  /**
   * Receives one line per problem recovery repaired (also in {@link
   * RealtimeStore#recoveryReport()}).
   */
  public Consumer<String> recoveryListener() {
    return recoveryListener;
  }

  /**
   * The estimated heap the cached blocks of all partitions may hold, in bytes; past it the oldest
   * cached blocks are sealed early (their keys stay in the key index). 0: bounded by time only.
   */
  public long memoryCapacity() {
    return memoryCapacity;
  }

  /**
   * How far back, in upload (data) time, an insert id is recognised as a duplicate: the cached
   * blocks, then the per-chunk key index. Zero: the cached blocks only.
   */
  public Duration dedupWindow() {
    return dedupWindow;
  }

  /** Builds {@link StoreOptions}; not thread-safe. */
  public static final class Builder {
    private Path dir;
    private int partitions = 4;
    private Duration blockInterval = Duration.ofMinutes(5);
    private int cachedBlocksPerPartition = 3;
    private FsyncPolicy fsyncPolicy = FsyncPolicy.ALWAYS;
    private Duration fsyncInterval = Duration.ofMillis(100);
    private int blocksPerChunk = 4;
    private int batchLag = 2;
    private Duration cleanupInterval = Duration.ofHours(1);
    private StoreFileSystem fileSystem = StoreFileSystem.DEFAULT;
    private Compression compression = Compression.ZSTD;
    private Consumer<String> recoveryListener;
    private long memoryCapacity = 256L << 20;
    private Duration dedupWindow = Duration.ofHours(24);
    private long queryCacheBytes = 256L << 20;
    private long queryMemoryBytes = 512L << 20;
    private int mergedChunkRows = 500_000;
    private boolean independentPartitions;

    private Builder(Path dir) {
      this.dir = dir;
    }

    public Builder dir(Path value) {
      this.dir = value;
      return this;
    }

    public Builder partitions(int value) {
      this.partitions = value;
      return this;
    }

    public Builder blockInterval(Duration value) {
      this.blockInterval = value;
      return this;
    }

    public Builder cachedBlocksPerPartition(int value) {
      this.cachedBlocksPerPartition = value;
      return this;
    }

    public Builder fsyncPolicy(FsyncPolicy value) {
      this.fsyncPolicy = value;
      return this;
    }

    /** The fsync period for {@link FsyncPolicy#INTERVAL}. */
    public Builder fsyncInterval(Duration value) {
      this.fsyncInterval = value;
      return this;
    }

    public Builder blocksPerChunk(int value) {
      this.blocksPerChunk = value;
      return this;
    }

    public Builder batchLag(int value) {
      this.batchLag = value;
      return this;
    }

    public Builder cleanupInterval(Duration value) {
      this.cleanupInterval = value;
      return this;
    }

    public Builder fileSystem(StoreFileSystem value) {
      this.fileSystem = value;
      return this;
    }

    public Builder compression(Compression value) {
      this.compression = value;
      return this;
    }

    public Builder recoveryListener(Consumer<String> value) {
      this.recoveryListener = value;
      return this;
    }

    /** Bytes of estimated heap for cached blocks (default 256 MiB); 0: unbounded. */
    public Builder memoryCapacity(long bytes) {
      this.memoryCapacity = bytes;
      return this;
    }

    /** The dedup window in data time (default 24 hours). */
    public Builder dedupWindow(Duration value) {
      this.dedupWindow = value;
      return this;
    }

    /** Default 256 MiB. */
    public Builder queryCacheBytes(long value) {
      this.queryCacheBytes = value;
      return this;
    }

    /** Default 512 MiB. */
    public Builder queryMemoryBytes(long value) {
      this.queryMemoryBytes = value;
      return this;
    }

    /** Default 500,000; 0 turns background merging off. */
    public Builder mergedChunkRows(int value) {
      this.mergedChunkRows = value;
      return this;
    }

    /** Default false; see {@link StoreOptions#independentPartitions()}. */
    public Builder independentPartitions(boolean value) {
      this.independentPartitions = value;
      return this;
    }

    public StoreOptions build() {
      return new StoreOptions(this);
    }
  }
}
