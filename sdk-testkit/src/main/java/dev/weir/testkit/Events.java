package dev.weir.testkit;

import dev.weir.sdk.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sample events for tests: realistic, valid, each with a unique insert id. Stateless apart from a
 * counter.
 */
public final class Events {
  private static final AtomicLong SEQ = new AtomicLong();
  private static final long BASE_TIME = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private Events() {}

  /**
   * A builder prefilled with a purchase event of a user, with properties; change what the test
   * cares about.
   */
  public static Event.Builder sample() {
    long n = SEQ.incrementAndGet();
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("sku", "SKU-" + n);
    props.put("amount", 19.99);
    props.put("tags", List.of("a", "b"));
    return Event.builder()
        .eventType("Purchase Completed")
        .userId("user-" + (n % 97))
        .deviceId("device-" + (n % 31))
        .time(BASE_TIME + n * 1000)
        .insertId("testkit-" + n)
        .platform("Web")
        .country("DE")
        .eventProperties(props);
  }

  /** {@code n} distinct sample events. */
  public static List<Event> batch(int n) {
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(sample().build());
    }
    return out;
  }

  /**
   * A batch of events that tend to break naive connectors: unicode and quotes in strings, nested
   * properties, an event with only a device id, one with no properties at all, very long strings.
   */
  public static List<Event> awkward() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("deep", Map.of("deeper", List.of(1, 2, Map.of("x", "y"))));
    nested.put("quote", "he said \"hi\"\n\ttab, back\\slash");
    return List.of(
        sample().eventType("Ünïcödé ✓ 事件").build(),
        sample().eventProperties(nested).build(),
        sample().userId(null).deviceId("only-device").build(),
        sample().eventProperties(Map.of()).build(),
        sample().eventType("x".repeat(1024)).build());
  }
}
