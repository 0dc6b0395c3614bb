package dev.weir.exports;

import dev.weir.realtime.ChunkInfo;
import dev.weir.realtime.RealtimeStore;
import dev.weir.sdk.Event;
import dev.weir.sdk.ExportBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * A sealed chunk of the store as an {@link ExportBatch}: each {@link #rows()} reads the chunk file
 * afresh.
 */
final class ChunkBatch implements ExportBatch {
  private final RealtimeStore store;
  private final ChunkInfo info;

  ChunkBatch(RealtimeStore store, ChunkInfo info) {
    this.store = store;
    this.info = info;
  }

  @Override
  public String id() {
    return info.id();
  }

  @Override
  public int partition() {
    return info.partition();
  }

  @Override
  public long rowCount() {
    return info.rows();
  }

  @Override
  public long minTime() {
    return info.minTime();
  }

  @Override
  public long maxTime() {
    return info.maxTime();
  }

  @Override
  public Iterator<Event> rows() {
    try {
      return store.readChunk(info.id());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "reading chunk " + info.id() + " failed: " + e.getMessage(), e);
    }
  }

  /** The event at {@code index}, for dead-lettering a refused row; null when out of range. */
  Event row(long index) {
    Iterator<Event> it = rows();
    for (long i = 0; it.hasNext(); i++) {
      Event e = it.next();
      if (i == index) {
        return e;
      }
    }
    return null;
  }
}
