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
  private final java.util.function.Predicate<String> sources;
  private long rowCount = -1;

  /** Only the rows whose source id {@code sources} accepts (the sources routed there). */
  ChunkBatch(RealtimeStore store, ChunkInfo info, java.util.function.Predicate<String> sources) {
    this.store = store;
    this.info = info;
    this.sources = sources;
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
    if (rowCount < 0) {
      long n = 0;
      for (Iterator<Event> it = rows(); it.hasNext(); it.next()) {
        n++;
      }
      rowCount = n;
    }
    return rowCount;
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
      Iterator<Event> all = store.readChunk(info.id());
      return java.util.Spliterators.iterator(
          java.util.stream.StreamSupport.stream(
                  java.util.Spliterators.spliteratorUnknownSize(all, 0), false)
              .filter(e -> sources.test(e.sourceId()))
              .spliterator());
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
