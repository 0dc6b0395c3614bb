package dev.weir.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Jackson trees into the SDK's JSON-like values. The vendor formats cut strings at {@link
 * #MAX_STRING} characters and refuse objects nested deeper than {@link #MAX_DEPTH}; every format
 * refuses numbers that do not fit a finite double (such as {@code 1e400}), which would otherwise be
 * stored as infinity. Stateless.
 */
final class JsonConvert {
  static final int MAX_STRING = 1024;
  static final int MAX_DEPTH = 40;

  /** The vendors' limits (Amplitude, Segment). */
  static final JsonConvert VENDOR = new JsonConvert(MAX_STRING, MAX_DEPTH);

  /** Weir's canonical JSON: strings kept whole, depth bounded only by the JSON parser's limit. */
  static final JsonConvert CANONICAL = new JsonConvert(Integer.MAX_VALUE, Integer.MAX_VALUE);

  private final int maxString;
  private final int maxDepth;

  private JsonConvert(int maxString, int maxDepth) {
    this.maxString = maxString;
    this.maxDepth = maxDepth;
  }

  /** A value that cannot be taken; the message says why, without naming the field. */
  static final class BadValue extends Exception {
    BadValue(String message) {
      super(message, null, false, false);
    }
  }

  /** Reads an object node into a map with the vendors' limits. */
  static Map<String, Object> object(JsonNode node) throws BadValue {
    return VENDOR.toObject(node);
  }

  Map<String, Object> toObject(JsonNode node) throws BadValue {
    Map<String, Object> out = new LinkedHashMap<>();
    fill(out, node, 1);
    return out;
  }

  private void fill(Map<String, Object> out, JsonNode node, int depth) throws BadValue {
    var fields = node.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      out.put(e.getKey(), value(e.getValue(), depth));
    }
  }

  /** Converts any node at {@code depth} (1 for a top-level field's value). */
  Object value(JsonNode node, int depth) throws BadValue {
    if (depth > maxDepth) {
      throw new BadValue("nested deeper than " + maxDepth + " levels");
    }
    return switch (node.getNodeType()) {
      case STRING -> cutTo(node.textValue(), maxString);
      case NUMBER -> number(node);
      case BOOLEAN -> node.booleanValue();
      case OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        fill(m, node, depth + 1);
        yield m;
      }
      case ARRAY -> {
        List<Object> l = new ArrayList<>(node.size());
        for (JsonNode item : node) {
          l.add(value(item, depth + 1));
        }
        yield l;
      }
      default -> null;
    };
  }

  private static Object number(JsonNode node) throws BadValue {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    double d = node.doubleValue();
    if (!Double.isFinite(d)) {
      throw new BadValue("holds a number out of range: " + cutTo(node.asText(), 40));
    }
    return d;
  }

  static String cut(String s) {
    return cutTo(s, MAX_STRING);
  }

  private static String cutTo(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
