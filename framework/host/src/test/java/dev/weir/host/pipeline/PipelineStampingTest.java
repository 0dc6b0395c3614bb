package dev.weir.host.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.Event;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fields the server owns: {@code source_id} and {@code upload_time} are never the client's. */
class PipelineStampingTest {
  private static final long NOW = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
  @TempDir Path dir;
  private RealtimeStore store;
  private Pipeline pipeline;
  private final List<Event> stored = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() throws Exception {
    store = RealtimeStore.open(StoreOptions.builder(dir).build());
    pipeline =
        new Pipeline(
            store,
            (source, e) -> Governance.Decision.keep(e),
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
            () -> {});
    pipeline.tap((source, event, status) -> stored.add(event));
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  @Test
  void anUploadTimeAndSourceIdCarriedByTheEventAreReplacedByTheServersOwn() {
    Event forged =
        Event.builder()
            .eventType("A")
            .userId("user-1")
            .insertId("forged-1")
            .uploadTime(1L)
            .sourceId("someone-else")
            .time(NOW - 5_000)
            .build();

    pipeline.submitNow("web", List.of(forged));

    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).uploadTime()).isEqualTo(NOW);
    assertThat(stored.get(0).sourceId()).isEqualTo("web");
    assertThat(stored.get(0).time()).isEqualTo(NOW - 5_000);
  }

  @Test
  void anEventWithoutTimeGetsTheReceiveTime() {
    pipeline.submitNow("web", List.of(Event.builder().eventType("A").userId("user-1").build()));

    assertThat(stored.get(0).time()).isEqualTo(NOW);
    assertThat(stored.get(0).uploadTime()).isEqualTo(NOW);
  }
}
