package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.MIN;
import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.event;
import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.realtime.AppendResult.Status;
import dev.weir.sdk.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DedupTest {
  @TempDir Path dir;

  private static List<Status> statuses(List<AppendResult> r) {
    return r.stream().map(AppendResult::status).toList();
  }

  @Test
  void duplicateInsertIdWithinOneBatchIsDropped() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).build())) {
      List<AppendResult> r =
          s.append(List.of(event("u1", "a", T0), event("u1", "a", T0 + 1), event("u1", "b", T0)));
      assertThat(statuses(r)).containsExactly(Status.STORED, Status.DUPLICATE, Status.STORED);
      assertThat(r.get(1).sequence()).isEqualTo(-1);
      assertThat(s.stats().duplicates()).isEqualTo(1);
      assertThat(s.stats().stored()).isEqualTo(2);
    }
  }

  @Test
  void duplicateArrivingInALaterBlockIsDropped() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).build())) {
      s.append(List.of(event("u1", "a", T0)));
      List<AppendResult> r =
          s.append(List.of(event("u1", "a", T0 + 7 * MIN), event("u1", "a", T0 + 12 * MIN)));
      assertThat(statuses(r)).containsExactly(Status.DUPLICATE, Status.DUPLICATE);
      assertThat(s.stats().blocksInMemory()).isEqualTo(1);
    }
  }

  @Test
  void sameInsertIdFromAnotherSourceIsNotADuplicate() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).build())) {
      Event a = event("u1", "a", T0);
      List<AppendResult> r = s.append(List.of(a, a.toBuilder().sourceId("other").build()));
      assertThat(statuses(r)).containsExactly(Status.STORED, Status.STORED);
    }
  }

  @Test
  void eventsWithoutInsertIdAreNeverDeduplicated() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).build())) {
      Event a = event("u1", null, T0);
      assertThat(statuses(s.append(List.of(a, a)))).containsExactly(Status.STORED, Status.STORED);
      assertThat(statuses(s.append(List.of(a)))).containsExactly(Status.STORED);
    }
  }

  @Test
  void eventsMissingSourceOrUploadTimeAreRejectedByIndexWhileNeighboursAreStored()
      throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).build())) {
      Event ok = event("u1", "a", T0);
      List<AppendResult> r =
          s.append(
              List.of(
                  ok.toBuilder().sourceId(null).build(),
                  ok,
                  ok.toBuilder().insertId("b").uploadTime(null).build()));
      assertThat(statuses(r)).containsExactly(Status.REJECTED, Status.STORED, Status.REJECTED);
      assertThat(r.get(0).reason()).contains("source_id");
      assertThat(r.get(2).reason()).contains("upload_time");
    }
  }

  @Test
  void withoutAKeyIndexABlockIsEvictedAfterTenMoreMinutesOfUploadTimeAndItsKeysLeaveTheWindow()
      throws Exception {
    try (RealtimeStore s =
        RealtimeStore.open(
            options(dir)
                .partitions(1)
                .blocksPerChunk(100)
                .dedupWindow(java.time.Duration.ZERO)
                .build())) {
      s.append(List.of(event("u1", "a", T0 + MIN)));
      s.append(List.of(event("u1", "b", T0 + 5 * MIN), event("u1", "c", T0 + 10 * MIN)));
      assertThat(s.stats().blocksInMemory()).isEqualTo(3);
      assertThat(statuses(s.append(List.of(event("u1", "a", T0 + 14 * MIN)))))
          .containsExactly(Status.DUPLICATE);
      s.append(List.of(event("u1", "d", T0 + 15 * MIN)));
      assertThat(s.stats().evictedBlocks()).isEqualTo(1);
      assertThat(s.stats().blocksInMemory()).isEqualTo(3);
      assertThat(statuses(s.append(List.of(event("u1", "a", T0 + 16 * MIN)))))
          .containsExactly(Status.STORED);
      assertThat(statuses(s.append(List.of(event("u1", "b", T0 + 16 * MIN)))))
          .containsExactly(Status.DUPLICATE);
    }
  }

  @Test
  void aStalledStreamEvictsNothingHoweverLongTheWallClockRuns() throws Exception {
    try (RealtimeStore s =
        RealtimeStore.open(
            options(dir).partitions(1).blockInterval(java.time.Duration.ofMillis(50)).build())) {
      long t = System.currentTimeMillis();
      s.append(List.of(event("u1", "a", t)));
      long wallBefore = System.currentTimeMillis();
      org.awaitility.Awaitility.await().until(() -> System.currentTimeMillis() > wallBefore + 300);
      // 300 ms of wall clock is six block intervals, but no newer data arrived: nothing may be
      // evicted
      s.append(List.of(event("u1", "a", t)));
      assertThat(s.stats().evictedBlocks()).isZero();
      assertThat(s.stats().duplicates()).isEqualTo(1);
    }
  }

  @Test
  void acknowledgedEventIsStillADuplicateAfterRecovery() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).build())) {
      s.append(List.of(event("u1", "a", T0), event("u2", "b", T0 + 6 * MIN)));
    }
    try (RealtimeStore s = RealtimeStore.open(options(dir).build())) {
      assertThat(s.recoveryReport().eventsReplayed()).isEqualTo(2);
      assertThat(
              statuses(
                  s.append(
                      List.of(
                          event("u1", "a", T0 + 8 * MIN),
                          event("u2", "b", T0 + 8 * MIN),
                          event("u2", "c", T0 + 8 * MIN)))))
          .containsExactly(Status.DUPLICATE, Status.DUPLICATE, Status.STORED);
    }
  }

  @Test
  void randomStreamsWithRestartsStoreExactlyTheFirstOccurrenceOfEachKey() throws Exception {
    Random rnd = new Random(42);
    for (int round = 0; round < 5; round++) {
      Path d = dir.resolve("r" + round);
      Set<String> seen = new HashSet<>();
      List<String> expectedStored = new ArrayList<>();
      List<String> actuallyStored = new ArrayList<>();
      RealtimeStore s = RealtimeStore.open(options(d).partitions(3).build());
      try {
        for (int batch = 0; batch < 40; batch++) {
          if (rnd.nextInt(10) == 0) {
            s.close();
            s = RealtimeStore.open(options(d).partitions(3).build());
          }
          List<Event> events = new ArrayList<>();
          int n = 1 + rnd.nextInt(30);
          for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(200);
            String id = "k" + k;
            String src = rnd.nextBoolean() ? "src" : "src2";
            // a re-sent event carries the same user, so it lands in the same partition as the
            // original
            events.add(
                event("user" + (k % 20), id, T0 + rnd.nextInt(14) * MIN).toBuilder()
                    .sourceId(src)
                    .build());
          }
          List<AppendResult> r = s.append(events);
          for (int i = 0; i < n; i++) {
            String key = events.get(i).sourceId() + "/" + events.get(i).insertId();
            if (seen.add(key)) {
              expectedStored.add(key);
            }
            if (r.get(i).status() == Status.STORED) {
              actuallyStored.add(key);
            }
          }
        }
        assertThat(actuallyStored).containsExactlyElementsOf(expectedStored);
        long total = 0;
        for (int p = 0; p < s.partitionCount(); p++) {
          total += s.read(p, 0, 100_000).size();
        }
        assertThat(total).isEqualTo(expectedStored.size());
      } finally {
        s.close();
      }
    }
  }
}
