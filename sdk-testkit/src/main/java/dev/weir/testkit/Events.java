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

  /**
   * A random event for property tests: unicode strings (surrogate pairs, control characters,
   * quotes, empty strings), huge and negative numbers, deeply nested properties with nulls, and
   * either every field set or only some (none but the event type when {@code r} says so). Numbers
   * have the Java types a JSON parser gives them back (Integer within 32 bits, Long within 64,
   * BigInteger beyond, Double otherwise), so an event sent as JSON and read back is equal to it.
   */
  public static Event random(java.util.Random r) {
    Event.Builder b = Event.builder();
    int mode = r.nextInt(3); // 0: every field, 1: a random subset, 2: only the event type
    for (Event.Field f : Event.Field.values()) {
      boolean set = f == Event.Field.EVENT_TYPE || mode == 0 || (mode == 1 && r.nextBoolean());
      if (!set || f == Event.Field.VIOLATIONS) {
        continue;
      }
      switch (f.kind()) {
        case STRING -> b.set(f, randomString(r));
        case LONG -> b.set(f, r.nextBoolean() ? r.nextLong() : (long) r.nextInt(1000) - 500);
        case INT -> b.set(f, r.nextInt());
        case DOUBLE -> b.set(f, randomDouble(r));
        case OBJECT -> b.set(f, randomObject(r, 1 + r.nextInt(4)));
        case PLAN -> b.plan(new dev.weir.sdk.Plan("main", randomString(r), "3", null));
        default -> {}
      }
    }
    return b.build();
  }

  private static final String[] PIECES = {
    "",
    "a",
    "Ünïcödé",
    "事件",
    "😀",
    "\uD83D\uDC69\u200D\uD83D\uDCBB",
    "\"",
    "\\",
    "\n",
    "\t",
    "\u0000",
    "\u001F",
    "\u007F",
    "\u2028",
    " ",
    "ß",
    "💥x",
    "null",
    "{}",
    "é"
  };

  /** A string of random pieces, often empty, with surrogate pairs and control characters. */
  public static String randomString(java.util.Random r) {
    int n = r.nextInt(5);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(PIECES[r.nextInt(PIECES.length)]);
    }
    return sb.toString();
  }

  private static Double randomDouble(java.util.Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> -r.nextDouble() * 1e300;
      case 1 -> r.nextDouble() * 1e-300;
      case 2 -> 0.5;
      case 3 -> -0.25;
      default -> (r.nextDouble() - 0.5) * 1e6;
    };
  }

  private static Object randomValue(java.util.Random r, int depth) {
    int k = r.nextInt(depth > 0 ? 11 : 9);
    return switch (k) {
      case 0 -> null;
      case 1 -> randomString(r);
      case 2 -> r.nextInt();
      case 3 -> r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE - r.nextInt(10);
      case 4 -> new java.math.BigInteger("123456789012345678901234567890").negate();
      case 5 -> randomDouble(r);
      case 6 -> r.nextBoolean();
      case 7 -> "";
      case 8 -> 0;
      case 9 -> randomObject(r, depth - 1);
      default -> {
        List<Object> l = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          l.add(randomValue(r, depth - 1));
        }
        yield l;
      }
    };
  }

  private static Map<String, Object> randomObject(java.util.Random r, int depth) {
    Map<String, Object> m = new LinkedHashMap<>();
    int n = r.nextInt(6);
    for (int i = 0; i < n; i++) {
      m.put(randomString(r) + i, randomValue(r, depth));
    }
    if (depth > 3) {
      m.put("deep", randomObject(r, depth - 1));
    }
    return m;
  }
}
