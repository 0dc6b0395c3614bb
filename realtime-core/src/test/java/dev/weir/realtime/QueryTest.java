package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.MIN;
import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.event;
import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.weir.realtime.SegmentationQuery.Bucket;
import dev.weir.realtime.SegmentationQuery.Metric;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryTest {
  @TempDir Path dir;

  private RealtimeStore storeWithShop() throws Exception {
    RealtimeStore s = RealtimeStore.open(options(dir).partitions(3).build());
    s.append(
        List.of(
            event("alice", "1", T0, "view", Map.of("plan", "pro", "price", 10)),
            event("alice", "2", T0 + MIN, "cart", Map.of("plan", "pro", "price", 10)),
            event("alice", "3", T0 + 2 * MIN, "buy", Map.of("plan", "pro", "price", 10)),
            event("bob", "4", T0 + 30_000, "view", Map.of("plan", "free", "price", 50)),
            event("bob", "5", T0 + 90 * MIN, "cart", Map.of("plan", "free")),
            event("carol", "6", T0 + 65 * MIN, "view", Map.of("price", 99)),
            event("carol", "7", T0 + 66 * MIN, "view", Map.of("price", 5)),
            event("dave", "8", T0 + 3 * MIN, "cart", Map.of("plan", "pro"))));
    return s;
  }

  @Test
  void segmentationCountsEventsPerBucketWithFiltersAndGroupBy() throws Exception {
    try (RealtimeStore s = storeWithShop()) {
      SegmentationResult all =
          s.segmentation(
              new SegmentationQuery(
                  "view", List.of(), T0, T0 + 3 * 60 * MIN, Bucket.HOUR, Metric.COUNT, null));
      assertThat(all.series())
          .isEqualTo(
              Map.of(
                      "",
                      new TreeMap<>(
                          Map.of(T0 - T0 % 3_600_000L, 2L, T0 - T0 % 3_600_000L + 3_600_000L, 2L)))
                  .entrySet()
                  .stream()
                  .collect(
                      java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
      SegmentationResult byPlan =
          s.segmentation(
              new SegmentationQuery(
                  null,
                  List.of(Filter.exists("event_properties.price")),
                  T0,
                  T0 + 10 * MIN,
                  Bucket.DAY,
                  Metric.COUNT,
                  "event_properties.plan"));
      long day = Math.floorDiv(T0, 86_400_000L) * 86_400_000L;
      assertThat(byPlan.series()).containsOnlyKeys("pro", "free");
      assertThat(byPlan.series().get("pro")).containsExactly(Map.entry(day, 3L));
      assertThat(byPlan.series().get("free")).containsExactly(Map.entry(day, 1L));
      SegmentationResult cheap =
          s.segmentation(
              new SegmentationQuery(
                  null,
                  List.of(
                      Filter.lt("event_properties.price", 20),
                      Filter.ne("event_properties.plan", "free")),
                  T0,
                  T0 + 200 * MIN,
                  Bucket.DAY,
                  Metric.COUNT,
                  null));
      assertThat(cheap.series().get("")).containsExactly(Map.entry(day, 4L));
      SegmentationResult minutes =
          s.segmentation(
              new SegmentationQuery(
                  null,
                  List.of(Filter.in("event_properties.plan", List.of("pro", "free"))),
                  T0,
                  T0 + 2 * MIN,
                  Bucket.MINUTE,
                  Metric.COUNT,
                  null));
      assertThat(minutes.series().get(""))
          .containsExactly(Map.entry(T0, 2L), Map.entry(T0 + MIN, 1L));
    }
  }

  @Test
  void segmentationCountsDistinctUsersAcrossPartitions() throws Exception {
    try (RealtimeStore s = storeWithShop()) {
      long day = Math.floorDiv(T0, 86_400_000L) * 86_400_000L;
      SegmentationResult u =
          s.segmentation(
              new SegmentationQuery(
                  null, List.of(), T0, T0 + 200 * MIN, Bucket.DAY, Metric.UNIQUES, null));
      assertThat(u.series().get("")).containsExactly(Map.entry(day, 4L));
      SegmentationResult viewers =
          s.segmentation(
              new SegmentationQuery(
                  "view",
                  List.of(Filter.gt("event_properties.price", 1)),
                  T0,
                  T0 + 200 * MIN,
                  Bucket.DAY,
                  Metric.UNIQUES,
                  null));
      assertThat(viewers.series().get("")).containsExactly(Map.entry(day, 3L));
    }
  }

  @Test
  void funnelCountsUsersReachingEachStepWithinTheConversionWindow() throws Exception {
    try (RealtimeStore s = storeWithShop()) {
      FunnelQuery q =
          new FunnelQuery(
              List.of(
                  new FunnelQuery.Step("view", List.of()),
                  new FunnelQuery.Step("cart", List.of()),
                  new FunnelQuery.Step("buy", List.of())),
              T0,
              T0 + 120 * MIN,
              30 * MIN);
      // alice converts fully; bob's cart is 90 minutes after his view (outside 30); carol only
      // views; dave never views
      assertThat(s.funnel(q).usersPerStep()).containsExactly(3L, 1L, 1L);
      FunnelQuery wide = new FunnelQuery(q.steps(), T0, T0 + 120 * MIN, 120 * MIN);
      assertThat(wide.steps()).hasSize(3);
      assertThat(s.funnel(wide).usersPerStep()).containsExactly(3L, 2L, 1L);
    }
  }

  @Test
  void audienceListsTheMatchingUsers() throws Exception {
    try (RealtimeStore s = storeWithShop()) {
      Set<String> pro =
          s.audience(
              new AudienceQuery(
                  null, List.of(Filter.eq("event_properties.plan", "pro")), T0, T0 + 200 * MIN));
      assertThat(pro).containsExactlyInAnyOrder("alice", "dave");
      assertThat(s.audience(new AudienceQuery("view", List.of(), T0 + 60 * MIN, T0 + 200 * MIN)))
          .containsExactly("carol");
    }
  }

  @Test
  void queriesReadCachedBlocksWithoutChangingTheCachesAccessOrderOrStatistics() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(1).build())) {
      s.append(List.of(event("u1", "a", T0, "view", Map.of())));
      s.append(List.of(event("u1", "b", T0 + 6 * MIN, "view", Map.of())));
      Partition p = s.partition(0);
      var expiry = p.cache.policy().expireVariably().orElseThrow();
      Map<Long, Duration> before = new TreeMap<>();
      for (Long k : p.live.keySet()) {
        before.put(k, expiry.getExpiresAfter(k).orElseThrow());
      }
      CacheStats statsBefore = p.cache.stats();
      var order = p.cache.policy().expireVariably().orElseThrow().oldest(2);
      for (int i = 0; i < 3; i++) {
        s.segmentation(
            new SegmentationQuery(
                "view", List.of(), T0, T0 + 60 * MIN, Bucket.HOUR, Metric.COUNT, null));
        s.audience(new AudienceQuery(null, List.of(), T0, T0 + 60 * MIN));
        s.read(0, 0, 10);
      }
      assertThat(p.cache.stats()).isEqualTo(statsBefore);
      assertThat(p.cache.policy().expireVariably().orElseThrow().oldest(2)).isEqualTo(order);
      for (Long k : p.live.keySet()) {
        assertThat(expiry.getExpiresAfter(k).orElseThrow()).isEqualTo(before.get(k));
      }
      assertThat(s.audience(new AudienceQuery(null, List.of(), T0, T0 + 60 * MIN)))
          .containsExactly("u1");
    }
  }
}
