package dev.weir.delivery;

import java.util.ArrayList;
import java.util.List;

/**
 * Right before the request (after any rate-limit wait): items whose events a user deletion removed
 * since they were read are resolved without being sent (counted as filtered); the others go on. The
 * attempt that comes back covers only the items that went on.
 */
final class ForgetStep implements DeliveryStep {
  @Override
  public Attempt intercept(Chain chain) {
    List<Item> items = chain.items();
    DeliveryRun run = chain.run();
    List<Item> keep = null;
    for (int i = 0; i < items.size(); i++) {
      Item it = items.get(i);
      if (run.forgotten(it)) {
        if (keep == null) {
          keep = new ArrayList<>(items.subList(0, i));
        }
        run.metrics().filtered.increment();
        run.resolve(it, false);
      } else if (keep != null) {
        keep.add(it);
      }
    }
    if (keep == null) {
      return chain.proceed(items);
    }
    return keep.isEmpty() ? Attempt.done() : chain.proceed(keep);
  }
}
