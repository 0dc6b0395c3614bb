package dev.weir.host.config;

import dev.weir.realtime.StoreOptions;
import dev.weir.realtime.StoreOptions.Compression;
import dev.weir.realtime.StoreOptions.FsyncPolicy;
import dev.weir.runtime.Suggestions;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns the workspace's {@code store:} section into realtime-core {@link StoreOptions}. Stateless.
 */
public final class StoreSettings {
  /** The keys {@code store.options} accepts. */
  static final Set<String> OPTIONS =
      Set.of(
          "fsync_policy",
          "fsync_interval_ms",
          "block_interval_ms",
          "cached_blocks_per_partition",
          "blocks_per_chunk",
          "batch_lag",
          "cleanup_interval_ms",
          "compression",
          "batch_period_ms",
          "dedup_window_ms",
          "query_cache_bytes",
          "query_memory_bytes",
          "merged_chunk_rows");

  private StoreSettings() {}

  /**
   * The store options for {@code store}; recovery problems go to {@code recovery}.
   *
   * @throws IllegalArgumentException naming the key when an option is unknown or has a bad value
   */
  public static StoreOptions options(Workspace.StoreConfig store, Consumer<String> recovery) {
    StoreOptions.Builder b =
        StoreOptions.builder(store.dir())
            .partitions(store.partitions())
            .memoryCapacity(store.memoryCapacity())
            .recoveryListener(recovery);
    for (Map.Entry<String, Object> e : store.options().entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      switch (k) {
        case "fsync_policy" -> b.fsyncPolicy(enumOf(FsyncPolicy.class, k, v));
        case "compression" -> b.compression(enumOf(Compression.class, k, v));
        case "fsync_interval_ms" -> b.fsyncInterval(Duration.ofMillis(number(k, v, 1)));
        case "block_interval_ms" -> b.blockInterval(Duration.ofMillis(number(k, v, 1)));
        case "cleanup_interval_ms" -> b.cleanupInterval(Duration.ofMillis(number(k, v, 0)));
        case "cached_blocks_per_partition" -> b.cachedBlocksPerPartition((int) number(k, v, 1));
        case "blocks_per_chunk" -> b.blocksPerChunk((int) number(k, v, 1));
        case "batch_lag" -> b.batchLag((int) number(k, v, 0));
        case "dedup_window_ms" -> b.dedupWindow(Duration.ofMillis(number(k, v, 0)));
        case "batch_period_ms" -> number(k, v, 0); // read by the export scheduler
        case "query_cache_bytes" -> b.queryCacheBytes(number(k, v, 0));
        case "query_memory_bytes" -> b.queryMemoryBytes(number(k, v, 1 << 20));
        case "merged_chunk_rows" -> b.mergedChunkRows((int) Math.min(number(k, v, 0), 10_000_000));
        default ->
            throw new IllegalArgumentException(
                "options."
                    + k
                    + ": unknown key"
                    + Suggestions.hint(k, OPTIONS)
                    + " (expected one of "
                    + new java.util.TreeSet<>(OPTIONS)
                    + ")");
      }
    }
    return b.build();
  }

  private static long number(String key, Object v, long min) {
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new IllegalArgumentException("options." + key + ": must be a whole number, not " + v);
    }
    if (n.longValue() < min) {
      throw new IllegalArgumentException(
          "options." + key + ": must be at least " + min + ", not " + v);
    }
    return n.longValue();
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String key, Object v) {
    try {
      return Enum.valueOf(type, String.valueOf(v).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new IllegalArgumentException(
          "options." + key + ": must be one of " + allowed + ", not '" + v + "'");
    }
  }
}
