package dev.weir.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import dev.weir.testkit.Events;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random events (unicode, surrogate pairs, huge and negative numbers, deep properties, nulls, empty
 * strings, every field or almost none) stored, read back from cached blocks, from evicted block
 * files and chunks, and after recovery: every one equal, field by field, to what was appended.
 */
class StoreRoundTripPropertyTest {
  private static final long T0 = 1_767_225_600_000L;

  @TempDir Path dir;

  @Test
  void randomEventsReadBackEqualFieldByFieldFromMemoryEvictedFilesAndAfterRecovery()
      throws Exception {
    // blocks are evicted to files, but never merged into chunks (see the chunk test below)
    roundTrip(
        TestEvents.options(dir).partitions(2).cachedBlocksPerPartition(3).blocksPerChunk(10_000),
        false);
  }

  @Test
  void randomEventsReadBackEqualFieldByFieldFromChunks() throws Exception {
    roundTrip(
        TestEvents.options(dir).partitions(2).cachedBlocksPerPartition(3).blocksPerChunk(4), true);
  }

  private void roundTrip(StoreOptions.Builder options, boolean chunks) throws Exception {
    Random r = new Random(42);
    List<Event> sent = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      sent.add(
          Events.random(r).toBuilder()
              .insertId("ins-" + i)
              .sourceId(i % 3 == 0 ? "" : "src-" + (i % 2))
              // one event a minute: blocks fill, get evicted and merge into chunks as time passes
              .uploadTime(T0 + i * 60_000L)
              .build());
    }
    StoreOptions opts = options.build();
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      for (int i = 0; i < sent.size(); i += 50) {
        assertThat(s.append(sent.subList(i, i + 50)))
            .allMatch(a -> a.status() == AppendResult.Status.STORED);
      }
      if (chunks) {
        assertThat(s.stats().chunks()).as("some rows are in chunks").isPositive();
      } else {
        assertThat(s.stats().evictedBlocks()).as("some rows are in evicted files").isPositive();
      }
      assertThat(s.stats().blocksInMemory()).as("some rows are in cached blocks").isPositive();
      TestEvents.assertEqualFieldByField(sent, readAll(s));
    }
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      TestEvents.assertEqualFieldByField(sent, readAll(s));
    }
  }

  private static List<Event> readAll(RealtimeStore s) throws Exception {
    List<Event> out = new ArrayList<>();
    for (int p = 0; p < s.partitionCount(); p++) {
      long from = 0;
      while (true) {
        List<StoredEvent> page = s.read(p, from, 37);
        if (page.isEmpty()) {
          break;
        }
        for (StoredEvent e : page) {
          out.add(e.event());
          from = e.sequence() + 1;
        }
      }
    }
    return out;
  }
}
