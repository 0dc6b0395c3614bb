package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadLetterStepTest {
  private static final Backoff FIXED = new Backoff(1000, 60_000, bound -> 0);

  @Test
  void deadItemsAreWrittenWithTheirHistoryThenResolved() {
    StepHarness h = new StepHarness();
    List<Item> items = StepHarness.items(2);
    h.run(
        items,
        i -> List.of(Outcome.rejected("no such user").withStatusCode(404), Outcome.delivered()),
        new DeadLetterStep(FIXED),
        new ClassifyStep());
    assertThat(h.deadLetters).hasSize(1);
    DeadLetter d = h.deadLetters.get(0);
    assertThat(d.reason()).isEqualTo("rejected");
    assertThat(d.classification()).isEqualTo("permanent");
    assertThat(d.destination()).isEqualTo("dest");
    assertThat(d.event().insertId()).isEqualTo("i-0");
    assertThat(h.resolvedDead).containsExactly(items.get(0));
    assertThat(h.metrics.deadLettered.count()).isEqualTo(1.0);
  }

  @Test
  void whenTheStoreCannotBeWrittenTheItemsAreRetriedNotLost() {
    StepHarness h = new StepHarness();
    h.deadLetterStoreBroken = true;
    List<Item> items = StepHarness.items(1);
    items.get(0).attempts = 1;
    Attempt a =
        h.run(
            items,
            i -> List.of(Outcome.rejected("bad")),
            new DeadLetterStep(FIXED),
            new ClassifyStep());
    assertThat(h.resolvedDead).isEmpty();
    assertThat(h.retried).containsExactly(items.get(0));
    assertThat(a.verdicts).containsExactly(Attempt.Verdict.SCHEDULED);
  }
}
