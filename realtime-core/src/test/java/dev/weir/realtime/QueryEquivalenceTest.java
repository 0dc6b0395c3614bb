package dev.weir.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.realtime.SegmentationQuery.Bucket;
import dev.weir.realtime.SegmentationQuery.Metric;
import dev.weir.sdk.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: over random events, filters and groupings, the vectorised engine answers exactly what
 * the row-by-row {@link ReferenceQueries} answers, while the data sits in memory blocks, evicted
 * block files, small chunks and merged chunks, and again after the store is reopened.
 */
class QueryEquivalenceTest {
  static final long T0 = 1_700_000_000_000L - (1_700_000_000_000L % 3_600_000L);
  static final long MIN = 60_000L;
  static final String[] TYPES = {"view", "cart", "buy", "share"};
  static final String[] PLANS = {"free", "pro", "team"};
  static final String[] SOURCES = {"web", "app", "web:quarantine"};
  static final String[] PROPS = {
    "event_properties.plan",
    "event_properties.price",
    "event_properties.tag",
    "event_properties.mixed",
    "user_properties.tier",
    "platform",
    "country",
    "source_id",
    "event_type"
  };

  @TempDir Path dir;

  static Event randomEvent(Random rnd, int i, long upload) {
    Map<String, Object> ep = new HashMap<>();
    if (rnd.nextInt(5) > 0) {
      ep.put("plan", PLANS[rnd.nextInt(PLANS.length)]);
    }
    if (rnd.nextInt(4) > 0) {
      ep.put("price", rnd.nextInt(100));
    }
    if (rnd.nextBoolean()) {
      ep.put("tag", "t" + rnd.nextInt(30) + (rnd.nextBoolean() ? "-sale" : ""));
    }
    switch (rnd.nextInt(4)) {
      case 0 -> ep.put("mixed", rnd.nextInt(5));
      case 1 -> ep.put("mixed", "m" + rnd.nextInt(3));
      case 2 -> ep.put("mixed", rnd.nextInt(10) / 2.0);
      default -> {}
    }
    Map<String, Object> up = new HashMap<>();
    if (rnd.nextBoolean()) {
      up.put("tier", rnd.nextInt(3));
    }
    Event.Builder b =
        Event.builder()
            .eventType(TYPES[rnd.nextInt(TYPES.length)])
            .insertId("i" + i)
            .sourceId(SOURCES[rnd.nextInt(SOURCES.length)])
            .uploadTime(upload)
            .eventProperties(ep)
            .userProperties(up);
    if (rnd.nextInt(10) > 0) {
      b.userId("u" + rnd.nextInt(40));
    } else if (rnd.nextBoolean()) {
      b.deviceId("d" + rnd.nextInt(10));
    }
    if (rnd.nextInt(8) > 0) {
      b.time(upload - rnd.nextInt(5 * 60_000));
    }
    if (rnd.nextBoolean()) {
      b.platform(rnd.nextBoolean() ? "ios" : "android");
    }
    if (rnd.nextInt(3) == 0) {
      b.country(rnd.nextBoolean() ? "DE" : "FR");
    }
    return b.build();
  }

  static Object randomValue(Random rnd, String prop) {
    return switch (prop) {
      case "event_properties.plan" -> PLANS[rnd.nextInt(PLANS.length)];
      case "event_properties.price" ->
          rnd.nextBoolean() ? rnd.nextInt(100) : rnd.nextInt(100) + 0.5;
      case "event_properties.tag" -> "t" + rnd.nextInt(30);
      case "event_properties.mixed" ->
          rnd.nextBoolean() ? (Object) rnd.nextInt(5) : (Object) ("m" + rnd.nextInt(3));
      case "user_properties.tier" -> rnd.nextInt(3);
      case "platform" -> rnd.nextBoolean() ? "ios" : "android";
      case "country" -> rnd.nextBoolean() ? "DE" : "FR";
      case "source_id" -> SOURCES[rnd.nextInt(SOURCES.length)];
      default -> TYPES[rnd.nextInt(TYPES.length)];
    };
  }

  static Filter randomFilter(Random rnd, int depth) {
    if (depth > 0 && rnd.nextInt(4) == 0) {
      List<Filter> kids = new ArrayList<>();
      for (int i = 0; i <= rnd.nextInt(3); i++) {
        kids.add(randomFilter(rnd, depth - 1));
      }
      return rnd.nextBoolean() ? Filter.and(kids) : Filter.or(kids);
    }
    String p = PROPS[rnd.nextInt(PROPS.length)];
    Filter.Op op = Filter.Op.values()[rnd.nextInt(Filter.Op.EXISTS.ordinal() + 1)];
    return switch (op) {
      case EXISTS -> Filter.exists(p);
      case IN, NOT_IN -> new Filter(p, op, List.of(randomValue(rnd, p), randomValue(rnd, p)));
      case CONTAINS -> Filter.contains(p, rnd.nextBoolean() ? "sale" : "1");
      default -> new Filter(p, op, List.of(randomValue(rnd, p)));
    };
  }

  static List<Filter> randomFilters(Random rnd) {
    List<Filter> out = new ArrayList<>();
    for (int i = 0; i < rnd.nextInt(3); i++) {
      out.add(randomFilter(rnd, 2));
    }
    return out;
  }

