package dev.weir.delivery;

import dev.weir.sdk.Outcome;
import java.util.List;

/**
 * Checks the destination kept its contract — exactly one non-null {@link Outcome} per event, in
 * order — and otherwise makes the whole batch a retryable failure that says what came back. (The
 * check used to call {@code contains(null)}, which throws on {@code List.of(...)}: a destination
 * answering with an immutable list had every batch retried.)
 */
final class VerifyShapeStep implements DeliveryStep {
  @Override
  public Attempt intercept(Chain chain) {
    Attempt a = chain.proceed(chain.items());
    List<Outcome> outcomes = a.outcomes;
    int n = a.items.size();
    if (outcomes == null || outcomes.size() != n || hasNull(outcomes)) {
      return a.withOutcomes(
          Attempt.all(
              n,
              Outcome.retry(
                  "destination returned "
                      + (outcomes == null ? "no" : outcomes.size())
                      + " outcomes (or a null one) for "
                      + n
                      + " events")));
    }
    return a;
  }

  /** Null-safe for immutable lists, whose {@code contains(null)} throws. */
  private static boolean hasNull(List<Outcome> outcomes) {
    for (Outcome o : outcomes) {
      if (o == null) {
        return true;
      }
    }
    return false;
  }
}
