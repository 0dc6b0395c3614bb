package dev.weir.connectors.http;

import java.util.Arrays;

/**
 * Amplitude's per-device and per-user events-per-second limit: a counter per id over the current
 * one-second window. An event is throttled when its device's or its user's count in this second
 * goes over the threshold. Thread-safe.
 *
 * <p>Counting an event is a hash and an increment, with no allocation and no map: ids are hashed to
 * 64 bits (with their kind) into open-addressed tables of counters, split into stripes that each
 * lock alone. A stripe counts one second: the first count of a new second clears it, so nothing
 * needs expiring. A stripe grows while a second has more ids than it holds and shrinks back after
 * quiet seconds, up to {@link #MAX_IDS} ids per second in all (as many as the old cache kept); an
 * id beyond that in the same second is not counted (never throttled). Two ids whose 64-bit hashes
 * collide would share a counter.
 */
final class Throttle {
  /** Ids a throttle tracks per second, at most. */
  static final int MAX_IDS = 2_000_000;

  private static final int STRIPES = 64;
  private static final int MIN_SLOTS = 64;

  private final int threshold;
  private final int maxPerStripe;
  private final Stripe[] stripes = new Stripe[STRIPES];

  /**
   * @param threshold events per second per device and per user; 0 turns throttling off
   */
  Throttle(int threshold) {
    this(threshold, MAX_IDS);
  }

  /** A throttle that tracks at most {@code maxIds} ids per second (for tests). */
  Throttle(int threshold, int maxIds) {
    this.threshold = threshold;
    this.maxPerStripe = Math.max(1, maxIds / STRIPES);
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  int threshold() {
    return threshold;
  }

  boolean enabled() {
    return threshold > 0;
  }

  /**
   * Counts one event for the device id {@code id} and returns that device's count in the current
   * second (0 when it cannot be counted).
   */
  long countDevice(String id, long nowMillis) {
    return count(0x9E3779B97F4A7C15L, id, nowMillis);
  }

  /** As {@link #countDevice}, for a user id (counted apart from devices of the same id). */
  long countUser(String id, long nowMillis) {
    return count(0xC2B2AE3D27D4EB4FL, id, nowMillis);
  }

  private long count(long seed, String id, long nowMillis) {
    long h = hash(seed, id);
    Stripe s = stripes[(int) (h >>> 58)];
    synchronized (s) {
      return s.count(h, nowMillis / 1000, maxPerStripe);
    }
  }

  /** FNV-1a over the chars, then MurmurHash3's finaliser; never 0 (the empty slot). */
  static long hash(long seed, String id) {
    long h = 0xCBF29CE484222325L ^ seed;
    for (int i = 0, n = id.length(); i < n; i++) {
      h = (h ^ id.charAt(i)) * 0x100000001B3L;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  /** One stripe's counters for one second: id hashes and their counts, side by side. */
  private static final class Stripe {
    private long[] keys = new long[MIN_SLOTS];
    private int[] counts = new int[MIN_SLOTS];
    private int size;
    private long second = Long.MIN_VALUE;

    long count(long h, long now, int max) {
      if (now != second) {
        startSecond(now);
      }
      int mask = keys.length - 1;
      int i = (int) h & mask;
      while (true) {
        long k = keys[i];
        if (k == h) {
          return counts[i] = counts[i] == Integer.MAX_VALUE ? Integer.MAX_VALUE : counts[i] + 1;
        }
        if (k == 0) {
          break;
        }
        i = (i + 1) & mask;
      }
      if (size >= max) {
        return 0; // more ids this second than a throttle tracks: this one is not counted
      }
      if ((size + 1) * 2 > keys.length) {
        grow();
        mask = keys.length - 1;
        i = (int) h & mask;
        while (keys[i] != 0) {
          i = (i + 1) & mask;
        }
      }
      keys[i] = h;
      counts[i] = 1;
      size++;
      return 1;
    }

    /**
     * A new second: every count starts again; a table far larger than last second needed shrinks.
     */
    private void startSecond(long now) {
      second = now;
      int want = keys.length;
      while (want > MIN_SLOTS && size * 8 < want) {
        want >>= 1;
      }
      if (want != keys.length) {
        keys = new long[want];
        counts = new int[want];
      } else {
        Arrays.fill(keys, 0L);
      }
      size = 0;
    }

    private void grow() {
      long[] oldKeys = keys;
      int[] oldCounts = counts;
      keys = new long[oldKeys.length * 2];
      counts = new int[oldKeys.length * 2];
      int mask = keys.length - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        long k = oldKeys[j];
        if (k != 0) {
          int i = (int) k & mask;
          while (keys[i] != 0) {
            i = (i + 1) & mask;
          }
          keys[i] = k;
          counts[i] = oldCounts[j];
        }
      }
    }
  }
}
