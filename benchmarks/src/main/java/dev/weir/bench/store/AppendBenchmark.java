package dev.weir.bench.store;

import dev.weir.realtime.AppendResult;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Append throughput with dedup and durability: one operation appends a batch of {@code batch}
 * events (about 10 % of them re-sent duplicates) from 4 threads. {@code store} is RealtimeStore
 * (group-commit fsync when {@code fsync=always}); {@code rocksdb} is the same-run baseline doing
 * dedup as Segment's service does, one get and one put per key, the batch written as one WriteBatch
 * (synced when {@code fsync=always}). Events/s is ops/s times {@code batch}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
public class AppendBenchmark {
  @Param({"always", "none"})
  public String fsync;

  @Param({"100"})
  public int batch;

  private Path dir;
  private RealtimeStore store;
  private RocksDB db;
  private WriteOptions writeOptions;
  private Options rocksOptions;
  private final AtomicLong counter = new AtomicLong();

  @Setup(Level.Trial)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("weir-append-bench");
    store =
        RealtimeStore.open(
            StoreOptions.builder(dir.resolve("store"))
                .fsyncPolicy(
                    fsync.equals("always")
                        ? StoreOptions.FsyncPolicy.ALWAYS
                        : StoreOptions.FsyncPolicy.NONE)
                .cleanupInterval(java.time.Duration.ZERO)
                .build());
    RocksDB.loadLibrary();
    rocksOptions = new Options().setCreateIfMissing(true);
    db = RocksDB.open(rocksOptions, dir.resolve("rocks").toString());
    writeOptions = new WriteOptions().setSync(fsync.equals("always"));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    store.close();
    db.close();
    writeOptions.close();
    rocksOptions.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * A batch of events with fresh insert ids, ~10 % re-sending a recent id; upload time advances 10
   * ms per event.
   */
  private List<Event> nextBatch() {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    List<Event> out = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      long c = counter.incrementAndGet();
      long id = rnd.nextInt(10) == 0 && c > 1000 ? c - 1 - rnd.nextInt(1000) : c;
      long upload = StoreData.T0 + c * 10;
      out.add(
          Event.builder()
              .eventType("view")
              .userId("u" + (id % 100_000))
              .insertId("i" + id)
              .sourceId("bench")
              .uploadTime(upload)
              .time(upload)
              .eventProperties(
                  Map.of("plan", (id & 3) == 0 ? "pro" : "free", "price", (int) (id % 100)))
              .build());
    }
    return out;
  }

  @Benchmark
  public List<AppendResult> store() throws Exception {
    return store.append(nextBatch());
  }

  @Benchmark
  public int rocksdb() throws Exception {
    List<Event> events = nextBatch();
    Set<String> inBatch = new HashSet<>();
    int stored = 0;
    try (WriteBatch wb = new WriteBatch()) {
      for (Event e : events) {
        byte[] key = (e.sourceId() + "\u0000" + e.insertId()).getBytes(StandardCharsets.UTF_8);
        if (db.get(key) != null || !inBatch.add(e.insertId())) {
          continue;
        }
        wb.put(key, e.toMap().toString().getBytes(StandardCharsets.UTF_8));
        stored++;
      }
      db.write(writeOptions, wb);
    }
    return stored;
  }
}
