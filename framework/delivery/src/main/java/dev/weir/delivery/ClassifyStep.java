package dev.weir.delivery;

import dev.weir.sdk.Outcome;

/**
 * Reads each outcome: records the item's last status and (redacted) reason, resolves delivered
 * items, marks rejected ones for the dead-letter store (permanent) and retryable ones for the retry
 * step, and records the batch's error for the destination's status.
 */
final class ClassifyStep implements DeliveryStep {
  @Override
  public Attempt intercept(Chain chain) {
    Attempt a = chain.proceed(chain.items());
    if (a.settled()) {
      return a;
    }
    DeliveryRun run = chain.run();
    String error = null;
    for (int i = 0; i < a.items.size(); i++) {
      Item it = a.items.get(i);
      Outcome o = a.outcomes.get(i);
      it.lastStatus = o.statusCode();
      it.lastReason = Excerpts.clean(run.redactor(), o.reason());
      switch (o.status()) {
        case DELIVERED -> {
          run.metrics().deliveredOne(a.at - it.receivedAt, a.at);
          run.resolve(it, true);
          a.verdicts[i] = Attempt.Verdict.DELIVERED;
        }
        case REJECTED -> {
          error = it.lastReason;
          a.dead(i, "rejected", "permanent");
        }
        case RETRY -> {
          error = it.lastReason;
          a.verdicts[i] = Attempt.Verdict.RETRY;
        }
        default -> throw new IllegalStateException("unknown outcome " + o);
      }
    }
    if (error != null) {
      int status = a.items.get(0).lastStatus;
      run.metrics().error((status == 0 ? "" : "[" + status + "] ") + error, a.at);
    }
    return a;
  }
}
