package dev.weir.delivery;

import java.util.List;

/**
 * One step of delivering a batch, composed like OkHttp's interceptors: a step does its part, calls
 * {@link Chain#proceed} to run the steps inside it (the innermost one sends), and acts on the
 * {@link Attempt} that comes back. The standard chain, outermost first: {@link DeadLetterStep},
 * {@link RetryStep}, {@link ClassifyStep}, {@link BisectStep}, {@link RateLimitStep}, {@link
 * VerifyShapeStep}, {@link SendStep} (see {@link DeliveryChain}). Steps are stateless or
 * thread-safe: the destination's workers run the chain concurrently.
 */
interface DeliveryStep {
  /** Does this step's work for {@code chain.items()}; returns what outer steps should act on. */
  Attempt intercept(Chain chain);

  /** What a step sees: the items of this attempt, the next steps, and the runner. */
  interface Chain {
    /** The items of this attempt, in batch order (never empty). */
    List<Item> items();

    /** Runs the next steps on {@code items} (this step's items, or a subset of them). */
    Attempt proceed(List<Item> items);

    /**
     * Runs the whole chain again, from the outermost step, on {@code items}: a batch split in two
     * is delivered as two batches (each half classified, retried and dead-lettered on its own).
     */
    Attempt restart(List<Item> items);

    /** The narrow view of the destination's runner that steps act through. */
    DeliveryRun run();
  }
}
