package dev.weir.connectors.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Amplitude's per-device and per-user events-per-second limit: a counter per id over the current
 * one-second window (Caffeine forgets idle ids). An event is throttled when its device's or its
 * user's count in this second goes over the threshold. Thread-safe.
 */
final class Throttle {
  private final int threshold;
  private final Cache<String, long[]> windows;

  /**
   * @param threshold events per second per device and per user; 0 turns throttling off
   */
  Throttle(int threshold) {
    this.threshold = threshold;
    this.windows =
        Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofSeconds(5))
            .maximumSize(2_000_000)
            .build();
  }

  int threshold() {
    return threshold;
  }

  boolean enabled() {
    return threshold > 0;
  }

  /**
   * Counts one event for {@code id} (prefixed by kind) and returns that id's count in the current
   * second.
   */
  long count(String id, long nowMillis) {
    long second = nowMillis / 1000;
    long[] w = windows.get(id, k -> new long[2]);
    synchronized (w) {
      if (w[0] != second) {
        w[0] = second;
        w[1] = 0;
      }
      return ++w[1];
    }
  }
}
