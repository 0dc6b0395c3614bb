package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdaptiveRateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void throttleHalvesTheRateAndSuccessRaisesItByATenthPerSecond() {
    AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(100, 0, nanos::get);
    limiter.throttled(null);
    assertThat(limiter.requestRate()).isEqualTo(50.0);
    limiter.throttled(null);
    assertThat(limiter.requestRate()).isEqualTo(25.0);
    limiter.succeeded();
    assertThat(limiter.requestRate()).as("no raise within the same second").isEqualTo(25.0);
    advance(Duration.ofSeconds(1));
    limiter.succeeded();
    assertThat(limiter.requestRate()).isCloseTo(35.0, org.assertj.core.data.Offset.offset(1e-9));
    advance(Duration.ofSeconds(30));
    limiter.succeeded();
    assertThat(limiter.requestRate()).isEqualTo(100.0);
  }

  @Test
  void unlimitedDestinationLearnsALimitFromTheFirstThrottleAndForgetsItWhenRecovered() {
    AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(0, 0, nanos::get);
    for (int i = 0; i < 40; i++) {
      limiter.acquire(1);
    }
    assertThat(limiter.requestRate()).isZero();
    limiter.throttled(null);
    assertThat(limiter.requestRate()).isEqualTo(20.0);
    advance(Duration.ofSeconds(10));
    limiter.succeeded();
    assertThat(limiter.requestRate()).isZero();
  }

  @Test
  void retryAfterOnThrottleHoldsEveryCaller() {
    AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(0, 0, nanos::get);
    limiter.acquire(1);
    limiter.throttled(Duration.ofSeconds(3));
    Thread waiter = new Thread(() -> limiter.acquire(1));
    waiter.start();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
    assertThat(waiter.isAlive()).isTrue();
    advance(Duration.ofSeconds(3));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !waiter.isAlive());
  }

  @Test
  void eventRateLimitMakesLargeBatchesWaitProportionally() {
    AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(0, 100, nanos::get);
    Thread waiter = new Thread(() -> limiter.acquire(600));
    waiter.start();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
    advance(Duration.ofSeconds(4));
    assertThat(waiter.isAlive()).as("600 events at 100/s with a burst of 100 need 5 s").isTrue();
    advance(Duration.ofSeconds(1));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !waiter.isAlive());
  }
}
