package dev.weir.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Jackson trees into the SDK's JSON-like values, enforcing the vendors' limits: strings are
 * cut at {@link #MAX_STRING} characters, objects nest at most {@link #MAX_DEPTH} deep.
 */
final class JsonConvert {
  static final int MAX_STRING = 1024;
  static final int MAX_DEPTH = 40;

  private JsonConvert() {}

  /** Thrown when a value nests deeper than allowed. */
  static final class TooDeep extends Exception {
    TooDeep() {
      super("nested deeper than " + MAX_DEPTH + " levels", null, false, false);
    }
  }

  static Map<String, Object> object(JsonNode node) throws TooDeep {
    Map<String, Object> out = new LinkedHashMap<>();
    fill(out, node, 1);
    return out;
  }

  private static void fill(Map<String, Object> out, JsonNode node, int depth) throws TooDeep {
    var fields = node.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      out.put(e.getKey(), value(e.getValue(), depth));
    }
  }

  static Object value(JsonNode node, int depth) throws TooDeep {
    if (depth > MAX_DEPTH) {
      throw new TooDeep();
    }
    return switch (node.getNodeType()) {
      case STRING -> cut(node.textValue());
      case NUMBER ->
          node.isIntegralNumber() && node.canConvertToLong()
              ? (Object) node.longValue()
              : (Object) node.doubleValue();
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

  static String cut(String s) {
    return s.length() <= MAX_STRING ? s : s.substring(0, MAX_STRING);
  }
}
