package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.MIN;
import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.event;
import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.realtime.SegmentationQuery.Bucket;
import dev.weir.realtime.SegmentationQuery.Metric;
import dev.weir.sdk.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query over a subset of partitions (what a cluster node answers for its partitions) counts only
 * those partitions, and the answers of disjoint subsets add up exactly to the whole store's, users
 * included, because a user lives in one partition.
 */
class PartitionSubsetQueryTest {
  @TempDir Path dir;

  @Test
  void disjointPartitionSubsetsAddUpToTheWholeStoreIncludingDistinctUsers() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(4).build())) {
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        events.add(event("u" + (i % 37), "i" + i, T0 + i * 1_000L));
      }
      s.append(events);
      long perPartitionTotal = 0;
      double uniques = 0;
      for (int p = 0; p < 4; p++) {
        SegmentationResult count = s.segmentation(query(Metric.COUNT), Set.of(p));
        SegmentationResult users = s.segmentation(query(Metric.UNIQUES), Set.of(p));
        perPartitionTotal += total(count);
        uniques += total(users);
        assertThat(total(count)).isEqualTo(s.partitionStats(p).stored());
      }
      assertThat(perPartitionTotal).isEqualTo(200);
      assertThat(uniques).isEqualTo(37);
      assertThat(total(s.segmentation(query(Metric.UNIQUES)))).isEqualTo(37);
      assertThat(total(s.segmentation(query(Metric.COUNT), Set.of(0, 1))))
          .isEqualTo(s.partitionStats(0).stored() + s.partitionStats(1).stored());
      assertThat(total(s.segmentation(query(Metric.COUNT), Set.of()))).isZero();
    }
  }

  private static SegmentationQuery query(Metric m) {
    return new SegmentationQuery(null, List.of(), T0, T0 + 60 * MIN, Bucket.DAY, m, null);
  }

  private static long total(SegmentationResult r) {
    double sum = 0;
    for (double v : r.totals().values()) {
      sum += v;
    }
    return (long) sum;
  }
}
