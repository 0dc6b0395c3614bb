package dev.weir.bench.store;

import dev.weir.realtime.Filter;
import dev.weir.realtime.FunnelQuery;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.SegmentationQuery;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Append throughput alone against append throughput with a query every second, same process, same
 * data, alternating A B A B: each phase appends the synthetic day ({@link StoreData}) in batches of
 * 500 into a fresh store (fsync policy interval) for {@code seconds}; in B a second thread runs a
 * segmentation, a uniques and a funnel query over the data so far, one query per second. Prints
 * events/s per phase, the B/A ratio and the query latencies.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.weir.bench.store.QueryWhileIngesting 30</pre>
 */
public final class QueryWhileIngesting {
  private QueryWhileIngesting() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    double[] alone = new double[2];
    double[] withQueries = new double[2];
    for (int round = 0; round < 2; round++) {
      alone[round] = phase(seconds, false);
      withQueries[round] = phase(seconds, true);
    }
    double a = (alone[0] + alone[1]) / 2;
    double b = (withQueries[0] + withQueries[1]) / 2;
    System.out.printf(
        "append alone: %.0f / %.0f events/s; with a query every second: %.0f / %.0f events/s;"
            + " ratio %.2f%n",
        alone[0], alone[1], withQueries[0], withQueries[1], b / a);
  }

  private static double phase(int seconds, boolean queries) throws Exception {
    Path dir = Files.createTempDirectory("weir-qwi-");
    StoreOptions opts =
        StoreOptions.builder(dir)
            .fsyncPolicy(StoreOptions.FsyncPolicy.INTERVAL)
            .cleanupInterval(java.time.Duration.ZERO)
            .build();
    long n = 10_000_000L;
    AtomicLong appended = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Long> latencies = new ArrayList<>();
    try (RealtimeStore store = RealtimeStore.open(opts)) {
      Thread q =
          new Thread(
              () -> {
                int k = 0;
                long next = System.nanoTime();
                while (!stop.get()) {
                  next += 1_000_000_000L;
                  long t0 = System.nanoTime();
                  switch (k++ % 3) {
                    case 0 ->
                        store.segmentation(
                            new SegmentationQuery(
                                "purchase",
                                List.of(Filter.eq("event_properties.plan", "pro")),
                                StoreData.T0,
                                StoreData.T0 + StoreData.DAY,
                                SegmentationQuery.Bucket.HOUR,
                                SegmentationQuery.Metric.COUNT,
                                null));
                    case 1 ->
                        store.segmentation(
                            new SegmentationQuery(
                                "view",
                                List.of(Filter.gt("event_properties.price", 50)),
                                StoreData.T0,
                                StoreData.T0 + StoreData.DAY,
                                SegmentationQuery.Bucket.DAY,
                                SegmentationQuery.Metric.UNIQUES,
                                null));
                    default ->
                        store.funnel(
                            new FunnelQuery(
                                List.of(
                                    new FunnelQuery.Step("view", List.of()),
                                    new FunnelQuery.Step("cart", List.of()),
                                    new FunnelQuery.Step("purchase", List.of())),
                                StoreData.T0,
                                StoreData.T0 + StoreData.DAY,
                                3_600_000L));
                  }
                  synchronized (latencies) {
                    latencies.add((System.nanoTime() - t0) / 1_000_000);
                  }
                  long wait = next - System.nanoTime();
                  if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                  }
                }
              },
              "query-every-second");
      Random rnd = new Random(1);
      long start = System.nanoTime();
      long end = start + seconds * 1_000_000_000L;
      if (queries) {
        q.start();
      }
      List<Event> batch = new ArrayList<>(500);
      long i = 0;
      while (System.nanoTime() < end) {
        batch.clear();
        for (int k = 0; k < 500; k++, i++) {
          batch.add(StoreData.event(i, n, rnd));
        }
        store.append(batch);
        appended.addAndGet(batch.size());
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      double rate = appended.get() / elapsed;
      stop.set(true);
      if (queries) {
        q.join();
      }
      System.out.printf(
          "%s: %d events in %.1f s = %.0f events/s%s%n",
          queries ? "with queries" : "append alone",
          appended.get(),
          elapsed,
          rate,
          queries ? ", query ms " + latencies : "");
      return rate;
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
