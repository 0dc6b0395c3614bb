package dev.weir.delivery;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups items into batches per key, closing a batch when it reaches the event count or byte limit,
 * or when its first item has waited the maximum delay. Used only by the dispatcher thread: not
 * thread-safe.
 */
final class Batcher {
  private final int maxEvents;
  private final long maxBytes;
  private final long maxDelayMillis;
  private final Map<String, Open> open = new LinkedHashMap<>();

  Batcher(int maxEvents, long maxBytes, long maxDelayMillis) {
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
    this.maxDelayMillis = maxDelayMillis;
  }

  /** Adds {@code item}; returns the batches this closed (possibly none). */
  List<Batch> add(Item item, String key, int lane, long now) {
    List<Batch> closed = new ArrayList<>(1);
    Open o = open.get(key);
    if (o != null && !o.items.isEmpty() && o.bytes + item.bytes > maxBytes) {
      closed.add(o.close());
      open.remove(key);
      o = null;
    }
    if (o == null) {
      o = new Open(lane, now);
      open.put(key, o);
    }
    o.items.add(item);
    o.bytes += item.bytes;
    if (o.items.size() >= maxEvents || o.bytes >= maxBytes) {
      closed.add(o.close());
      open.remove(key);
    }
    return closed;
  }

  /** Closes the batches whose time is up (all of them when {@code force}). */
  List<Batch> due(long now, boolean force) {
    List<Batch> closed = new ArrayList<>();
    for (Iterator<Open> it = open.values().iterator(); it.hasNext(); ) {
      Open o = it.next();
      if (force || now - o.openedAt >= maxDelayMillis) {
        closed.add(o.close());
        it.remove();
      }
    }
    return closed;
  }

  /** When the oldest open batch is due, or {@code Long.MAX_VALUE} when none is open. */
  long nextDeadline() {
    long min = Long.MAX_VALUE;
    for (Open o : open.values()) {
      min = Math.min(min, o.openedAt + maxDelayMillis);
    }
    return min;
  }

  private static final class Open {
    final int lane;
    final long openedAt;
    final List<Item> items = new ArrayList<>();
    long bytes;

    Open(int lane, long openedAt) {
      this.lane = lane;
      this.openedAt = openedAt;
    }

    Batch close() {
      return new Batch(lane, List.copyOf(items));
    }
  }
}
