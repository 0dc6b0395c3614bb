package dev.weir.host.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.Event;
import dev.weir.sdk.SubmitResult.EventStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each ingest step on its own, with a recording next step. */
class IngestStepsTest {
  @TempDir Path dir;

  private static Event event(String type, String insertId) {
    return Event.builder().eventType(type).userId("u1").insertId(insertId).build();
  }

  private static Submission submission(Event... events) {
    return new Submission("web", List.of(events), 1_000L);
  }

  private static final IngestStep.Chain END = s -> {};

  @Test
  void stampStepSetsSourceAndUploadTimeAlwaysAndTimeOnlyWhenMissing() {
    Submission s =
        submission(
            event("a", "1"), event("b", "2").toBuilder().uploadTime(500L).time(400L).build());
    new StampStep().apply(s, END);
    assertThat(s.stamped[0].sourceId()).isEqualTo("web");
    assertThat(s.stamped[0].uploadTime()).isEqualTo(1_000L);
    assertThat(s.stamped[0].time()).isEqualTo(1_000L);
    assertThat(s.stamped[1].uploadTime()).isEqualTo(1_000L);
    assertThat(s.stamped[1].time()).isEqualTo(400L);
  }

  @Test
  void governStepKeepsDropsAndQuarantinesByTheDecision() {
    Submission s = submission(event("keep", "1"), event("drop", "2"), event("hold", "3"));
    new StampStep().apply(s, END);
    LongAdder dropped = new LongAdder();
    Governance plan =
        (source, e) ->
            switch (e.eventType()) {
              case "drop" -> Governance.Decision.block(e);
              case "hold" -> Governance.Decision.quarantine(e);
              default -> Governance.Decision.keep(e);
            };
    new GovernStep(plan, dropped).apply(s, END);
    assertThat(s.statuses).containsExactly(null, EventStatus.BLOCKED, EventStatus.BLOCKED);
    assertThat(s.toStore).extracting(Event::sourceId).containsExactly("web", "web:quarantine");
    assertThat(s.index).startsWith(0, 2);
    assertThat(s.quarantined).startsWith(false, true);
    assertThat(dropped.sum()).isEqualTo(1);
  }

  @Test
  void storeStepAppendsAndSetsStoredOrDuplicateThenTheTapHearsEachKeptEvent() throws Exception {
    try (RealtimeStore store = RealtimeStore.open(StoreOptions.builder(dir).build())) {
      List<IngestStep> steps = new ArrayList<>();
      List<String> heard = new ArrayList<>();
      steps.add(new StampStep());
      steps.add(
          new GovernStep(
              (src, e) ->
                  e.eventType().equals("hold")
                      ? Governance.Decision.quarantine(e)
                      : Governance.Decision.keep(e),
              new LongAdder()));
      steps.add(new StoreStep(store, () -> null));
      steps.add(new TapStep(() -> (src, e, status) -> heard.add(e.insertId() + "=" + status)));
      Submission first = submission(event("a", "1"), event("hold", "2"));
      IngestStep.run(steps, first);
      assertThat(first.statuses).containsExactly(EventStatus.STORED, EventStatus.BLOCKED);
      Submission again = submission(event("a", "1"));
      IngestStep.run(steps, again);
      assertThat(again.statuses).containsExactly(EventStatus.DUPLICATE);
      assertThat(heard).containsExactly("1=STORED", "1=DUPLICATE");
    }
  }

  @Test
  void aClosedStoreFailsTheSubmissionAndTheRestOfTheChainDoesNotRun() throws Exception {
    RealtimeStore store = RealtimeStore.open(StoreOptions.builder(dir).build());
    store.close();
    Submission s = submission(event("a", "1"));
    new StampStep().apply(s, END);
    new GovernStep(Governance.passThrough(), new LongAdder()).apply(s, END);
    AtomicReference<Submission> next = new AtomicReference<>();
    assertThatThrownBy(() -> new StoreStep(store, () -> null).apply(s, next::set))
        .isInstanceOf(RuntimeException.class);
    assertThat(next.get()).isNull();
  }

  @Test
  void aFailingTapNeverFailsIngestion() {
    Submission s = submission(event("a", "1"));
    s.store(event("a", "1"), 0, false);
    s.statuses[0] = EventStatus.STORED;
    s.results =
        List.of(
            new dev.weir.realtime.AppendResult(dev.weir.realtime.AppendResult.Status.STORED, 0, 0));
    AtomicReference<Submission> next = new AtomicReference<>();
    new TapStep(
            () ->
                (src, e, st) -> {
                  throw new IllegalStateException("tap broke");
                })
        .apply(s, next::set);
    assertThat(next.get()).isSameAs(s);
  }
}
