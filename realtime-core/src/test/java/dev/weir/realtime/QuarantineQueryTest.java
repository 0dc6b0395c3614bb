package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.MIN;
import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quarantine copies ({@code <source>:quarantine}) are stored beside their source but every query
 * type leaves them out unless the query names them, in cached blocks and in chunks alike.
 */
class QuarantineQueryTest {
  @TempDir Path dir;
  private RealtimeStore store;
  private static final long FROM = T0;
  private static final long TO = T0 + 120 * MIN;

  /** w1..w3 in "web", q1..q2 only in quarantine; each views then buys, spread over an hour. */
  @BeforeEach
  void open() throws Exception {
    store = RealtimeStore.open(options(dir).partitions(2).blocksPerChunk(2).build());
    List<Event> events = new ArrayList<>();
    int n = 0;
    for (int round = 0; round < 6; round++) {
      long t = T0 + round * 10 * MIN;
      for (String u : List.of("w1", "w2", "w3", "q1", "q2")) {
        String source = u.startsWith("q") ? "web:quarantine" : "web";
        events.add(event(u, source, "view", t, n++));
        events.add(event(u, source, "buy", t + MIN, n++));
      }
    }
    for (Event e : events) {
      store.append(List.of(e));
    }
    assertThat(store.chunks()).as("some events are read from chunks").isNotEmpty();
    assertThat(store.stats().blocksInMemory()).as("some from cached blocks").isPositive();
  }

  @org.junit.jupiter.api.AfterEach
  void close() throws Exception {
    store.close();
  }

  private static Event event(String user, String source, String type, long t, int n) {
    return Event.builder()
        .eventType(type)
        .userId(user)
        .insertId("i" + n)
        .sourceId(source)
        .uploadTime(t)
        .time(t)
        .build();
  }

  private double count(List<String> sources) {
    return store
        .segmentation(
            new SegmentationQuery(
                "view",
                List.of(),
                FROM,
                TO,
                SegmentationQuery.Bucket.DAY,
                SegmentationQuery.Metric.COUNT,
                null,
                null,
                0,
                sources))
        .totals()
        .get("");
  }

  @Test
  void segmentationCountsQuarantineOnlyWhenItIsNamed() {
    assertThat(count(List.of())).isEqualTo(18.0);
    assertThat(count(List.of("web"))).isEqualTo(18.0);
    assertThat(count(List.of("web:quarantine"))).isEqualTo(12.0);
    assertThat(count(List.of("web", "web:quarantine"))).isEqualTo(30.0);
    double uniques =
        store
            .segmentation(
                new SegmentationQuery(
                    null,
                    List.of(),
                    FROM,
                    TO,
                    SegmentationQuery.Bucket.HOUR,
                    SegmentationQuery.Metric.UNIQUES,
                    "source_id"))
            .totals()
            .values()
            .stream()
            .mapToDouble(Double::doubleValue)
            .sum();
    assertThat(uniques).isEqualTo(3.0);
  }

  @Test
  void funnelAndRetentionLeaveQuarantinedUsersOutUnlessNamed() {
    List<FunnelQuery.Step> steps =
        List.of(new FunnelQuery.Step("view", List.of()), new FunnelQuery.Step("buy", List.of()));
    assertThat(
            store
                .funnel(new FunnelQuery(steps, FROM, TO, 10 * MIN, null, List.of()))
                .usersPerStep())
        .containsExactly(3L, 3L);
    assertThat(
            store
                .funnel(new FunnelQuery(steps, FROM, TO, 10 * MIN, null, List.of("web:quarantine")))
                .usersPerStep())
        .containsExactly(2L, 2L);
    RetentionResult r =
        store.retention(
            new RetentionQuery(
                steps.get(0), steps.get(1), FROM, TO, SegmentationQuery.Bucket.DAY, 1, List.of()));
    assertThat(r.cohorts()).singleElement().satisfies(c -> assertThat(c.users()).isEqualTo(3));
    RetentionResult named =
        store.retention(
            new RetentionQuery(
                steps.get(0),
                steps.get(1),
                FROM,
                TO,
                SegmentationQuery.Bucket.DAY,
                1,
                List.of("web", "web:quarantine")));
    assertThat(named.cohorts()).singleElement().satisfies(c -> assertThat(c.users()).isEqualTo(5));
  }

  @Test
  void anAudienceHoldsNoQuarantinedUserUnlessTheQuarantineIsNamed() {
    assertThat(store.audience(new AudienceQuery("buy", List.of(), FROM, TO)))
        .containsExactlyInAnyOrder("w1", "w2", "w3");
    assertThat(
            store.audience(
                new AudienceQuery("buy", List.of(), FROM, TO, List.of("web:quarantine"))))
        .containsExactlyInAnyOrder("q1", "q2");
  }
}
