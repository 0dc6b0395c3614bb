package dev.weir.exports;

import dev.weir.sdk.Event;
import dev.weir.sdk.ExportResult;
import java.time.Duration;

/**
 * Hears what the {@link ExportScheduler} does: chunks exported, failed attempts, and rows a
 * destination refused (the host writes those to its dead-letter store). Called from export threads;
 * implementations must be thread-safe and quick, and must not throw.
 */
public interface ExportListener {
  /** A chunk was durably committed by the destination and checkpointed. */
  default void exported(String destination, String chunkId, ExportResult result) {}

  /** An export attempt failed; the same chunk is tried again after {@code retryIn}. */
  default void failed(
      String destination, String chunkId, int attempt, Throwable error, Duration retryIn) {}

  /**
   * The destination refused one row of a committed chunk (the rest loaded): dead-letter it with
   * {@code reason}.
   */
  default void rejected(
      String destination, String chunkId, long index, Event event, String reason) {}

  /** The store's batch was handed off: {@code batch} is complete in every batch destination. */
  default void batchAdvanced(long batch) {}

  ExportListener NONE = new ExportListener() {};
}
