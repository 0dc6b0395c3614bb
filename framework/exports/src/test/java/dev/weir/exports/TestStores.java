package dev.weir.exports;

import dev.weir.realtime.ChunkInfo;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Real stores for tests: small one-minute blocks so that events spread over minutes become sealed
 * chunks.
 */
final class TestStores {
  static final long T0 = 1_700_000_000_000L - (1_700_000_000_000L % 60_000L);
  static final long MIN = 60_000L;

  private TestStores() {}

  static RealtimeStore open(Path dir) throws Exception {
    return RealtimeStore.open(
        StoreOptions.builder(dir)
            .partitions(2)
            .blockInterval(Duration.ofMinutes(1))
            .cachedBlocksPerPartition(1)
            .blocksPerChunk(1)
            .batchLag(0)
            .fsyncPolicy(StoreOptions.FsyncPolicy.NONE)
            .cleanupInterval(Duration.ZERO)
            .build());
  }

  /**
   * {@code n} events from {@code first}, spread over {@code minutes} minutes starting at T0 +
   * offset.
   */
  static List<Event> events(
      int first, int n, long startMinute, int minutes, String type, Map<String, ?> props) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t = T0 + startMinute * MIN + (long) i * minutes * MIN / n;
      out.add(
          Event.builder()
              .eventType(type)
              .userId("user" + ((first + i) % 13))
              .insertId("id" + (first + i))
              .sourceId("web")
              .time(t)
              .uploadTime(t)
              .eventProperties(props)
              .build());
    }
    return out;
  }

  static void append(RealtimeStore store, List<Event> events) throws Exception {
    for (int i = 0; i < events.size(); i += 20) {
      store.append(events.subList(i, Math.min(events.size(), i + 20)));
    }
  }

  static long chunkedRows(RealtimeStore store) {
    return store.chunks().stream().mapToLong(ChunkInfo::rows).sum();
  }

  static List<Event> chunkedEvents(RealtimeStore store) throws Exception {
    List<Event> out = new ArrayList<>();
    for (ChunkInfo c : store.chunks()) {
      for (Iterator<Event> it = store.readChunk(c.id()); it.hasNext(); ) {
        out.add(it.next());
      }
    }
    return out;
  }
}
