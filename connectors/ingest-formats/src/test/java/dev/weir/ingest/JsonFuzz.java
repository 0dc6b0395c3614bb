package dev.weir.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded generator of hostile JSON for the format fuzz tests: takes good events of a format and
 * mutates them (a field's value swapped for a hostile one, a field removed or renamed, objects
 * nested, strings blown up), or builds random trees. Deterministic for a seed, so every failure is
 * reproducible from the seed and index it prints. Not thread-safe.
 */
final class JsonFuzz {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Values that break naive conversions: out-of-range times and numbers, wrong types, junk. */
  private static final List<JsonNode> HOSTILE = new ArrayList<>();

  static {
    for (String s :
        new String[] {
          "\"+999999999-12-31T23:59:59Z\"",
          "\"-999999999-01-01T00:00:00Z\"",
          "\"2024-01-01T00:00:00+25:00\"",
          "\"\"",
          "\"yesterday\"",
          "\"2024-02-30T00:00:00Z\"",
          "\"2024-01-01T24:00:00Z\"",
          "\"9999-12-31T23:59:59.999Z\"",
          "\"0000-01-01T00:00:00Z\"",
          "\"2024-01-01T00:00:00.1234567891Z\"",
          "\"2024-01-01T00:00:00+18:00\"",
          "\"T\"",
          "-1",
          "0",
          "1",
          "1.5",
          "-0.0",
          "1e308",
          "-1e308",
          "1e400",
          "-1e400",
          "4.9e-324",
          "9223372036854775807",
          "-9223372036854775808",
          "9223372036854775808",
          "99999999999999999999999999999999999999",
          "2147483648",
          "-2147483649",
          "true",
          "false",
          "null",
          "{}",
          "[]",
          "[null]",
          "[[[]]]",
          "{\"$set\":null}",
          "\"null\"",
          "\"undefined\"",
          "\"00000000-0000-0000-0000-000000000000\"",
          "\"\\u0000\"",
          "\"\\ud800\"",
          "\"$remote\"",
          "{\"version\":{}}",
          "{\"a\":1e400}",
          "[1e400]",
          "\"ios\"",
          "{\"name\":7}",
          "{\"latitude\":\"x\",\"longitude\":1e400}"
        }) {
      try {
        HOSTILE.add(JSON.readTree(s));
      } catch (Exception e) {
        throw new IllegalStateException(s, e);
      }
    }
  }

  private final SplittableRandom random;

  JsonFuzz(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A mutated copy of {@code seed}: one to three mutations anywhere in the tree. */
  JsonNode mutate(JsonNode seed) {
    JsonNode copy = seed.deepCopy();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      JsonNode next = mutateSomewhere(copy.deepCopy(), 0);
      if (depth(next) <= 62) {
        copy = next;
      }
    }
    return copy;
  }

  private JsonNode mutateSomewhere(JsonNode node, int depth) {
    if ((node instanceof ObjectNode o) && o.size() > 0 && random.nextInt(3) > 0 && depth < 6) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      String name = names.get(random.nextInt(names.size()));
      switch (random.nextInt(6)) {
        case 0 -> o.remove(name);
        case 1 -> {
          JsonNode v = o.remove(name);
          o.set(name.toUpperCase(java.util.Locale.ROOT) + (random.nextBoolean() ? "" : "_"), v);
        }
        default -> o.set(name, mutateSomewhere(o.get(name), depth + 1));
      }
      return o;
    }
    if ((node instanceof ArrayNode a) && a.size() > 0 && random.nextBoolean() && depth < 6) {
      int i = random.nextInt(a.size());
      a.set(i, mutateSomewhere(a.get(i), depth + 1));
      return a;
    }
    return switch (random.nextInt(5)) {
      case 0, 1 -> HOSTILE.get(random.nextInt(HOSTILE.size()));
      case 2 -> random(3);
      // Nested no deeper than the HTTP and Kafka parsers accept (64 levels), counting from here.
      case 3 -> nest(node, Math.max(0, Math.min(1 + random.nextInt(45), 60 - depth - depth(node))));
      default -> F.textNode("x".repeat(random.nextInt(3000)));
    };
  }

  static int depth(JsonNode n) {
    int d = 0;
    for (JsonNode child : n) {
      d = Math.max(d, depth(child));
    }
    return n.isContainerNode() ? d + 1 : 0;
  }

  private static JsonNode nest(JsonNode inner, int levels) {
    JsonNode n = inner;
    for (int i = 0; i < levels; i++) {
      n = (i % 2 == 0) ? F.objectNode().set("n", n) : F.arrayNode().add(n);
    }
    return n;
  }

  /** A random tree up to {@code depth} levels. */
  JsonNode random(int depth) {
    int kind = random.nextInt(depth <= 0 ? 4 : 6);
    return switch (kind) {
      case 0 -> HOSTILE.get(random.nextInt(HOSTILE.size()));
      case 1 -> F.numberNode(random.nextLong());
      case 2 -> F.textNode(Long.toString(random.nextLong(), 36));
      case 3 -> F.booleanNode(random.nextBoolean());
      case 4 -> {
        ArrayNode a = F.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          a.add(random(depth - 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = F.objectNode();
        for (int i = random.nextInt(5); i > 0; i--) {
          o.set(FIELDS[random.nextInt(FIELDS.length)], random(depth - 1));
        }
        yield o;
      }
    };
  }

  /** Field names of all three formats, so random trees hit the real readers. */
  private static final String[] FIELDS = {
    "event_type",
    "user_id",
    "device_id",
    "time",
    "insert_id",
    "event_properties",
    "user_properties",
    "groups",
    "group_properties",
    "price",
    "quantity",
    "revenue",
    "plan",
    "session_id",
    "upload_time",
    "source_id",
    "violations",
    "location_lat",
    "type",
    "userId",
    "anonymousId",
    "messageId",
    "timestamp",
    "sentAt",
    "originalTimestamp",
    "context",
    "traits",
    "properties",
    "event",
    "name",
    "category",
    "groupId",
    "previousId",
    "integrations",
    "ip",
    "library",
    "device",
    "$price",
    "$quantity",
    "productId"
  };

  /** Reads every file under a classpath folder of regression inputs, one JSON document each. */
  static Map<String, JsonNode> regressions(String folder) throws Exception {
    Map<String, JsonNode> out = new java.util.TreeMap<>();
    var url = JsonFuzz.class.getResource(folder);
    if (url == null) {
      return out;
    }
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of(url.toURI()))) {
      for (Iterator<java.nio.file.Path> it = files.iterator(); it.hasNext(); ) {
        java.nio.file.Path p = it.next();
        out.put(p.getFileName().toString(), JSON.readTree(p.toFile()));
      }
    }
    return out;
  }
}
