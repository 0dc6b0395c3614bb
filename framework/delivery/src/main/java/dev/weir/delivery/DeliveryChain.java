package dev.weir.delivery;

import dev.weir.sdk.StreamingDestination;
import java.util.List;

/**
 * The steps one destination's batches go through, outermost first, and the {@link
 * DeliveryStep.Chain} that runs them: {@link DeadLetterStep} → {@link RetryStep} → {@link
 * ClassifyStep} → {@link BisectStep} → {@link RateLimitStep} → {@link ForgetStep} → {@link
 * VerifyShapeStep} → {@link SendStep}. Immutable; {@link #attempt} is called concurrently by the
 * workers.
 */
final class DeliveryChain {
  private final List<DeliveryStep> steps;
  private final DeliveryRun run;

  DeliveryChain(List<DeliveryStep> steps, DeliveryRun run) {
    this.steps = List.copyOf(steps);
    this.run = run;
  }

  /** The standard chain for a destination. */
  static DeliveryChain standard(
      StreamingDestination destination,
      AdaptiveRateLimiter limiter,
      Backoff backoff,
      DeliveryRun run) {
    return new DeliveryChain(
        List.of(
            new DeadLetterStep(backoff),
            new RetryStep(backoff),
            new ClassifyStep(),
            new BisectStep(),
            new RateLimitStep(limiter),
            new ForgetStep(),
            new VerifyShapeStep(),
            new SendStep(destination)),
        run);
  }

  /** Delivers {@code items} (one batch) through every step. */
  Attempt attempt(List<Item> items) {
    return new Link(0, items).proceed(items);
  }

  /** The chain as seen from step {@code index - 1}. */
  private final class Link implements DeliveryStep.Chain {
    private final int index;
    private final List<Item> items;

    Link(int index, List<Item> items) {
      this.index = index;
      this.items = items;
    }

    @Override
    public List<Item> items() {
      return items;
    }

    @Override
    public Attempt proceed(List<Item> next) {
      if (index >= steps.size()) {
        throw new IllegalStateException("the innermost step must not call proceed()");
      }
      return steps.get(index).intercept(new Link(index + 1, next));
    }

    @Override
    public Attempt restart(List<Item> next) {
      return attempt(next);
    }

    @Override
    public DeliveryRun run() {
      return run;
    }
  }
}
