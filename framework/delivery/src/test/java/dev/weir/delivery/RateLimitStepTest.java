package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitStepTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Test
  void a429CutsTheRateAndSuccessLeavesItAlone() {
    StepHarness h = new StepHarness();
    AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(100, 0, nanos::get);
    h.run(StepHarness.items(1), i -> List.of(Outcome.delivered()), new RateLimitStep(limiter));
    assertThat(limiter.requestRate()).isEqualTo(100.0);
    h.run(
        StepHarness.items(1),
        i -> List.of(Outcome.retry("slow down").withStatusCode(429)),
        new RateLimitStep(limiter));
    assertThat(limiter.requestRate()).isEqualTo(50.0);
  }

  @Test
  void haltedRunnerSendsNothingAndLeavesNothingForOuterSteps() {
    StepHarness h = new StepHarness();
    h.halted = true;
    Attempt a =
        h.run(
            StepHarness.items(2),
            i -> Attempt.all(2, Outcome.delivered()),
            new RateLimitStep(new AdaptiveRateLimiter(0, 0, nanos::get)));
    assertThat(a.settled()).isTrue();
    assertThat(h.sent).isEmpty();
  }

  @Test
  void aDestinationWideHoldDelaysTheNextRequestOfEveryWorker() {
    AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(0, 0, System::nanoTime);
    limiter.hold(Duration.ofMillis(150));
    long start = System.nanoTime();
    new StepHarness()
        .run(StepHarness.items(1), i -> List.of(Outcome.delivered()), new RateLimitStep(limiter));
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(140).toNanos());
  }
}
