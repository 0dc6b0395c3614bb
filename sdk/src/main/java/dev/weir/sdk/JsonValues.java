package dev.weir.sdk;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.BiConsumer;

/** Checks, freezes and converts the JSON-like values that events and settings carry. */
final class JsonValues {
  private JsonValues() {}

  /**
   * A deep, unmodifiable copy of a JSON object; rejects values that are not JSON-like. An object
   * this class froze before is returned as it is (it cannot change), so passing an event's
   * properties to another builder copies nothing.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> freezeObject(Map<String, ?> map) {
    if (map instanceof FrozenMap || map instanceof CompactMap) {
      return (Map<String, Object>) map;
    }
    Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, (int) (map.size() / 0.75f) + 1));
    for (Map.Entry<String, ?> e : map.entrySet()) {
      if (e.getKey() == null) {
        throw new IllegalArgumentException("JSON object keys must not be null");
      }
      copy.put(e.getKey(), freeze(e.getValue()));
    }
    return new FrozenMap(copy);
  }

  private static Object freeze(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Number n) {
      return n;
    }
    if (v instanceof FrozenMap || v instanceof FrozenList || v instanceof CompactMap) {
      return v;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, (int) (m.size() / 0.75f) + 1));
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
        }
        copy.put(k, freeze(e.getValue()));
      }
      return new FrozenMap(copy);
    }
    if (v instanceof List<?> l) {
      Object[] copy = new Object[l.size()];
      int i = 0;
      for (Object o : l) {
        copy[i++] = freeze(o);
      }
      return new FrozenList(copy);
    }
    throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
  }

  /** A deeply immutable JSON object (its values are frozen too). */
  static final class FrozenMap extends AbstractMap<String, Object> {
    private final Map<String, Object> inner;
    private final Map<String, Object> view;

    FrozenMap(Map<String, Object> inner) {
      this.inner = inner;
      this.view = Collections.unmodifiableMap(inner);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return view.entrySet();
    }

    @Override
    public Object get(Object key) {
      return inner.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return inner.containsKey(key);
    }

    @Override
    public int size() {
      return inner.size();
    }

    @Override
    public boolean isEmpty() {
      return inner.isEmpty();
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
      inner.forEach(action);
    }
  }

  /** A deeply immutable JSON array. */
  static final class FrozenList extends AbstractList<Object> implements RandomAccess {
    private final Object[] items;

    FrozenList(Object[] items) {
      this.items = items;
    }

    @Override
    public Object get(int index) {
      return items[index];
    }

    @Override
    public int size() {
      return items.length;
    }
  }

  // ---------------------------------------------------------------- JSON text

  /** Appends a JSON-like value as JSON text, as Jackson's default ObjectMapper writes it. */
  static void writeJson(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      writeString(sb, s);
    } else if (v instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (v instanceof Double d) {
      writeDouble(sb, d);
    } else if (v instanceof Float f) {
      if (Float.isFinite(f)) {
        sb.append(f.floatValue());
      } else {
        sb.append('"').append(f.floatValue()).append('"');
      }
    } else if (v instanceof Number n) {
      sb.append(n.toString());
    } else if (v instanceof CompactMap c) {
      Compact.Sink out = new Compact.Sink(c.len + 16);
      Compact.writeJsonObject(new Compact.Reader(c.bytes, c.off, c.len), c.len, out);
      sb.append(new String(out.buf, 0, out.pos, java.nio.charset.StandardCharsets.UTF_8));
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        writeString(sb, (String) e.getKey());
        sb.append(':');
        writeJson(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        writeJson(sb, l.get(i));
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }
  }

  static void writeDouble(StringBuilder sb, double d) {
    if (Double.isFinite(d)) {
      sb.append(d);
    } else {
      // Jackson's default (QUOTE_NON_NUMERIC_NUMBERS): NaN and infinities as strings
      sb.append('"').append(d).append('"');
    }
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * Appends a JSON string literal as Jackson writes it: quote, backslash and control characters
   * escaped (short forms for newline, tab, return, backspace and form feed, the six-character
   * unicode escape otherwise), a lone surrogate as a unicode escape (so the text survives UTF-8),
   * everything else as it is.
   */
  static void writeString(StringBuilder sb, String s) {
    sb.append('"');
    int n = s.length();
    int run = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a valid pair stays as it is
        continue;
      }
      sb.append(s, run, i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default ->
            sb.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
      }
      run = i + 1;
    }
    sb.append(s, run, n).append('"');
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
    if (v instanceof CompactMap || v instanceof FrozenMap) {
      return (Map<String, Object>)
          v; // keys are strings by construction: nothing to check or decode
    }
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
