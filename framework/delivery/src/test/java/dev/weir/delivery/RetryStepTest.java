package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Outcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryStepTest {
  private static final Backoff FIXED = new Backoff(1000, 60_000, bound -> 0);

  @Test
  void retryableItemsAreScheduledAfterRetryAfterOrTheBackoff() {
    StepHarness h = new StepHarness();
    List<Item> items = StepHarness.items(2);
    items.forEach(i -> i.attempts = 1);
    items.forEach(i -> i.firstAttemptAt = h.clock.millis());
    Attempt a =
        h.run(
            items,
            i -> List.of(Outcome.retryAfter(Duration.ofSeconds(7), "later"), Outcome.retry("busy")),
            new RetryStep(FIXED),
            new ClassifyStep());
    assertThat(a.verdicts).containsOnly(Attempt.Verdict.SCHEDULED);
    assertThat(h.retryDelays).extracting(d -> d[0]).containsExactly(7000L, 500L);
  }

  @Test
  void aRetryAfterOfAnyStatusHoldsTheWholeDestinationNotOnlyItsBatch() {
    StepHarness h = new StepHarness();
    List<Item> items = StepHarness.items(2);
    items.forEach(i -> i.attempts = 1);
    items.forEach(i -> i.firstAttemptAt = h.clock.millis());
    h.run(
        items,
        i ->
            List.of(
                Outcome.retryAfter(Duration.ofSeconds(7), "HTTP 503").withStatusCode(503),
                Outcome.retry("HTTP 503").withStatusCode(503)),
        new RetryStep(FIXED),
        new ClassifyStep());
    assertThat(h.holds)
        .as("every worker waits the 503's Retry-After")
        .contains(Duration.ofSeconds(7));

    StepHarness plain = new StepHarness();
    List<Item> others = StepHarness.items(1);
    others.forEach(i -> i.attempts = 1);
    others.forEach(i -> i.firstAttemptAt = plain.clock.millis());
    plain.run(
        others, i -> List.of(Outcome.retry("busy")), new RetryStep(FIXED), new ClassifyStep());
    assertThat(plain.holds).as("a plain retry backs off its own batch only").isEmpty();
  }

  @Test
  void itemsOutOfAttemptsOrAgeAreGivenUpWithTheirReason() {
    StepHarness h =
        new StepHarness(
            DestinationConfig.builder("d")
                .maxAttempts(3)
                .maxRetryAge(Duration.ofMinutes(1))
                .build());
    List<Item> items = StepHarness.items(3);
    items.get(0).attempts = 3;
    items.get(0).firstAttemptAt = h.clock.millis();
    items.get(1).attempts = 1;
    items.get(1).firstAttemptAt = h.clock.millis() - 60_000;
    items.get(2).attempts = 1;
    items.get(2).firstAttemptAt = h.clock.millis();
    Attempt a =
        h.run(
            items,
            i -> Attempt.all(3, Outcome.retry("x")),
            new RetryStep(FIXED),
            new ClassifyStep());
    assertThat(a.verdicts)
        .containsExactly(Attempt.Verdict.DEAD, Attempt.Verdict.DEAD, Attempt.Verdict.SCHEDULED);
    assertThat(a.deadReason).containsExactly("max_attempts", "max_age", null);
    assertThat(a.classification[0]).isEqualTo("retryable");
  }

  @Test
  void withTheDefaultsRetriesGiveUpByAgeAfterFourHoursNotByACountThatEndsEarlier() {
    DestinationConfig defaults = DestinationConfig.builder("d").build();
    StepHarness h = new StepHarness(defaults);
    Backoff backoff = new Backoff(defaults);
    // an outage of 3 h 59 min at the default backoff (1 s doubling to a 5-minute cap): ~60 attempts
    long waited = 0;
    int attempts = 0;
    while (waited < Duration.ofMinutes(239).toMillis()) {
      attempts++;
      waited += backoff.delayMillis(attempts);
    }
    List<Item> items = StepHarness.items(2);
    items.get(0).attempts = attempts;
    items.get(0).firstAttemptAt = h.clock.millis() - Duration.ofMinutes(239).toMillis();
    items.get(1).attempts = attempts;
    items.get(1).firstAttemptAt = h.clock.millis() - Duration.ofHours(4).toMillis();
    Attempt a =
        h.run(
            items,
            i -> Attempt.all(2, Outcome.retry("down")),
            new RetryStep(FIXED),
            new ClassifyStep());
    assertThat(a.verdicts).containsExactly(Attempt.Verdict.SCHEDULED, Attempt.Verdict.DEAD);
    assertThat(a.deadReason).containsExactly(null, "max_age");
    assertThat(defaults.maxRetryAge()).isEqualTo(Duration.ofHours(4));
  }

  @Test
  void backoffDoublesPerAttemptUpToItsCapWithJitterInTheUpperHalf() {
    Backoff b = new Backoff(100, 1000, bound -> bound - 1);
    assertThat(b.delayMillis(1)).isEqualTo(100);
    assertThat(b.delayMillis(2)).isEqualTo(200);
    assertThat(b.delayMillis(10)).isEqualTo(1000);
    assertThat(new Backoff(100, 1000, bound -> 0).delayMillis(2)).isEqualTo(100);
  }
}
