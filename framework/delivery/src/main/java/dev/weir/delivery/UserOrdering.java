package dev.weir.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Opt-in per-user ordering: while a user's event is retrying (the head), the user's later events
 * are parked and released, in log order, once the head is resolved. Other users are untouched.
 * Thread-safe.
 */
final class UserOrdering {
  private final Map<String, Item> heads = new HashMap<>();
  private final Map<String, ArrayDeque<Item>> parked = new HashMap<>();

  /** True when {@code item} must wait behind its user's retrying head; it is then parked here. */
  synchronized boolean park(Item item) {
    if (item.user == null) {
      return false;
    }
    Item head = heads.get(item.user);
    if (head == null || head == item) {
      return false;
    }
    parked.computeIfAbsent(item.user, u -> new ArrayDeque<>()).add(item);
    return true;
  }

  /**
   * {@code item} is about to be retried: it becomes its user's head and returns true, or, when the
   * user already has another head, it is parked behind it and this returns false.
   */
  synchronized boolean retrying(Item item) {
    if (item.user == null) {
      return true;
    }
    Item head = heads.putIfAbsent(item.user, item);
    if (head == null || head == item) {
      return true;
    }
    parked.computeIfAbsent(item.user, u -> new ArrayDeque<>()).add(item);
    return false;
  }

  /** {@code item} is resolved; returns the parked items it released, in log order. */
  synchronized List<Item> resolved(Item item) {
    if (item.user == null || heads.get(item.user) != item) {
      return List.of();
    }
    heads.remove(item.user);
    ArrayDeque<Item> q = parked.remove(item.user);
    if (q == null) {
      return List.of();
    }
    List<Item> out = new ArrayList<>(q);
    out.sort(Comparator.comparingInt((Item i) -> i.partition).thenComparingLong(i -> i.sequence));
    return out;
  }

  synchronized int parkedCount() {
    return parked.values().stream().mapToInt(ArrayDeque::size).sum();
  }
}
