package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.MIN;
import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.event;
import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.realtime.SegmentationQuery.Bucket;
import dev.weir.realtime.SegmentationQuery.Metric;
import dev.weir.sdk.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** query_memory_bytes refuses a query that would hold more; the identity dictionary is bounded. */
class QueryMemoryTest {
  @TempDir Path dir;

  private static final long HOUR = 60 * MIN;

  /** {@code n} events of {@code n} distinct users, each with its own order id, over 100 minutes. */
  private static List<Event> manyUsers(String prefix, int n, long from) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          event(
              prefix + i,
              prefix + "-" + i,
              from + (long) i * 100 * MIN / n,
              i % 2 == 0 ? "view" : "buy",
              Map.of("order", prefix + "-order-" + i, "price", i % 100)));
    }
    return out;
  }

  private static SegmentationQuery countPerHour(String type) {
    return new SegmentationQuery(
        type, List.of(), T0, T0 + 3 * HOUR, Bucket.HOUR, Metric.COUNT, null);
  }

  /** One group per event: its order id. */
  private static SegmentationQuery countPerHourByOrder() {
    return new SegmentationQuery(
        null, List.of(), T0, T0 + 3 * HOUR, Bucket.HOUR, Metric.COUNT, "event_properties.order");
  }

  @Test
  void aQueryOverTheMemoryBudgetIsRefusedWithAClearErrorAndOtherQueriesStillAnswer()
      throws Exception {
    // 20 KB: a count per hour needs ~100 bytes, a funnel over 4,000 rows needs 28 bytes a row,
    // a group-by over 4,000 distinct orders needs ~100 bytes a group, an audience 4,000 names
    try (RealtimeStore s =
        RealtimeStore.open(options(dir).partitions(2).queryMemoryBytes(20_000).build())) {
      s.append(manyUsers("u", 4_000, T0));
      assertThat(s.problems()).isEmpty();
      assertThat(s.segmentation(countPerHour(null)).totals().get("")).isEqualTo(4_000.0);

      FunnelQuery funnel =
          new FunnelQuery(
              List.of(
                  new FunnelQuery.Step("view", List.of()), new FunnelQuery.Step(null, List.of())),
              T0,
              T0 + 3 * HOUR,
              HOUR,
              null,
              null);
      assertThatThrownBy(() -> s.funnel(funnel))
          .isInstanceOf(QueryTooLargeException.class)
          .hasMessageContaining("query_memory_bytes (20000 bytes)")
          .hasMessageContaining("narrow its time range or filters");
      assertThatThrownBy(() -> s.segmentation(countPerHourByOrder()))
          .isInstanceOf(QueryTooLargeException.class)
          .hasMessageContaining("query_memory_bytes");
      AudienceQuery everyone = new AudienceQuery(null, List.of(), T0, T0 + 3 * HOUR, null);
      assertThatThrownBy(() -> s.audience(everyone))
          .isInstanceOf(QueryTooLargeException.class)
          .hasMessageContaining("query_memory_bytes");

      // the budget is per query: small ones keep answering, also while a big one is refused
      ExecutorService two = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 5; round++) {
          CompletableFuture<Throwable> big =
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      s.funnel(funnel);
                      return null;
                    } catch (Throwable t) {
                      return t;
                    }
                  },
                  two);
          CompletableFuture<SegmentationResult> small =
              CompletableFuture.supplyAsync(() -> s.segmentation(countPerHour("view")), two);
          assertThat(big.get(30, TimeUnit.SECONDS)).isInstanceOf(QueryTooLargeException.class);
          assertThat(small.get(30, TimeUnit.SECONDS).totals().get("")).isEqualTo(2_000.0);
        }
      } finally {
        two.shutdownNow();
      }
      AudienceQuery one =
          new AudienceQuery(
              null,
              List.of(Filter.eq("event_properties.order", "u-order-7")),
              T0,
              T0 + 3 * HOUR,
              null);
      assertThat(s.audience(one)).containsExactly("u7");
      // and the store still takes events
      s.append(manyUsers("w", 10, T0 + 70 * MIN));
      assertThat(s.segmentation(countPerHour(null)).totals().get("")).isEqualTo(4_010.0);
    }
  }

  @Test
  void theSameQueriesAnswerUnderTheDefaultBudget() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(2).build())) {
      s.append(manyUsers("u", 4_000, T0));
      AudienceQuery everyone = new AudienceQuery(null, List.of(), T0, T0 + 3 * HOUR, null);
      assertThat(s.audience(everyone)).hasSize(4_000);
      assertThat(s.segmentation(countPerHourByOrder()).totals()).hasSize(4_000);
    }
  }

  @Test
  void aQueryRetriedBecauseBackgroundChunkingMovedFilesStillCountsEveryRow() throws Exception {
    // right after an append, block files are being chunked in the background: a query that finds
    // one gone starts again from a fresh snapshot and must not skip that retry's tasks
    AudienceQuery everyone = new AudienceQuery(null, List.of(), T0, T0 + 3 * HOUR, null);
    for (int round = 0; round < 6; round++) {
      try (RealtimeStore s =
          RealtimeStore.open(options(dir.resolve("r" + round)).partitions(2).build())) {
        s.append(manyUsers("u", 4_000, T0));
        assertThat(s.audience(everyone)).hasSize(4_000);
        assertThat(s.segmentation(countPerHour(null)).totals().get("")).isEqualTo(4_000.0);
      }
    }
  }

  private static Set<String> dictionary(RealtimeStore s) {
    Identities ids = s.queryEngine().identities();
    Set<String> out = new HashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      out.add(ids.name(i));
    }
    return out;
  }

  @Test
  void theIdentityDictionaryLetsGoOfUsersWhoseDataLeftTheStore() throws Exception {
    try (RealtimeStore s =
        RealtimeStore.open(
            options(dir)
                .partitions(1)
                .blocksPerChunk(2)
                .batchLag(1)
                .cachedBlocksPerPartition(1)
                .build())) {
      // batch 0: 3,000 users over 100 minutes, most of it sealed into chunks
      s.append(manyUsers("old", 3_000, T0));
      assertThat(s.chunks()).isNotEmpty();
      AudienceQuery everyone = new AudienceQuery(null, List.of(), T0, T0 + 10 * HOUR, null);
      assertThat(s.audience(everyone)).hasSize(3_000);
      assertThat(dictionary(s)).hasSize(3_000);

      // batch 1: a few new users, hours later; batch 0's chunks are then cleaned up
      s.advanceBatch();
      s.append(manyUsers("new", 20, T0 + 5 * HOUR));
      s.advanceBatch();
      CleanupReport done = s.cleanup();
      assertThat(done.deleted()).isNotEmpty();
      Set<String> left = s.audience(everyone);
      assertThat(left).anyMatch(u -> u.startsWith("new")).hasSizeLessThan(3_000);
      assertThat(dictionary(s)).isEqualTo(left);

      // a deleted user is gone from the dictionary too
      String gone = left.stream().filter(u -> u.startsWith("new")).findFirst().orElseThrow();
      assertThat(s.deleteUser("src", gone)).isEqualTo(1);
      Set<String> after = s.audience(everyone);
      assertThat(after).doesNotContain(gone).hasSize(left.size() - 1);
      assertThat(dictionary(s)).isEqualTo(after).doesNotContain(gone);
    }
  }
}
