package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.MIN;
import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.event;
import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sdk.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealingTest {
  @TempDir Path dir;

  /** A user id that lands in {@code partition} of {@code count}. */
  static String userIn(int partition, int count, String prefix) {
    for (int i = 0; ; i++) {
      String u = prefix + i;
      if (Keys.partitionOf(u, count) == partition) {
        return u;
      }
    }
  }

  @Test
  void aQuietPartitionSealsOnTheStoreWideDataClock() throws Exception {
    String quiet = userIn(1, 2, "q");
    String busy = userIn(0, 2, "b");
    try (RealtimeStore s = RealtimeStore.open(options(dir).blocksPerChunk(1).build())) {
      s.append(List.of(event(quiet, "q1", T0 + MIN)));
      for (int m = 0; m <= 60; m += 5) {
        s.append(List.of(event(busy, "b" + m, T0 + m * MIN)));
      }
      assertThat(s.partition(1).live).isEmpty();
      assertThat(s.chunks()).anyMatch(c -> c.partition() == 1 && c.rows() == 1);
    }
  }

  @Test
  void aQuietPartitionSealsAfterARestartToo() throws Exception {
    String quiet = userIn(1, 2, "q");
    String busy = userIn(0, 2, "b");
    try (RealtimeStore s = RealtimeStore.open(options(dir).blocksPerChunk(1).build())) {
      s.append(List.of(event(quiet, "q1", T0 + MIN)));
      s.append(List.of(event(busy, "b1", T0 + 60 * MIN)));
    }
    try (RealtimeStore s = RealtimeStore.open(options(dir).blocksPerChunk(1).build())) {
      assertThat(s.partition(1).live).isEmpty();
      assertThat(s.dataClock()).isEqualTo(T0 + 60 * MIN);
    }
  }

  @Test
  void theMemoryCapacityIsEnforcedBySealingTheOldestCachedBlocks() throws Exception {
    long capacity = 64 * 1024;
    try (RealtimeStore s =
        RealtimeStore.open(
            options(dir)
                .memoryCapacity(capacity)
                .blockInterval(java.time.Duration.ofSeconds(1))
                .build())) {
      // a burst: 2,000 events within ten seconds of upload time, far more than 64 KiB of heap
      for (int i = 0; i < 200; i++) {
        List<Event> batch = new ArrayList<>();
        for (int j = 0; j < 10; j++) {
          batch.add(event("u" + j, "i" + i + "-" + j, T0 + i * 50L));
        }
        s.append(batch);
        assertThat(Sealing.cachedBytes(List.of(s.partition(0), s.partition(1))))
            .isLessThanOrEqualTo(capacity);
      }
      assertThat(s.stats().evictedBlocks() + s.stats().chunks()).isPositive();
      long total = 0;
      for (int p = 0; p < 2; p++) {
        total += s.read(p, 0, 10_000).size();
      }
      assertThat(total).isEqualTo(2_000);
    }
  }

  @Test
  void openingAStoreWithAnotherPartitionCountFailsNamingBothCounts() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(4).build())) {
      s.append(List.of(event("u1", "a", T0)));
    }
    assertThatThrownBy(() -> RealtimeStore.open(options(dir).partitions(8).build()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("has 4 partitions")
        .hasMessageContaining("asks for 8")
        .hasMessageContaining("weir store repartition --to 8");
    // the failed open left the store as it was and released it
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(4).build())) {
      assertThat(s.nextSequence(Keys.partitionOf("u1", 4))).isEqualTo(1);
    }
  }

  @Test
  void aStoreWrittenBeforeTheCountWasRecordedIsCheckedByItsPartitionDirectories() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(3).build())) {
      s.append(List.of(event("u1", "a", T0)));
    }
    java.nio.file.Files.delete(dir.resolve(StoreLayout.PARTITIONS_FILE));
    assertThatThrownBy(() -> RealtimeStore.open(options(dir).partitions(2).build()))
        .hasMessageContaining("has 3 partitions");
  }
}
