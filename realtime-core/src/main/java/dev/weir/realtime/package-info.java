/**
 * The real-time dedup store. The entry point is {@link dev.weir.realtime.RealtimeStore}, configured
 * with {@link dev.weir.realtime.StoreOptions}; the other public types are the values it takes and
 * returns. Everything else (partitions, blocks, write-ahead files, chunks, the query engine) is
 * package-private. See {@code docs/store.md}.
 */
package dev.weir.realtime;
