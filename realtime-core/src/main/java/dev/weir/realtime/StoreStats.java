package dev.weir.realtime;

/**
 * A point-in-time view of the store. {@code dedupKeyBytes} is the heap held by the dedup key sets
 * of cached blocks (their primitive arrays), so {@code dedupKeyBytes / dedupKeys} is the memory per
 * key held. {@code stored} and {@code duplicates} count appends since this store was opened.
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
    long currentBatch) {}
