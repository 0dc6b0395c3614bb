package dev.weir.bench.store;

import dev.weir.sdk.Event;
import java.util.Map;
import java.util.Random;

/**
 * The synthetic product-analytics stream the store benchmarks share: 100k users over one day of
 * upload time, event types view/cart/purchase (60/30/10 %), a low-cardinality {@code plan} property
 * and an integer {@code price}.
 */
final class StoreData {
  static final long T0 = 1_700_000_000_000L - (1_700_000_000_000L % 86_400_000L);
  static final long DAY = 86_400_000L;
  static final String[] TYPES = {
    "view", "view", "view", "view", "view", "view", "cart", "cart", "cart", "purchase"
  };

  private StoreData() {}

  /** The i-th event of an n-event day; deterministic for (i, n). */
  static Event event(long i, long n, Random rnd) {
    long upload = T0 + i * DAY / n;
    return Event.builder()
        .eventType(TYPES[rnd.nextInt(TYPES.length)])
        .userId("u" + rnd.nextInt(100_000))
        .insertId("i" + i)
        .sourceId("bench")
        .uploadTime(upload)
        .time(upload - rnd.nextInt(60_000))
        .platform(rnd.nextBoolean() ? "ios" : "android")
        .eventProperties(
            Map.of("plan", rnd.nextInt(4) == 0 ? "pro" : "free", "price", rnd.nextInt(100)))
        .build();
  }
}
