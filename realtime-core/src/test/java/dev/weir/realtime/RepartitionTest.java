package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.MIN;
import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.event;
import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sdk.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepartitionTest {
  @TempDir Path dir;

  /** 600 events of 40 users over three hours of upload time: sealed chunks and cached blocks. */
  private static List<Event> history() {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      out.add(event("u" + (i % 40), "e-" + i, T0 + i * 18_000L, "view", Map.of("n", i)));
    }
    return out;
  }

  private static List<Event> all(RealtimeStore s) throws Exception {
    List<Event> out = new ArrayList<>();
    for (int p = 0; p < s.partitionCount(); p++) {
      s.read(p, 0, 100_000).forEach(e -> out.add(e.event()));
    }
    return out;
  }

  @Test
  void aStoreRepartitionedOfflineHoldsEveryEventInItsNewPartitionAndStillDeduplicatesThem()
      throws Exception {
    List<Event> sent = history();
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(2).build())) {
      s.append(sent);
      assertThat(s.chunks()).isNotEmpty();
    }
    Files.createDirectories(dir.resolve("delivery/cursors")); // the host's state stays where it is
    Files.writeString(dir.resolve("delivery/cursors/hook.json"), "{}");

    StoreRepartition.Report r = StoreRepartition.repartition(options(dir).build(), 5);
    assertThat(r.from()).isEqualTo(2);
    assertThat(r.to()).isEqualTo(5);
    assertThat(r.events()).isEqualTo(600);
    assertThat(dir.resolve("before-repartition/p0")).isDirectory();
    assertThat(dir.resolve("repartition-new")).doesNotExist();
    assertThat(dir.resolve("delivery/cursors/hook.json")).hasContent("{}");

    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(5).build())) {
      List<Event> read = all(s);
      TestEvents.assertEqualFieldByField(sent, read);
      for (int p = 0; p < 5; p++) {
        for (StoredEvent e : s.read(p, 0, 100_000)) {
          assertThat(Keys.partitionOf(e.event().userId(), 5)).isEqualTo(p);
        }
      }
      assertThat(s.append(sent))
          .as("every event is still known to dedup")
          .extracting(AppendResult::status)
          .containsOnly(AppendResult.Status.DUPLICATE);
      assertThat(s.stats().stored()).isEqualTo(600);
    }
    assertThatThrownBy(() -> RealtimeStore.open(options(dir).partitions(2).build()))
        .hasMessageContaining("has 5 partitions");
  }

  @Test
  void aRepartitionToTheSameCountOrWithAnEarlierCopyLeftIsRefusedWithTheStoreUnchanged()
      throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(2).build())) {
      s.append(List.of(event("u1", "a", T0), event("u2", "b", T0 + MIN)));
    }
    assertThatThrownBy(() -> StoreRepartition.repartition(options(dir).build(), 2))
        .hasMessageContaining("already has 2 partitions");
    Files.createDirectories(dir.resolve("before-repartition"));
    assertThatThrownBy(() -> StoreRepartition.repartition(options(dir).build(), 3))
        .hasMessageContaining("before-repartition")
        .hasMessageContaining("delete it first");
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(2).build())) {
      assertThat(all(s)).extracting(Event::insertId).containsExactlyInAnyOrder("a", "b");
    }
  }
}
