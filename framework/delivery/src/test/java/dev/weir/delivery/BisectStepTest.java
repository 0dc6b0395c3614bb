package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class BisectStepTest {
  private final StepHarness h = new StepHarness();

  /** Rejects the whole batch while it holds item i-2, like a bulk API with one bad row. */
  private static List<Outcome> rejectWhileBadIsIn(List<Item> items) {
    boolean bad = items.stream().anyMatch(i -> i.event.insertId().equals("i-2"));
    return Attempt.all(
        items.size(), bad ? Outcome.rejected("bad row").withStatusCode(400) : Outcome.delivered());
  }

  @Test
  void aBatchRejectedAsAWholeIsSplitUntilTheBadEventIsAlone() {
    Attempt a =
        h.run(
            StepHarness.items(4),
            BisectStepTest::rejectWhileBadIsIn,
            new ClassifyStep(),
            new BisectStep());
    assertThat(a.settled()).isTrue();
    assertThat(h.sent).extracting(List::size).containsExactly(4, 2, 2, 1, 1);
    assertThat(h.delivered)
        .extracting(i -> i.event.insertId())
        .containsExactly("i-0", "i-1", "i-3");
    assertThat(h.metrics.bisections.count()).isEqualTo(2.0);
  }

  @Test
  void mixedOutcomesAndSingleEventsAreNotSplit() {
    Attempt mixed =
        h.run(
            StepHarness.items(2),
            i -> List.of(Outcome.rejected("a"), Outcome.rejected("b")),
            new BisectStep());
    assertThat(mixed.settled()).isFalse();
    Attempt single =
        h.run(StepHarness.items(1), i -> List.of(Outcome.rejected("a")), new BisectStep());
    assertThat(single.settled()).isFalse();
    assertThat(h.sent).hasSize(2);
  }
}
