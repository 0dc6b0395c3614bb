package dev.weir.bench.store;

import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Append throughput with a full dedup window against the cached blocks alone, same run. Setup fills
 * the store with 24 hours of data time ({@code perBlock} events per 5-minute block, 4 partitions),
 * so with {@code window=24h} every new event is checked against a day of sealed key files (xor
 * filters, merged), and with {@code window=0} against the cached blocks only. Each operation
 * appends 100 events at the end of that day: 90 new, 9 re-sent from the last minutes, 1 re-sent
 * from hours ago (a duplicate with the window, stored again without). fsync is off, so the figure
 * is the CPU cost of dedup. Events/s is ops/s times 100.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
public class DedupWindowBenchmark {
  static final long T0 = 1_700_000_000_000L - (1_700_000_000_000L % 300_000L);
  static final long BLOCK = 300_000L;

  @Param({"24h", "0"})
  public String window;

  @Param({"4000"})
  public int perBlock;

  private Path dir;
  private RealtimeStore store;
  private long end;
  private final AtomicLong counter = new AtomicLong();

  private static Event event(String user, String insertId, long upload) {
    return Event.builder()
        .eventType("view")
        .userId(user)
        .insertId(insertId)
        .sourceId("web")
        .uploadTime(upload)
        .time(upload)
        .build();
  }

  @Setup(Level.Trial)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("weir-dedup-window-bench");
    store =
        RealtimeStore.open(
            StoreOptions.builder(dir)
                .fsyncPolicy(StoreOptions.FsyncPolicy.NONE)
                .cleanupInterval(Duration.ZERO)
                .memoryCapacity(0)
                .dedupWindow(window.equals("0") ? Duration.ZERO : Duration.ofHours(24))
                .build());
    int blocks = 288;
    for (int b = 0; b < blocks; b++) {
      List<Event> batch = new ArrayList<>(perBlock);
      for (int i = 0; i < perBlock; i++) {
        batch.add(event("u" + (i % 5000), "old-" + b + "-" + i, T0 + b * BLOCK + i));
      }
      store.append(batch);
    }
    end = T0 + blocks * BLOCK;
    // let the background merger bring the key files and their guard filter to their steady state
    String before;
    do {
      before = store.stats().indexedKeys() + "/" + store.stats().keyIndexBytes();
      Thread.sleep(2000);
    } while (!before.equals(store.stats().indexedKeys() + "/" + store.stats().keyIndexBytes()));
    System.out.println("\nsetup: " + store.stats());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    store.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public int append() throws Exception {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    long base = counter.getAndAdd(100);
    long upload = end + base / 100; // data time moves 1 ms per batch
    List<Event> batch = new ArrayList<>(100);
    for (int i = 0; i < 90; i++) {
      batch.add(event("u" + rnd.nextInt(5000), "new-" + (base + i), upload));
    }
    for (int i = 0; i < 9; i++) {
      long recent = Math.max(0, base - rnd.nextInt(10_000));
      batch.add(event("u" + rnd.nextInt(5000), "new-" + recent, upload));
    }
    int b = rnd.nextInt(200);
    int i = rnd.nextInt(perBlock);
    batch.add(event("u" + (i % 5000), "old-" + b + "-" + i, upload));
    return store.append(batch).size();
  }
}
