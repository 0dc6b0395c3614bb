package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sdk.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchingAndConfigTest {
  private static Item item(int i) {
    return new Item(
        0,
        i,
        Event.builder().eventType("e").userId("u" + i).insertId("i" + i).build(),
        (x, y) -> {},
        0);
  }

  @Test
  void batchClosesOnCount() {
    Batcher b = new Batcher(3, 1 << 20, 1000);
    assertThat(b.add(item(1), "k", 0, 0)).isEmpty();
    assertThat(b.add(item(2), "k", 0, 0)).isEmpty();
    assertThat(b.add(item(3), "k", 0, 0))
        .singleElement()
        .satisfies(x -> assertThat(x.items()).hasSize(3));
  }

  @Test
  void batchClosesOnBytesBeforeOverflowing() {
    long size = item(1).bytes;
    Batcher b = new Batcher(100, size * 2 + 1, 1000);
    b.add(item(1), "k", 0, 0);
    b.add(item(2), "k", 0, 0);
    List<Batch> closed = b.add(item(3), "k", 0, 0);
    assertThat(closed).singleElement().satisfies(x -> assertThat(x.items()).hasSize(2));
  }

  @Test
  void batchClosesOnTimeAndKeysKeepSeparateBatches() {
    Batcher b = new Batcher(100, 1 << 20, 50);
    b.add(item(1), "a", 0, 0);
    b.add(item(2), "b", 0, 10);
    assertThat(b.nextDeadline()).isEqualTo(50);
    assertThat(b.due(49, false)).isEmpty();
    assertThat(b.due(50, false))
        .singleElement()
        .satisfies(x -> assertThat(x.items()).extracting(i -> i.sequence).containsExactly(1L));
    assertThat(b.due(50, true)).hasSize(1);
  }

  @Test
  void configReadsSnakeCaseKeysAndFilter() {
    DestinationConfig c =
        DestinationConfig.fromConfig(
            "crm",
            Map.of(
                "max_batch_events",
                100,
                "max_batch_delay_ms",
                500,
                "requests_per_second",
                5.5,
                "ordered_per_user",
                true,
                "batch_key",
                "groups.account",
                "filter",
                Map.of(
                    "sources",
                    List.of("web"),
                    "event_types",
                    List.of("purchase"),
                    "properties",
                    Map.of("plan", List.of("pro", "team")))));
    assertThat(c.maxBatchEvents()).isEqualTo(100);
    assertThat(c.maxBatchDelay()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.requestsPerSecond()).isEqualTo(5.5);
    assertThat(c.orderedPerUser()).isTrue();
    assertThat(c.maxRetryAge()).isEqualTo(Duration.ofHours(4));
    Event pro =
        Event.builder()
            .eventType("purchase")
            .sourceId("web")
            .groups(Map.of("account", "acme"))
            .eventProperties(Map.of("plan", "pro"))
            .build();
    assertThat(c.filter().test(pro)).isTrue();
    assertThat(c.filter().test(pro.toBuilder().eventType("view").build())).isFalse();
    assertThat(c.filter().test(pro.toBuilder().eventProperties(Map.of("plan", "free")).build()))
        .isFalse();
    assertThat(c.filter().test(pro.toBuilder().sourceId("ios").build())).isFalse();
    assertThat(c.batchKey().apply(pro)).isEqualTo("acme");
  }

  @Test
  void badConfigValuesAreRejectedNamingTheKey() {
    assertThatThrownBy(() -> DestinationConfig.fromConfig("x", Map.of("max_batch_events", 0)))
        .hasMessageContaining("max_batch_events");
    assertThatThrownBy(() -> DestinationConfig.fromConfig("x", Map.of("max_batchevents", 1)))
        .hasMessageContaining("unknown delivery setting 'max_batchevents'");
    assertThatThrownBy(() -> DestinationConfig.fromConfig("x", Map.of("batch_key", "email")))
        .hasMessageContaining("batch_key");
    assertThatThrownBy(() -> DestinationConfig.builder("bad id")).hasMessageContaining("bad id");
  }
}
