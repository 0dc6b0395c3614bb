package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyShapeStepTest {
  private final StepHarness h = new StepHarness();

  @Test
  void tooFewOutcomesMakeTheWholeBatchRetryableSayingWhatCameBack() {
    Attempt a =
        h.run(StepHarness.items(3), i -> List.of(Outcome.delivered()), new VerifyShapeStep());
    assertThat(a.outcomes)
        .hasSize(3)
        .extracting(Outcome::status)
        .containsOnly(Outcome.Status.RETRY);
    assertThat(a.outcomes.get(0).reason())
        .isEqualTo("destination returned 1 outcomes (or a null one) for 3 events");
  }

  @Test
  void aNullListOrANullOutcomeIsCaughtToo() {
    assertThat(
            h.run(StepHarness.items(1), i -> null, new VerifyShapeStep()).outcomes.get(0).reason())
        .startsWith("destination returned no outcomes");
    List<Outcome> withNull = new ArrayList<>(Arrays.asList(Outcome.delivered(), null));
    assertThat(h.run(StepHarness.items(2), i -> withNull, new VerifyShapeStep()).outcomes)
        .extracting(Outcome::status)
        .containsOnly(Outcome.Status.RETRY);
  }

  @Test
  void oneOutcomePerEventPassesUnchanged() {
    List<Outcome> ok = List.of(Outcome.delivered(), Outcome.rejected("bad"));
    assertThat(h.run(StepHarness.items(2), i -> ok, new VerifyShapeStep()).outcomes).isEqualTo(ok);
  }
}
