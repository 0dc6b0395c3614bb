package dev.weir.host.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.Event;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's per-source gate, counts and meters, over a real store in a temp dir. */
class PipelineGateTest {
  @TempDir Path dir;
  private RealtimeStore store;
  private Pipeline pipeline;

  @BeforeEach
  void open() throws Exception {
    store = RealtimeStore.open(StoreOptions.builder(dir).build());
    Governance blockB =
        (source, e) ->
            "B".equals(e.eventType()) ? Governance.Decision.block(e) : Governance.Decision.keep(e);
    pipeline = new Pipeline(store, blockB, Clock.systemUTC(), () -> {});
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private static Event event(String type, String insertId) {
    return Event.builder().eventType(type).userId("u1").insertId(insertId).build();
  }

  @Test
  void untilTheHostIsReadyEverySubmitIsRefusedAsNotReadyAndNothingIsStored() throws Exception {
    pipeline.holdUntilReady();
    assertThatThrownBy(
            () ->
                pipeline
                    .submit("web", List.of(event("A", "1")))
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("not ready");
    assertThatThrownBy(() -> pipeline.submitNow("web", List.of(event("A", "1"))))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(store.stats().stored()).isZero();
    pipeline.markReady();
    assertThat(
            pipeline
                .submit("web", List.of(event("A", "1")))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS)
                .count(SubmitResult.EventStatus.STORED))
        .isEqualTo(1);
  }

  @Test
  void aPausedSourceIsRefusedWithSourcePausedAndNothingIsStoredWhileOtherSourcesFlow()
      throws Exception {
    pipeline.pause("web");
    assertThatThrownBy(
            () ->
                pipeline
                    .submit("web", List.of(event("A", "1")))
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("source paused");
    assertThat(store.stats().stored()).isZero();

    SubmitResult other =
        pipeline
            .submit("app", List.of(event("A", "2")))
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    assertThat(other.count(SubmitResult.EventStatus.STORED)).isEqualTo(1);

    pipeline.resume("web");
    assertThat(pipeline.paused("web")).isFalse();
    assertThat(
            pipeline
                .submit("web", List.of(event("A", "1")))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS)
                .count(SubmitResult.EventStatus.STORED))
        .isEqualTo(1);
    assertThat(pipeline.status("web"))
        .containsEntry("state", "running")
        .containsEntry("stored", 1L)
        .containsEntry("refused_while_paused", 1L);
  }

  @Test
  void countsMadeBeforeTheMetersAreBoundAppearOnTheRegistryByOutcomeAndReason() {
    pipeline.submitNow("web", List.of(event("A", "1"), event("A", "1"), event("B", "3")));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    pipeline.bindMeters(registry);
    pipeline.submitNow("web", List.of(event("A", "4")));

    assertThat(
            registry
                .get("weir.ingest.events")
                .tags("source", "web", "status", "stored")
                .functionCounter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry.get("weir.ingest.duplicates").tags("source", "web").functionCounter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("weir.ingest.events")
                .tags("source", "web", "status", "blocked")
                .functionCounter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("weir.store.append").timer().count()).isEqualTo(1);
    assertThat(registry.get("weir.ingest.latency").tags("source", "web").timer().count())
        .isEqualTo(1);

    pipeline.pause("web");
    pipeline.submit("web", List.of(event("A", "5"), event("A", "6")));
    assertThat(
            registry
                .get("weir.ingest.rejects")
                .tags("source", "web", "reason", "source_paused")
                .counter()
                .count())
        .isEqualTo(2);
  }
}
