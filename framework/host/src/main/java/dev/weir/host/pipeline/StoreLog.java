package dev.weir.host.pipeline;

import dev.weir.delivery.DeliveryLog;
import dev.weir.delivery.LogEntry;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The real-time store seen as the delivery engine's log. Thread-safe (the store is). */
public final class StoreLog implements DeliveryLog {
  private final RealtimeStore store;

  public StoreLog(RealtimeStore store) {
    this.store = store;
  }

  @Override
  public int partitionCount() {
    return store.partitionCount();
  }

  @Override
  public long nextSequence(int partition) {
    return store.nextSequence(partition);
  }

  @Override
  public List<LogEntry> read(int partition, long fromSequence, int max) {
    try {
      List<StoredEvent> stored = store.read(partition, fromSequence, max);
      List<LogEntry> out = new ArrayList<>(stored.size());
      for (StoredEvent s : stored) {
        out.add(new LogEntry(s.partition(), s.sequence(), s.event()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("reading partition " + partition + " from " + fromSequence, e);
    }
  }
}
