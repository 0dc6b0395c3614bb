package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.runtime.Redactor;
import dev.weir.sdk.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifyStepTest {
  @Test
  void deliveredAreResolvedRejectedGoToDeadLettersRetryableToTheRetryStep() {
    StepHarness h = new StepHarness();
    h.redactor = Redactor.of(List.of("tok-secret"));
    List<Item> items = StepHarness.items(3);
    Attempt a =
        h.run(
            items,
            i ->
                List.of(
                    Outcome.delivered(),
                    Outcome.rejected("bad token tok-secret").withStatusCode(400),
                    Outcome.retry("busy").withStatusCode(503)),
            new ClassifyStep());
    assertThat(a.verdicts)
        .containsExactly(Attempt.Verdict.DELIVERED, Attempt.Verdict.DEAD, Attempt.Verdict.RETRY);
    assertThat(a.deadReason[1]).isEqualTo("rejected");
    assertThat(a.classification[1]).isEqualTo("permanent");
    assertThat(h.delivered).containsExactly(items.get(0));
    assertThat(items.get(1).lastStatus).isEqualTo(400);
    assertThat(items.get(1).lastReason).isEqualTo("bad token ***");
    assertThat(h.metrics.delivered.count()).isEqualTo(1.0);
  }
}
