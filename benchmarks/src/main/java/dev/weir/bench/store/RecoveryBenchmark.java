package dev.weir.bench.store;

import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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

/**
 * Recovery speed: {@link RealtimeStore#open} of a store whose {@code events} events all sit in
 * cached blocks' write-ahead files (one-day blocks, so nothing is evicted) (the worst case:
 * everything is replayed, key sets rebuilt). Events/s replayed is {@code events} divided by the
 * time per operation. The files are in the page cache after the first open.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
public class RecoveryBenchmark {
  @Param({"1000000"})
  public int events;

  private Path dir;
  private StoreOptions options;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("weir-recovery-bench");
    options =
        StoreOptions.builder(dir)
            .fsyncPolicy(StoreOptions.FsyncPolicy.NONE)
            .blockInterval(java.time.Duration.ofDays(1))
            .cleanupInterval(java.time.Duration.ZERO)
            .build();
    try (RealtimeStore s = RealtimeStore.open(options)) {
      Random rnd = new Random(3);
      List<Event> batch = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        batch.add(StoreData.event(i, events, rnd));
        if (batch.size() == 5000) {
          s.append(batch);
          batch.clear();
        }
      }
      s.append(batch);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public long open() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options)) {
      if (s.recoveryReport().eventsReplayed() != events) {
        throw new IllegalStateException("replayed " + s.recoveryReport().eventsReplayed());
      }
      return s.recoveryReport().eventsReplayed();
    }
  }
}
