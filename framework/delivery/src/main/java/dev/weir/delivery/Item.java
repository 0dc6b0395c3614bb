package dev.weir.delivery;

import dev.weir.sdk.Event;

/**
 * One event on its way to one destination, with its delivery history. Owned by one thread at a time
 * (the dispatcher, then the worker sending it, then the retry queue), handed over through
 * thread-safe queues.
 */
final class Item {
  final int partition;
  final long sequence;
  final Event event;
  final Origin origin;
  final long bytes;
  final String user;
  final long receivedAt;
  int attempts;
  long firstAttemptAt;
  long lastAttemptAt;
  int lastStatus;
  String lastReason = "";
  long dueAt;
  boolean retrying;

  Item(int partition, long sequence, Event event, Origin origin, long now) {
    this.partition = partition;
    this.sequence = sequence;
    this.event = event;
    this.origin = origin;
    this.bytes = utf8Length(event.toJson()); // the event caches its JSON: the destination reuses it
    this.user = event.identity();
    this.receivedAt = event.uploadTime() != null ? event.uploadTime() : now;
  }

  /** The UTF-8 length of {@code s}, without encoding it. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Where an item came from, told when the item is resolved (delivered or dead-lettered).
   * Thread-safe.
   */
  interface Origin {
    void resolved(Item item, boolean delivered);
  }
}
