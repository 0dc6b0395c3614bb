package dev.weir.delivery;

import dev.weir.sdk.Outcome;

/**
 * Waits for the destination's rate limiter (requests/s, events/s, and any destination-wide hold)
 * before the request, then feeds the answer back: a 429 cuts the rate and holds every worker for
 * its {@code Retry-After}; anything else lets the rate recover. Stops without a trace when the
 * runner halted while waiting or sending.
 */
final class RateLimitStep implements DeliveryStep {
  private final AdaptiveRateLimiter limiter;

  RateLimitStep(AdaptiveRateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public Attempt intercept(Chain chain) {
    limiter.acquire(chain.items().size());
    if (chain.run().halted()) {
      return Attempt.done();
    }
    Attempt a = chain.proceed(chain.items());
    if (chain.run().halted()) {
      return Attempt.done();
    }
    if (a.settled()) {
      return a; // nothing was sent (a user deletion resolved every item)
    }
    Outcome throttle =
        a.outcomes.stream().filter(o -> o.statusCode() == 429).findFirst().orElse(null);
    if (throttle != null) {
      limiter.throttled(throttle.retryAfter());
    } else {
      limiter.succeeded();
    }
    return a;
  }
}
