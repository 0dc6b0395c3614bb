package dev.weir.delivery;

import dev.weir.sdk.Outcome;
import java.util.List;

/**
 * A batch of several events rejected as a whole with one permanent error (same status, same reason)
 * is split in two and each half delivered again through the whole chain, until the bad events are
 * isolated and the good ones delivered.
 */
final class BisectStep implements DeliveryStep {
  @Override
  public Attempt intercept(Chain chain) {
    Attempt a = chain.proceed(chain.items());
    // the attempt's items: an inner step may have resolved some without sending them
    List<Item> items = a.items;
    if (a.settled() || items.size() <= 1 || !rejectedAsWhole(a.outcomes)) {
      return a;
    }
    chain.run().metrics().bisections.increment();
    int mid = items.size() / 2;
    chain.restart(items.subList(0, mid));
    chain.restart(items.subList(mid, items.size()));
    return Attempt.done();
  }

  static boolean rejectedAsWhole(List<Outcome> outcomes) {
    Outcome first = outcomes.get(0);
    for (Outcome o : outcomes) {
      if (o.status() != Outcome.Status.REJECTED
          || o.statusCode() != first.statusCode()
          || !o.reason().equals(first.reason())) {
        return false;
      }
    }
    return true;
  }
}
