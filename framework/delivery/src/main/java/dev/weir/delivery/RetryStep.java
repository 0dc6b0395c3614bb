package dev.weir.delivery;

import dev.weir.sdk.Outcome;
import java.time.Duration;

/**
 * Retryable items are either given up — after {@code max_attempts}, after {@code max_retry_age}
 * since their first attempt, or when older than the destination's retention — and passed to the
 * dead-letter step (classification {@code retryable}), or scheduled again after the destination's
 * {@code retryAfter} or the {@link Backoff}. A {@code retryAfter} (a 503's or a 429's {@code
 * Retry-After}) also holds the whole destination, every worker, for that long.
 */
final class RetryStep implements DeliveryStep {
  private final Backoff backoff;

  RetryStep(Backoff backoff) {
    this.backoff = backoff;
  }

  @Override
  public Attempt intercept(Chain chain) {
    Attempt a = chain.proceed(chain.items());
    if (a.settled()) {
      return a;
    }
    DeliveryRun run = chain.run();
    DestinationConfig config = run.config();
    long now = a.at;
    for (int i : a.indexes(Attempt.Verdict.RETRY)) {
      Item it = a.items.get(i);
      String giveUp = giveUp(config, run, it, now);
      if (giveUp != null) {
        a.dead(i, giveUp, "retryable");
      } else {
        Outcome o = a.outcomes.get(i);
        if (o.retryAfter() != null && o.retryAfter().compareTo(Duration.ZERO) > 0) {
          run.holdDestination(o.retryAfter()); // before the retry is queued: no worker slips by
        }
        long delay =
            o.retryAfter() != null ? o.retryAfter().toMillis() : backoff.delayMillis(it.attempts);
        run.retryLater(it, delay, now);
        a.verdicts[i] = Attempt.Verdict.SCHEDULED;
      }
    }
    return a;
  }

  /** Why a retryable item must not be tried again, or null. */
  static String giveUp(DestinationConfig config, DeliveryRun run, Item it, long now) {
    if (it.attempts >= config.maxAttempts()) {
      return "max_attempts";
    }
    if (now - it.firstAttemptAt >= config.maxRetryAge().toMillis()) {
      return "max_age";
    }
    return run.expired(it, now) ? "expired" : null;
  }
}