  static List<String> randomSources(Random rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> List.of("web");
      case 1 -> List.of("web", "web:quarantine");
      default -> List.of();
    };
  }

  private void assertSame(SegmentationResult got, SegmentationResult want, Object q) {
    assertThat(got.groups()).as("groups of %s", q).isEqualTo(want.groups());
    for (String g : want.groups()) {
      SortedMap<Long, Double> w = want.values().get(g);
      SortedMap<Long, Double> v = got.values().get(g);
      assertThat(v.keySet()).as("buckets of %s in %s", g, q).isEqualTo(w.keySet());
      w.forEach((b, x) -> assertThat(v.get(b)).as("%s/%s in %s", g, b, q).isCloseTo(x, within(x)));
      assertThat(got.totals().get(g))
          .as("total of %s in %s", g, q)
          .isCloseTo(want.totals().get(g), within(want.totals().get(g)));
    }
  }

  private static org.assertj.core.data.Offset<Double> within(double x) {
    return org.assertj.core.data.Offset.offset(Math.abs(x) * 1e-9 + 1e-9);
  }

  private void checkAll(RealtimeStore store, List<Event> stored, Random rnd, int queries) {
    ReferenceQueries ref = new ReferenceQueries(stored);
    for (int i = 0; i < queries; i++) {
      long from = T0 + rnd.nextInt(120) * MIN - 30 * MIN;
      long to = from + (1 + rnd.nextInt(180)) * MIN;
      String type = rnd.nextInt(3) == 0 ? null : TYPES[rnd.nextInt(TYPES.length)];
      Metric metric = Metric.values()[rnd.nextInt(Metric.values().length)];
      String group = rnd.nextBoolean() ? null : PROPS[rnd.nextInt(PROPS.length)];
      SegmentationQuery sq =
          new SegmentationQuery(
              type,
              randomFilters(rnd),
              from,
              to,
              Bucket.values()[rnd.nextInt(2)],
              metric,
              group,
              metric.numeric()
                  ? (rnd.nextBoolean() ? "event_properties.price" : "event_properties.mixed")
                  : null,
              rnd.nextInt(3),
              randomSources(rnd));
      assertSame(store.segmentation(sq), ref.segmentation(sq), sq);
      List<FunnelQuery.Step> steps = new ArrayList<>();
      for (int s = 0; s <= 1 + rnd.nextInt(3); s++) {
        steps.add(
            new FunnelQuery.Step(
                rnd.nextInt(4) == 0 ? null : TYPES[rnd.nextInt(TYPES.length)],
                rnd.nextBoolean() ? List.of() : randomFilters(rnd)));
      }
      FunnelQuery fq =
          new FunnelQuery(
              steps,
              from,
              to,
              rnd.nextInt(60) * MIN,
              rnd.nextInt(3) == 0 ? "event_properties.plan" : null,
              randomSources(rnd));
      assertThat(store.funnel(fq)).as("%s", fq).isEqualTo(ref.funnel(fq));
      RetentionQuery rq =
          new RetentionQuery(
              steps.get(0),
              steps.get(1),
              from,
              to,
              Bucket.values()[rnd.nextInt(2)],
              1 + rnd.nextInt(4),
              randomSources(rnd));
      assertThat(store.retention(rq)).as("%s", rq).isEqualTo(ref.retention(rq));
      AudienceQuery aq = new AudienceQuery(type, randomFilters(rnd), from, to, randomSources(rnd));
      assertThat(store.audience(aq)).as("%s", aq).isEqualTo(ref.audience(aq));
    }
  }

  private StoreOptions options(int mergeRows) {
    return StoreOptions.builder(dir)
        .partitions(3)
        .blockInterval(Duration.ofMinutes(5))
        .cachedBlocksPerPartition(2)
        .blocksPerChunk(2)
        .mergedChunkRows(mergeRows)
        .fsyncPolicy(StoreOptions.FsyncPolicy.NONE)
        .cleanupInterval(Duration.ZERO)
        .build();
  }

  @Test
  void vectorisedAnswersEqualRowByRowOnesAcrossBlocksChunksMergesAndReopen() throws Exception {
    for (long seed = 1; seed <= 3; seed++) {
      Random rnd = new Random(seed);
      java.nio.file.Files.createDirectories(dir);
      List<Event> stored = new ArrayList<>();
      try (RealtimeStore store = RealtimeStore.open(options(seed == 1 ? 0 : 300))) {
        int n = 0;
        for (int batch = 0; batch < 40; batch++) {
          List<Event> evs = new ArrayList<>();
          for (int k = 0; k < 50; k++, n++) {
            evs.add(randomEvent(rnd, n, T0 + n * 3_000L));
          }
          store.append(evs);
          stored.addAll(evs);
          if (batch == 5 || batch == 39) {
            checkAll(store, stored, rnd, 8);
          }
        }
        if (seed > 1) {
          store.mergeChunksNow();
          assertThat(store.chunks().size())
              .as("logical chunks outnumber chunk files once merged")
              .isGreaterThan(store.stats().chunks());
        }
        assertThat(store.stats().chunks()).isPositive();
        assertThat(store.stats().blocksInMemory()).isPositive();
        checkAll(store, stored, rnd, 12);
      }
      try (RealtimeStore store = RealtimeStore.open(options(300))) {
        checkAll(store, stored, rnd, 8);
      }
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path p) throws java.io.IOException {
    try (var s = java.nio.file.Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              f -> {
                try {
                  java.nio.file.Files.delete(f);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
    }
  }
}
