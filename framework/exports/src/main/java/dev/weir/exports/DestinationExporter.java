package dev.weir.exports;

import dev.weir.realtime.ChunkInfo;
import dev.weir.realtime.ReaderHandle;
import dev.weir.realtime.RealtimeStore;
import dev.weir.sdk.BatchDestination;
import dev.weir.sdk.ExportResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports one destination's pending chunks in order, with a durable checkpoint and exponential
 * backoff, and pins unexported chunks in the store with a registered reader so cleanup cannot
 * delete them. All exports of one destination (scheduled and backfills) run under this object's
 * lock, so the destination is never called concurrently.
 */
final class DestinationExporter {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationExporter.class);

  final String name;
  final BatchDestination destination;
  final Checkpoint checkpoint;
  private final RealtimeStore store;
  private final ReaderHandle pin;
  private final ExportListener listener;
  private final Clock clock;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private int attempts;
  private long nextAttemptAt;
  private volatile String lastError;
  private boolean retired;

  /** Which rows' source ids this destination is routed. */
  private final java.util.function.Predicate<String> sources;

  DestinationExporter(
      String name,
      BatchDestination destination,
      java.util.function.Predicate<String> sources,
      Checkpoint checkpoint,
      RealtimeStore store,
      ExportListener listener,
      Clock clock,
      Duration initialBackoff,
      Duration maxBackoff) {
    this.name = name;
    this.destination = destination;
    this.sources = sources;
    this.checkpoint = checkpoint;
    this.store = store;
    this.listener = listener;
    this.clock = clock;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.pin = store.registerReader("export:" + name);
    updatePin(store.chunks());
  }

  /** Chunks in export order: older batches first, then partition, then sequence. */
  static List<ChunkInfo> ordered(List<ChunkInfo> chunks) {
    return chunks.stream()
        .sorted(
            java.util.Comparator.comparingLong(ChunkInfo::batch)
                .thenComparingInt(ChunkInfo::partition)
                .thenComparingLong(ChunkInfo::minSequence))
        .toList();
  }

  /**
   * Exports pending chunks in order until all are done, one fails (then backs off), or the backoff
   * of an earlier failure has not yet passed. Returns how many chunks were exported.
   */
  synchronized int exportPending() {
    if (retired || clock.millis() < nextAttemptAt) {
      return 0;
    }
    int done = 0;
    for (ChunkInfo c : ordered(store.chunks())) {
      if (checkpoint.isExported(c.id())) {
        continue;
      }
      try {
        exportChunk(c);
        attempts = 0;
        nextAttemptAt = 0;
        lastError = null;
        done++;
      } catch (Exception
          | LinkageError
          | AssertionError e) { // a misbehaving plugin must not stop exports
        attempts++;
        Duration wait = backoff(attempts);
        nextAttemptAt = clock.millis() + wait.toMillis();
        lastError = "chunk " + c.id() + ": " + e;
        LOG.warn(
            "export of chunk {} to {} failed (attempt {}), retrying in {} ms: {}",
            c.id(),
            name,
            attempts,
            wait.toMillis(),
            e.toString());
        listener.failed(name, c.id(), attempts, e, wait);
        break;
      }
    }
    return done;
  }

  /**
   * Exports one chunk (again), checkpoints it, reports refused rows; throws when the destination
   * did not commit.
   */
  synchronized ExportResult exportChunk(ChunkInfo c) throws Exception {
    if (retired) {
      throw new IllegalStateException("batch destination " + name + " was removed or replaced");
    }
    ChunkBatch batch = new ChunkBatch(store, c, sources);
    ExportResult r = destination.export(batch);
    if (r == null) {
      throw new IllegalStateException(
          "destination " + name + " returned no result for chunk " + c.id());
    }
    for (ExportResult.RejectedRow row : r.rejected()) {
      listener.rejected(name, c.id(), row.index(), batch.row(row.index()), row.reason());
    }
    List<ChunkInfo> all = store.chunks();
    checkpoint.markExported(c.id(), all.stream().map(ChunkInfo::id).collect(Collectors.toSet()));
    updatePin(all);
    listener.exported(name, c.id(), r);
    return r;
  }

  Duration backoff(int attempt) {
    long ms = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(Math.max(ms, 1), maxBackoff.toMillis()));
  }

  /**
   * Pins, per partition, the first sequence of the first unexported chunk (or one past the last
   * exported chunk): chunks are made in sequence order, so any later chunk has higher sequences and
   * stays pinned too.
   */
  private void updatePin(List<ChunkInfo> chunks) {
    Map<Integer, List<ChunkInfo>> byPartition = new TreeMap<>();
    for (ChunkInfo c : chunks) {
      byPartition.computeIfAbsent(c.partition(), k -> new java.util.ArrayList<>()).add(c);
    }
    Set<String> exported = checkpoint.exported();
    byPartition.forEach(
        (p, list) -> {
          list.sort(java.util.Comparator.comparingLong(ChunkInfo::minSequence));
          long pos = list.get(list.size() - 1).maxSequence() + 1;
          for (ChunkInfo c : list) {
            if (!exported.contains(c.id())) {
              pos = c.minSequence();
              break;
            }
          }
          pin.advance(p, pos);
        });
  }

  String lastError() {
    return lastError;
  }

  /** Waits for a running export to finish; the destination is not called again. */
  synchronized void retire() {
    retired = true;
  }

  /** Undoes {@link #retire} (its replacement could not be made). */
  synchronized void reinstate() {
    retired = false;
  }

  void close() {
    pin.close();
  }
}
