package dev.weir.bench.store;

import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.realtime.StoreStats;
import dev.weir.sdk.Event;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Heap per cached event against its encoded size: a real store (one partition, every block cached,
 * fsync off) is filled with {@code n} events like {@code weir bench ingest}'s, and the heap after
 * GC is compared before and after. The dedup key sets are reported apart (the issue keeps them as
 * they are). Same-run baseline: the same events held as {@code Event} objects in a list, which is
 * what blocks held before. Run: {@code java -Xmx4g -cp benchmarks/target/benchmarks.jar
 * dev.weir.bench.store.CachedEventMemoryHarness 500000}.
 */
public final class CachedEventMemoryHarness {
  private static final long T0 = 1_767_225_600_000L;

  private CachedEventMemoryHarness() {}

  static Event event(int i) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("item", "sku-" + (i % 1000));
    props.put("price", 12.5);
    props.put("tags", List.of("a", "b"));
    props.put("count", i % 100);
    return Event.builder()
        .eventType("Viewed Item")
        .userId("user-r1-1-" + i)
        .deviceId("device-r1-1-" + i)
        .insertId("ins-r1-1-" + i)
        .time(1_700_000_000_000L)
        .eventProperties(props)
        .platform("Web")
        .osName("Chrome")
        .appVersion("2.1.0")
        .country("Germany")
        .sourceId("web")
        .uploadTime(T0 + i / 100)
        .build();
  }

  private static long usedAfterGc(MemoryMXBean mx) throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100); // let the collector finish; this is a measurement harness, not a test
      best = Math.min(best, mx.getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    Method bytes =
        Class.forName("dev.weir.realtime.WalFile").getDeclaredMethod("eventBytes", Event.class);
    bytes.setAccessible(true);
    long encoded = 0;
    for (int i = 0; i < n; i++) {
      encoded += ((byte[]) bytes.invoke(null, event(i))).length;
    }
    double perEventEncoded = encoded / (double) n;
    Path dir = Files.createTempDirectory("weir-cached-memory-");
    StoreOptions opts =
        StoreOptions.builder(dir)
            .partitions(1)
            .fsyncPolicy(StoreOptions.FsyncPolicy.NONE)
            .cleanupInterval(Duration.ZERO)
            .blockInterval(Duration.ofDays(1))
            .build();
    long before = usedAfterGc(mx);
    try (RealtimeStore store = RealtimeStore.open(opts)) {
      for (int i = 0; i < n; i += 1000) {
        List<Event> batch = new ArrayList<>(1000);
        for (int j = i; j < Math.min(n, i + 1000); j++) {
          batch.add(event(j));
        }
        store.append(batch);
      }
      long after = usedAfterGc(mx);
      StoreStats st = store.stats();
      double total = (after - before) / (double) n;
      double keys = st.dedupKeyBytes() / (double) n;
      System.out.printf(
          "store, %,d cached events in %d block(s): encoded %.1f B/event; heap %.1f B/event"
              + " (%.2fx), of which dedup keys %.1f B; without keys %.1f B/event (%.2fx)%n",
          n,
          st.blocksInMemory(),
          perEventEncoded,
          total,
          total / perEventEncoded,
          keys,
          total - keys,
          (total - keys) / perEventEncoded);
    }
    before = usedAfterGc(mx);
    List<Event> held = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      held.add(event(i));
    }
    long after = usedAfterGc(mx);
    double objects = (after - before) / (double) n;
    System.out.printf(
        "baseline, the same %,d events as Event objects in a list: %.1f B/event (%.2fx encoded)%n",
        held.size(), objects, objects / perEventEncoded);
  }
}
