package dev.weir.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.realtime.ChunkInfo;
import dev.weir.realtime.CleanupReport;
import dev.weir.realtime.RealtimeStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportSchedulerTest {
  @TempDir Path tmp;

  private RealtimeStore storeWithChunks() throws Exception {
    RealtimeStore store = TestStores.open(tmp.resolve("store"));
    TestStores.append(store, TestStores.events(0, 200, 0, 10, "view", Map.of("plan", "pro")));
    assertThat(store.chunks()).hasSizeGreaterThanOrEqualTo(4);
    return store;
  }

  private DirectoryDestination dest(String name) throws Exception {
    return new DirectoryDestination(Files.createDirectories(tmp.resolve(name)));
  }

  @Test
  void everySealedChunkIsExportedOnceInOrderAndCheckpointedDurably() throws Exception {
    try (RealtimeStore store = storeWithChunks()) {
      DirectoryDestination d = dest("d");
      List<String> expected =
          DestinationExporter.ordered(store.chunks()).stream().map(ChunkInfo::id).toList();
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state")).destination("d", d).build()) {
        assertThat(s.runOnce()).containsEntry("d", expected.size());
        assertThat(s.runOnce()).containsEntry("d", 0);
      }
      assertThat(d.calls).containsExactlyElementsOf(expected);
      // a restarted scheduler reads the checkpoint and exports nothing again
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state")).destination("d", d).build()) {
        assertThat(s.exportedChunks("d")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(s.runOnce()).containsEntry("d", 0);
      }
      assertThat(d.calls).hasSize(expected.size());
    }
  }

  @Test
  void aFailedExportIsRetriedAfterBackoffAndLaterChunksWaitForIt() throws Exception {
    try (RealtimeStore store = storeWithChunks()) {
      DirectoryDestination d = dest("d");
      d.failNext.set(2);
      MutableClock clock = new MutableClock(TestStores.T0);
      List<Duration> waits = new CopyOnWriteArrayList<>();
      ExportListener listener =
          new ExportListener() {
            @Override
            public void failed(
                String destination,
                String chunkId,
                int attempt,
                Throwable error,
                Duration retryIn) {
              waits.add(retryIn);
            }
          };
      String first = DestinationExporter.ordered(store.chunks()).get(0).id();
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state"))
              .destination("d", d)
              .clock(clock)
              .backoff(Duration.ofSeconds(1), Duration.ofSeconds(60))
              .listener(listener)
              .build()) {
        assertThat(s.runOnce()).containsEntry("d", 0);
        assertThat(s.lastError("d")).contains(first, "destination unavailable");
        assertThat(s.runOnce()).containsEntry("d", 0); // still backing off: no attempt
        assertThat(d.calls).containsExactly(first);
        clock.advance(1_000);
        assertThat(s.runOnce()).containsEntry("d", 0); // second failure, backoff doubles
        clock.advance(2_000);
        assertThat(s.runOnce()).containsEntry("d", store.chunks().size());
        assertThat(s.lastError("d")).isNull();
      }
      assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
      assertThat(d.calls.subList(0, 3)).containsOnly(first);
    }
  }

  @Test
  void cleanupNeverDeletesAChunkNotYetExportedByEveryDestination() throws Exception {
    try (RealtimeStore store = storeWithChunks()) {
      DirectoryDestination ok = dest("ok");
      DirectoryDestination down = dest("down");
      down.failNext.set(1_000);
      List<String> all = store.chunks().stream().map(ChunkInfo::id).toList();
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state"))
              .destination("ok", ok)
              .destination("down", down)
              .batchPeriod(Duration.ZERO)
              .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
              .build()) {
        s.runOnce();
        assertThat(store.currentBatch()).isZero(); // not handed off: "down" exported nothing
        store.advanceBatch(); // even if someone hands off by hand, the pins hold
        CleanupReport report = store.cleanup();
        assertThat(report.deleted()).isEmpty();
        assertThat(report.kept().keySet()).containsAll(all);
        assertThat(report.kept().values()).allMatch(why -> why.contains("export:down"));
        assertThat(store.chunks()).hasSize(all.size());

        down.failNext.set(0);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> s.runOnce().get("down") >= 0 && s.exportedChunks("down").containsAll(all));
        assertThat(store.cleanup().deleted()).containsExactlyInAnyOrderElementsOf(all);
      }
      assertThat(down.exportedFiles()).hasSize(all.size());
    }
  }

  @Test
  void theBatchIsHandedOffOnlyWhenEveryDestinationExportedEveryChunkOfIt() throws Exception {
    try (RealtimeStore store = storeWithChunks()) {
      DirectoryDestination a = dest("a");
      DirectoryDestination b = dest("b");
      b.failNext.set(1);
      MutableClock clock = new MutableClock(TestStores.T0);
      List<Long> advanced = new ArrayList<>();
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state"))
              .destination("a", a)
              .destination("b", b)
              .clock(clock)
              .batchPeriod(Duration.ofHours(1))
              .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
              .listener(
                  new ExportListener() {
                    @Override
                    public void batchAdvanced(long batch) {
                      advanced.add(batch);
                    }
                  })
              .build()) {
        s.runOnce();
        clock.advance(Duration.ofHours(2).toMillis());
        assertThat(s.maybeAdvanceBatch()).isFalse(); // b has not exported yet
        assertThat(store.currentBatch()).isZero();
        s.runOnce(); // b catches up, and the period has passed
        assertThat(store.currentBatch()).isEqualTo(1);
        assertThat(advanced).containsExactly(0L);
        assertThat(s.maybeAdvanceBatch()).isFalse(); // the new batch's period has not passed
      }
    }
  }

  @Test
  void destinationsAddedReplacedAndRemovedWhileRunningKeepTheirCheckpointAndPins()
      throws Exception {
    try (RealtimeStore store = storeWithChunks()) {
      DirectoryDestination a = dest("a");
      DirectoryDestination added = dest("added");
      DirectoryDestination replacement = dest("replacement");
      List<String> all = store.chunks().stream().map(ChunkInfo::id).toList();
      added.failNext.set(1_000);
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state"))
              .destination("a", a)
              .batchPeriod(Duration.ZERO)
              .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
              .build()) {
        s.putDestination("added", added, java.util.Set.of("web"));
        s.runOnce();
        assertThat(s.destinations()).containsExactly("a", "added");
        assertThat(store.currentBatch()).as("the added one holds the handoff").isZero();
        assertThat(store.cleanup().deleted()).as("and pins its chunks").isEmpty();

        // replaced: the new instance continues from the checkpoint, the old one is not called
        added.failNext.set(0);
        s.runOnce();
        List<String> first = List.copyOf(s.exportedChunks("added"));
        assertThat(first).containsExactlyInAnyOrderElementsOf(all);
        int before = added.calls.size();
        s.putDestination("added", replacement, java.util.Set.of("web"));
        TestStores.append(store, TestStores.events(200, 200, 10, 10, "view", Map.of()));
        s.runOnce();
        assertThat(added.calls).as("the replaced instance is not called again").hasSize(before);
        assertThat(replacement.calls)
            .as("only the chunks its checkpoint did not list")
            .isNotEmpty()
            .doesNotContainAnyElementsOf(first);

        // removed: no longer pinned or waited for
        DirectoryDestination down = dest("down");
        down.failNext.set(1_000);
        s.putDestination("down", down, java.util.Set.of("web"));
        s.runOnce();
        s.removeDestination("down");
        int calls = down.calls.size();
        s.runOnce();
        assertThat(down.calls).hasSize(calls);
        assertThat(s.destinations()).containsExactly("a", "added");
        assertThat(Files.exists(tmp.resolve("state").resolve("down.exported")))
            .as("only a destination that exported something has a checkpoint")
            .isFalse();
      }
      assertThat(a.calls).hasSizeGreaterThan(all.size());
    }
  }

  @Test
  void aReplacementWhoseCheckpointCannotBeReadLeavesTheRunningDestinationAsItWas()
      throws Exception {
    try (RealtimeStore store = storeWithChunks()) {
      DirectoryDestination a = dest("a");
      DirectoryDestination replacement = dest("replacement");
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state")).destination("a", a).build()) {
        s.runOnce();
        int before = a.calls.size();
        Path checkpoint = tmp.resolve("state").resolve("a.exported");
        Path aside = tmp.resolve("a.exported.aside");
        Files.move(checkpoint, aside);
        Files.createDirectories(checkpoint); // unreadable as a checkpoint
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> s.putDestination("a", replacement, java.util.Set.of("web")))
            .isInstanceOf(java.io.IOException.class);
        Files.delete(checkpoint);
        Files.move(aside, checkpoint);

        TestStores.append(store, TestStores.events(200, 200, 10, 10, "view", Map.of()));
        s.runOnce();
        assertThat(s.destinations()).containsExactly("a");
        assertThat(a.calls).as("the running one still exports").hasSizeGreaterThan(before);
        assertThat(replacement.calls).isEmpty();
      }
    }
  }

  @Test
  void withoutBatchDestinationsTheBatchAdvancesEveryPeriodSoRetentionDeletesChunks()
      throws Exception {
    try (RealtimeStore store = storeWithChunks()) {
      MutableClock clock = new MutableClock(TestStores.T0);
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state"))
              .clock(clock)
              .batchPeriod(Duration.ofHours(1))
              .build()) {
        s.start(Duration.ofMillis(10));
        long before = store.currentBatch();
        clock.advance(Duration.ofHours(1).toMillis());
        await().atMost(Duration.ofSeconds(10)).until(() -> store.currentBatch() > before);
        assertThat(store.cleanup().deleted()).isNotEmpty();
      }
    }
  }

  @Test
  void aBatchDestinationReceivesOnlyTheSourcesRoutedToItNotTheirQuarantine() throws Exception {
    try (RealtimeStore store = TestStores.open(tmp.resolve("store"))) {
      List<dev.weir.sdk.Event> events = new java.util.ArrayList<>();
      for (dev.weir.sdk.Event e : TestStores.events(0, 200, 0, 10, "view", Map.of())) {
        int n = Integer.parseInt(e.insertId().substring(2));
        events.add(
            n % 3 == 0
                ? e.toBuilder().sourceId("web:quarantine").build()
                : n % 3 == 1 ? e : e.toBuilder().sourceId("app").build());
      }
      TestStores.append(store, events);
      List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      dev.weir.sdk.BatchDestination recording =
          new dev.weir.sdk.BatchDestination() {
            @Override
            public dev.weir.sdk.ConnectorSpec spec() {
              return null;
            }

            @Override
            public dev.weir.sdk.ExportResult export(dev.weir.sdk.ExportBatch batch) {
              long n = 0;
              for (var it = batch.rows(); it.hasNext(); n++) {
                seen.add(it.next().sourceId());
              }
              assertThat(batch.rowCount()).isEqualTo(n);
              return dev.weir.sdk.ExportResult.committed(n);
            }
          };
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state"))
              .destination("warehouse", recording, java.util.Set.of("web"))
              .build()) {
        s.runOnce();
      }
      assertThat(seen).isNotEmpty().containsOnly("web");
    }
  }

  @Test
  void backgroundExportPicksUpChunksAsTheyAreSealed() throws Exception {
    try (RealtimeStore store = TestStores.open(tmp.resolve("store"))) {
      DirectoryDestination d = dest("d");
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state")).destination("d", d).build()) {
        s.start(Duration.ofMillis(20));
        TestStores.append(store, TestStores.events(0, 100, 0, 5, "view", Map.of()));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    !store.chunks().isEmpty()
                        && s.exportedChunks("d").size() == store.chunks().size());
        TestStores.append(store, TestStores.events(100, 100, 5, 5, "view", Map.of()));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> s.exportedChunks("d").size() == store.chunks().size());
        assertThat(d.exportedFiles()).hasSize(store.chunks().size());
      }
    }
  }

  @Test
  void backfillReExportsTheChunksOverlappingTheRangeAndReportsProgress() throws Exception {
    try (RealtimeStore store = storeWithChunks()) {
      DirectoryDestination d = dest("d");
      List<int[]> progress = new CopyOnWriteArrayList<>();
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state")).destination("d", d).build()) {
        s.runOnce();
        long from = TestStores.T0 + 2 * TestStores.MIN;
        long to = TestStores.T0 + 4 * TestStores.MIN;
        List<String> overlapping =
            DestinationExporter.ordered(store.chunks()).stream()
                .filter(c -> c.maxTime() >= from && c.minTime() < to)
                .map(ChunkInfo::id)
                .toList();
        assertThat(overlapping).isNotEmpty().hasSizeLessThan(store.chunks().size());
        d.calls.clear();
        BackfillReport r =
            s.backfill("d", from, to, (done, total, rows) -> progress.add(new int[] {done, total}));
        assertThat(d.calls).containsExactlyElementsOf(overlapping);
        assertThat(r.chunks()).isEqualTo(overlapping.size());
        assertThat(progress.get(progress.size() - 1))
            .containsExactly(overlapping.size(), overlapping.size());
        assertThat(progress).hasSize(overlapping.size() + 1);
      }
    }
  }

  @Test
  void aDestinationThrowingAnErrorIsRetriedInTheBackgroundAndNeverStopsTheSchedule()
      throws Exception {
    try (RealtimeStore store = storeWithChunks()) {
      DirectoryDestination d = dest("d");
      d.errorNext.set(2);
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state"))
              .destination("d", d)
              .backoff(Duration.ofMillis(10), Duration.ofMillis(10))
              .build()) {
        s.start(Duration.ofMillis(10));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> s.exportedChunks("d").size() == store.chunks().size());
      }
      assertThat(d.calls.size()).isEqualTo(store.chunks().size() + 2);
    }
  }

  @Test
  void aCheckpointIsDurableInItsDirectoryBeforeTheExportCounts() throws Exception {
    List<String> ops = new CopyOnWriteArrayList<>();
    dev.weir.realtime.StoreFileSystem fs =
        new dev.weir.realtime.StoreFileSystem() {
          @Override
          public void move(Path from, Path to) throws java.io.IOException {
            dev.weir.realtime.StoreFileSystem.super.move(from, to);
            ops.add("move " + to.toAbsolutePath());
          }

          @Override
          public void syncDirectory(Path dir) throws java.io.IOException {
            ops.add("syncdir " + dir.toAbsolutePath());
            dev.weir.realtime.StoreFileSystem.super.syncDirectory(dir);
          }
        };
    Path state = tmp.resolve("state");
    try (RealtimeStore store = storeWithChunks();
        ExportScheduler s =
            ExportScheduler.builder(store, state)
                .destination("d", dest("d"))
                .fileSystem(fs)
                .build()) {
      assertThat(ops).contains("syncdir " + tmp.toAbsolutePath());
      ops.clear();
      assertThat(s.runOnce().get("d")).isPositive();
    }
    Path checkpoint = state.resolve("d.exported").toAbsolutePath();
    int moved = ops.lastIndexOf("move " + checkpoint);
    assertThat(moved).isNotNegative();
    assertThat(ops.subList(moved, ops.size())).contains("syncdir " + state.toAbsolutePath());
  }
}
