package dev.weir.realtime;

/**
 * A point-in-time view of the store. {@code dedupKeyBytes} is the heap held by the dedup key sets
 * of cached blocks (their primitive arrays), so {@code dedupKeyBytes / dedupKeys} is the memory per
 * key held; {@code indexedKeys} and {@code keyIndexBytes} are the same for the key index of sealed
 * blocks (the rest of the dedup window). {@code cachedBytes} is the estimated heap of the cached
 * blocks, bounded by {@code memoryCapacity} (0: unbounded). {@code dataClock} is the highest upload
 * time stored (epoch ms; {@link Long#MIN_VALUE} when empty). {@code stored} counts every event the
 * store ever stored (its sequences, so restarts keep it); {@code duplicates} is saved at close and
 * at each cleanup, so after a crash it misses at most the duplicates since the last save.
 */
public record StoreStats(
    int partitions,
    int blocksInMemory,
    int evictedBlocks,
    int chunks,
    long stored,
    long duplicates,
    long dedupKeys,
    long dedupKeyBytes,
    long currentBatch,
    long indexedKeys,
    long keyIndexBytes,
    long cachedBytes,
    long memoryCapacity,
    long dataClock,
    long dedupWindowMs) {}
