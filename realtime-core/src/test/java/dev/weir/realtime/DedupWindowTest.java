package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.MIN;
import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.event;
import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.realtime.AppendResult.Status;
import dev.weir.sdk.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DedupWindowTest {
  static final long HOUR = 60 * MIN;
  @TempDir Path dir;

  private static Status status(RealtimeStore s, Event e) throws Exception {
    return s.append(List.of(e)).get(0).status();
  }

  /**
   * Moves the data clock with one fresh event per block interval from {@code from} to {@code to}.
   */
  private static void traffic(RealtimeStore s, long from, long to) throws Exception {
    for (long t = from; t <= to; t += 5 * MIN) {
      s.append(List.of(event("filler", "f" + t, t)));
    }
  }

  @Test
  void aRetryTwentyMinutesLaterIsStillADuplicate() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(1).build())) {
      s.append(List.of(event("u1", "a", T0)));
      traffic(s, T0 + 5 * MIN, T0 + 20 * MIN);
      assertThat(s.partition(0).live.values()).noneMatch(b -> b.start == T0);
      assertThat(status(s, event("u1", "a", T0 + 20 * MIN))).isEqualTo(Status.DUPLICATE);
    }
  }

  @Test
  void aReplaySixHoursLaterIsDeduplicatedAcrossARestart() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(1).build())) {
      s.append(List.of(event("u1", "a", T0), event("u2", "b", T0 + MIN)));
      traffic(s, T0 + 5 * MIN, T0 + 6 * HOUR);
    }
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(1).build())) {
      List<AppendResult> r =
          s.append(
              List.of(
                  event("u1", "a", T0 + 6 * HOUR),
                  event("u2", "b", T0 + 6 * HOUR),
                  event("u3", "new", T0 + 6 * HOUR)));
      assertThat(r)
          .extracting(AppendResult::status)
          .containsExactly(Status.DUPLICATE, Status.DUPLICATE, Status.STORED);
    }
  }

  @Test
  void keysOlderThanTheWindowAreForgottenAndTheirFilesRemovedByCleanup() throws Exception {
    try (RealtimeStore s =
        RealtimeStore.open(options(dir).partitions(1).dedupWindow(Duration.ofHours(1)).build())) {
      s.append(List.of(event("u1", "a", T0)));
      traffic(s, T0 + 5 * MIN, T0 + 50 * MIN);
      assertThat(status(s, event("u1", "a", T0 + 50 * MIN))).isEqualTo(Status.DUPLICATE);
      traffic(s, T0 + 55 * MIN, T0 + 3 * HOUR);
      assertThat(status(s, event("u1", "a", T0 + 3 * HOUR))).isEqualTo(Status.STORED);
      s.cleanup();
      for (KeySidecar k : s.partition(0).keyIndex.sealed) {
        assertThat(k.maxUpload).isGreaterThanOrEqualTo(T0 + 2 * HOUR);
      }
    }
  }

  @Test
  void blocksSealedEarlyByTheMemoryBoundStillDeduplicate() throws Exception {
    try (RealtimeStore s =
        RealtimeStore.open(options(dir).partitions(1).memoryCapacity(4096).build())) {
      for (int i = 0; i < 100; i++) {
        s.append(List.of(event("u" + i, "k" + i, T0 + i)));
      }
      assertThat(s.stats().evictedBlocks() + s.stats().chunks()).isPositive();
      for (int i = 0; i < 100; i++) {
        assertThat(status(s, event("u" + i, "k" + i, T0 + 200))).isEqualTo(Status.DUPLICATE);
      }
    }
  }

  @Test
  void aLostKeyFileIsRebuiltFromTheStoredDataOnOpen() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(1).build())) {
      for (int i = 0; i < 50; i++) {
        s.append(List.of(event("u" + i, "k" + i, T0 + i * MIN)));
      }
      traffic(s, T0 + 50 * MIN, T0 + 3 * HOUR);
    }
    try (Stream<Path> files = Files.list(dir.resolve("p0/keys"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(1).build())) {
      for (int i = 0; i < 50; i++) {
        assertThat(status(s, event("u" + i, "k" + i, T0 + 3 * HOUR))).isEqualTo(Status.DUPLICATE);
      }
    }
  }

  @Test
  void randomTrafficOverADayStoresExactlyTheFirstOccurrenceWithMergedKeyFiles() throws Exception {
    Random rnd = new Random(7);
    Set<String> seen = new HashSet<>();
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(2).build())) {
      for (long t = T0; t < T0 + 24 * HOUR; t += 2 * MIN) {
        List<Event> batch = new ArrayList<>();
        List<Boolean> fresh = new ArrayList<>();
        Set<String> inBatch = new HashSet<>();
        for (int j = 0; j < 20; j++) {
          // mostly new ids, some re-sent from anywhere in the past day
          String id =
              rnd.nextInt(4) == 0 && !seen.isEmpty() ? pick(seen, rnd) : "i" + rnd.nextLong();
          batch.add(event("u" + (id.hashCode() & 15), id, t));
          fresh.add(!seen.contains(id) && inBatch.add(id));
        }
        List<AppendResult> r = s.append(batch);
        for (int j = 0; j < batch.size(); j++) {
          assertThat(r.get(j).status())
              .as("event %s at %s", batch.get(j).insertId(), t)
              .isEqualTo(fresh.get(j) ? Status.STORED : Status.DUPLICATE);
          seen.add(batch.get(j).insertId());
        }
        if (seen.size() > 5000) {
          seen.remove(seen.iterator().next());
        }
      }
      for (int p = 0; p < 2; p++) {
        s.partition(p).keyIndex.mergeAll(s.partition(p).lock);
        assertThat(s.partition(p).keyIndex.sealed.size()).isLessThan(20);
      }
      StoreStats st = s.stats();
      assertThat(st.indexedKeys()).isPositive();
    }
  }

  @Test
  void theKeyIndexHoldsAtMostTwoBytesOfHeapPerKey() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(1).build())) {
      for (int b = 0; b < 40; b++) {
        List<Event> batch = new ArrayList<>();
        for (int j = 0; j < 5000; j++) {
          batch.add(event("u" + j, "b" + b + "-" + j, T0 + b * 5 * MIN));
        }
        s.append(batch);
      }
      s.partition(0).keyIndex.mergeAll(s.partition(0).lock);
      StoreStats st = s.stats();
      assertThat(st.indexedKeys()).isGreaterThan(150_000);
      assertThat((double) st.keyIndexBytes() / st.indexedKeys()).isLessThanOrEqualTo(2.0);
    }
  }

  @Test
  void oneGuardFilterCoversTheSealedKeyFilesAndOldDuplicatesAndDeletionsStayExact()
      throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(1).build())) {
      for (int b = 0; b < 40; b++) {
        List<Event> batch = new ArrayList<>();
        for (int j = 0; j < 1000; j++) {
          batch.add(event(j == 0 ? "alice" : "u" + j, "b" + b + "-" + j, T0 + b * 5 * MIN));
        }
        s.append(batch);
      }
      KeyIndex index = s.partition(0).keyIndex;
      // a new key probes the guard and at most one file's own filter, once the merge thread (or
      // this one, when it is idle) has merged and guarded
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                index.mergeAll(s.partition(0).lock);
                assertThat(index.sealed).hasSizeGreaterThan(2);
                assertThat(index.sealed.stream().filter(f -> !f.small() && !f.guarded()))
                    .hasSizeLessThan(2);
              });
      long now = T0 + 40 * 5 * MIN;
      for (int b = 0; b < 36; b++) {
        assertThat(status(s, event("u7", "b" + b + "-7", now)))
            .as("re-sent from block %d", b)
            .isEqualTo(Status.DUPLICATE);
        assertThat(status(s, event("u7", "new-" + b, now))).isEqualTo(Status.STORED);
      }
      s.deleteUser("src", "alice");
      assertThat(status(s, event("alice", "b3-0", now))).isEqualTo(Status.STORED);
    }
  }

  private static String pick(Set<String> seen, Random rnd) {
    int i = rnd.nextInt(seen.size());
    for (String s : seen) {
      if (i-- == 0) {
        return s;
      }
    }
    throw new AssertionError();
  }
}
