package dev.weir.sdk;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks, freezes and converts the JSON-like values that events and settings carry. */
final class JsonValues {
  private JsonValues() {}

  /** A deep, unmodifiable copy of a JSON object; rejects values that are not JSON-like. */
  static Map<String, Object> freezeObject(Map<String, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : map.entrySet()) {
      if (e.getKey() == null) {
        throw new IllegalArgumentException("JSON object keys must not be null");
      }
      copy.put(e.getKey(), freeze(e.getValue()));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object freeze(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Number n) {
      return n;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
        }
        copy.put(k, freeze(e.getValue()));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (v instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      for (Object o : l) {
        copy.add(freeze(o));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
  }

  /** A deep mutable copy, for callers of {@code toMap()}. */
  @SuppressWarnings("unchecked")
  static Object thaw(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, val) -> copy.put((String) k, thaw(val)));
      return copy;
    }
    if (v instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      l.forEach(o -> copy.add(thaw(o)));
      return copy;
    }
    return v;
  }

  static String asString(String field, Object v) {
    if (v instanceof String s) {
      return s;
    }
    throw typeError(field, "a string", v);
  }

  static Long asLong(String field, Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    if (v instanceof BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        throw typeError(field, "a whole number within 64 bits", v);
      }
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
        return (long) d;
      }
    }
    throw typeError(field, "a whole number within 64 bits", v);
  }

  static Integer asInt(String field, Object v) {
    long l = asLong(field, v);
    if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
      throw typeError(field, "a whole number within 32 bits", v);
    }
    return (int) l;
  }

  static Double asDouble(String field, Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isFinite(d)) {
        return d;
      }
    }
    throw typeError(field, "a finite number", v);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asObject(String field, Object v) {
    if (v instanceof Map<?, ?> m) {
      for (Object k : m.keySet()) {
        if (!(k instanceof String)) {
          throw typeError(field, "an object with string keys", v);
        }
      }
      return (Map<String, Object>) m;
    }
    throw typeError(field, "an object", v);
  }

  static IllegalArgumentException typeError(String field, String expected, Object v) {
    String got =
        v == null
            ? "null"
            : v instanceof Map
                ? "an object"
                : v instanceof List
                    ? "an array"
                    : v instanceof String
                        ? "a string"
                        : v instanceof Boolean ? "a boolean" : "the number " + v;
    return new IllegalArgumentException(
        "field '" + field + "' must be " + expected + ", got " + got);
  }
}
