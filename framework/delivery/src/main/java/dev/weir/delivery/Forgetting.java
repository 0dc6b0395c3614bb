package dev.weir.delivery;

import dev.weir.sdk.Event;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The user deletions the engine applies to what it holds in memory (read ahead, waiting for a
 * retry, batched, held by a rate limit): an item is forgotten when a deletion's match selects its
 * event and the item was in the log when the deletion ran (its sequence below the log's end at that
 * moment), so a deleted user's later events are delivered as usual. Thread-safe; free while no
 * deletion ever ran (one volatile read).
 */
final class Forgetting {
  private record Rule(Predicate<Event> match, long[] before) {}

  private final List<Rule> rules = new CopyOnWriteArrayList<>();

  void add(Predicate<Event> match, long[] before) {
    rules.add(new Rule(match, before.clone()));
  }

  boolean forgets(Item it) {
    if (rules.isEmpty()) {
      return false;
    }
    for (Rule r : rules) {
      if (it.partition >= 0
          && it.partition < r.before.length
          && it.sequence < r.before[it.partition]
          && r.match.test(it.event)) {
        return true;
      }
    }
    return false;
  }
}
