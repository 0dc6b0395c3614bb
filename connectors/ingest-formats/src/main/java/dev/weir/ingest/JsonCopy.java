package dev.weir.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.weir.sdk.JsonObjectWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads JSON values from a streaming parser with {@link JsonConvert}'s rules and messages (strings
 * cut, depth bounded, numbers that do not fit a finite double refused), but without a tree: objects
 * go straight into the SDK's compact form through a {@link JsonObjectWriter} (one per thread),
 * which events keep and the store copies as bytes. Thread-safe.
 *
 * <p>A tree keeps the last value of a repeated key, so a bad value that a later one replaces was
 * never seen by the tree reader. To answer exactly as it did, a bad value is written as a
 * placeholder and the copy goes on; only when some placeholder survives (the slow path, for bad
 * input only) is the first one, in the tree reader's order, reported with its message.
 */
final class JsonCopy {
  /** The vendors' limits (Amplitude, Segment). */
  static final JsonCopy VENDOR = new JsonCopy(JsonConvert.MAX_STRING, JsonConvert.MAX_DEPTH);

  /** Weir's canonical JSON: strings kept whole, depth bounded only by the parser's limit. */
  static final JsonCopy CANONICAL = new JsonCopy(Integer.MAX_VALUE, Integer.MAX_VALUE);

  /** Starts every placeholder; random per run, so no input can spell one. */
  private static final String PLACEHOLDER =
      "\uFFFF\u0000bad-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "#";

  private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

  private final int maxString;
  private final int maxDepth;

  private JsonCopy(int maxString, int maxDepth) {
    this.maxString = maxString;
    this.maxDepth = maxDepth;
  }

  /** A thread's writer and the problems of the value being copied. */
  private static final class State {
    final JsonObjectWriter w = new JsonObjectWriter();
    final List<String> problems = new ArrayList<>();

    /**
     * The top-level keys whose values the current copy notes ({@link #object(JsonParser, String[],
     * Object[])}).
     */
    String[] watch;

    Object[] seen;
  }

  /**
   * What {@link #object(JsonParser, String[], Object[])} notes for a value that is not a scalar.
   */
  static final Object NOT_A_SCALAR = new Object();

  /** A bad value inside plain values, in the place the value would have had. */
  private record Bad(String message) {}

  /**
   * Reads the object at the parser's {@code START_OBJECT} (through its {@code END_OBJECT}) into an
   * immutable compact map; its entries' values are at depth 1, as in {@link JsonConvert#object}.
   *
   * @throws JsonConvert.BadValue with JsonConvert's message, once the object is consumed
   */
  Map<String, Object> object(JsonParser p) throws IOException, JsonConvert.BadValue {
    return object(p, null, null);
  }

  /**
   * As {@link #object(JsonParser)}, noting in {@code seen[i]} the top-level value of key {@code
   * watch[i]} as the map would answer {@code get} (the last of a repeated key): a string (cut), a
   * {@code Long} or {@code Double}, a {@code Boolean}, null, or {@link #NOT_A_SCALAR}. Keys not
   * there leave their slot as it was (the caller clears it). So a reader of a few keys needs no
   * lookup afterwards.
   */
  Map<String, Object> object(JsonParser p, String[] watch, Object[] seen)
      throws IOException, JsonConvert.BadValue {
    State s = STATE.get();
    s.problems.clear();
    s.watch = watch;
    s.seen = seen;
    JsonObjectWriter w = s.w;
    w.abandon();
    w.beginObject();
    try {
      entries(p, s, 1);
    } catch (IOException | RuntimeException e) {
      w.abandon();
      throw e;
    }
    w.endObject();
    Map<String, Object> m = w.take();
    if (!s.problems.isEmpty()) {
      int first = firstPlaceholder(m);
      if (first >= 0) {
        String message = s.problems.get(first);
        s.problems.clear();
        throw new JsonConvert.BadValue(message);
      }
      s.problems.clear();
    }
    return m;
  }

  private void entries(JsonParser p, State s, int depth) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      s.w.key(name);
      p.nextToken();
      if (depth == 1 && s.watch != null) {
        note(p, s, name);
      }
      copy(p, s, depth);
    }
  }

  /** Notes the value of a watched top-level key, as the copied map will answer it. */
  private void note(JsonParser p, State s, String name) throws IOException {
    String[] watch = s.watch;
    for (int i = 0; i < watch.length; i++) {
      if (watch[i].equals(name)) {
        s.seen[i] =
            switch (p.currentToken()) {
              case VALUE_STRING -> {
                int n = JsonStreams.textLength(p);
                yield new String(p.getTextCharacters(), p.getTextOffset(), Math.min(n, maxString));
              }
              case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                Object v = number(p);
                yield v instanceof Long || v instanceof Double ? v : NOT_A_SCALAR;
              }
              case VALUE_TRUE -> Boolean.TRUE;
              case VALUE_FALSE -> Boolean.FALSE;
              case VALUE_NULL -> null;
              default -> NOT_A_SCALAR;
            };
        return;
      }
    }
  }

  private static void bad(State s, String message) {
    s.w.value(PLACEHOLDER + s.problems.size());
    s.problems.add(message);
  }

  /** Copies the value at the current token, at {@code depth}. */
  private void copy(JsonParser p, State s, int depth) throws IOException {
    JsonObjectWriter w = s.w;
    if (depth > maxDepth) {
      JsonStreams.skip(p);
      bad(s, "nested deeper than " + maxDepth + " levels");
      return;
    }
    switch (p.currentToken()) {
      case START_OBJECT -> {
        w.beginObject();
        entries(p, s, depth + 1);
        w.endObject();
      }
      case START_ARRAY -> {
        w.beginArray();
        JsonToken n;
        while ((n = p.nextToken()) != JsonToken.END_ARRAY && n != null) {
          copy(p, s, depth + 1);
        }
        w.endArray();
      }
      case VALUE_STRING -> {
        int n = JsonStreams.textLength(p);
        w.value(p.getTextCharacters(), p.getTextOffset(), Math.min(n, maxString));
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        Object v = number(p);
        if (v instanceof Long l) {
          w.value(l.longValue());
        } else if (v instanceof Double d) {
          w.value(d.doubleValue());
        } else {
          bad(s, (String) v);
        }
      }
      case VALUE_TRUE -> w.value(true);
      case VALUE_FALSE -> w.value(false);
      default -> w.nullValue();
    }
  }

  /** The index of the first placeholder left in {@code v}, in the tree reader's order, or -1. */
  private static int firstPlaceholder(Object v) {
    if (v instanceof String s) {
      return s.startsWith(PLACEHOLDER) ? Integer.parseInt(s.substring(PLACEHOLDER.length())) : -1;
    }
    if (v instanceof Map<?, ?> m) {
      for (Object x : m.values()) {
        int i = firstPlaceholder(x);
        if (i >= 0) {
          return i;
        }
      }
    } else if (v instanceof List<?> l) {
      for (Object x : l) {
        int i = firstPlaceholder(x);
        if (i >= 0) {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * The current number as {@link JsonConvert} takes it: a {@code Long} when it is a whole number
   * within 64 bits, else a finite {@code Double}; else the problem, as a {@code String}.
   */
  static Object number(JsonParser p) throws IOException {
    JsonParser.NumberType nt = p.getNumberType();
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      if (nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG) {
        return p.getLongValue();
      }
      BigInteger b = p.getBigIntegerValue();
      if (b.bitLength() <= 63) {
        return b.longValue();
      }
      double d = b.doubleValue();
      return Double.isFinite(d) ? (Object) d : outOfRange(b.toString());
    }
    double d = p.getDoubleValue();
    if (Double.isFinite(d)) {
      return d;
    }
    // The text a tree node would give for it (JsonNode.asText), not the client's spelling.
    String text =
        nt == JsonParser.NumberType.BIG_DECIMAL
            ? p.getDecimalValue().toString()
            : nt == JsonParser.NumberType.FLOAT
                ? Float.toString(p.getFloatValue())
                : Double.toString(d);
    return outOfRange(text);
  }

  private static String outOfRange(String text) {
    return "holds a number out of range: " + (text.length() <= 40 ? text : text.substring(0, 40));
  }

  /**
   * Reads the current value into plain Java values, as {@link JsonConvert#value} does for a node
   * (maps and lists built: for the few values that are not objects of an event).
   *
   * @throws JsonConvert.BadValue with JsonConvert's message, once the value is consumed
   */
  Object value(JsonParser p, int depth) throws IOException, JsonConvert.BadValue {
    Object v = plain(p, depth);
    Bad bad = firstBad(v);
    if (bad != null) {
      throw new JsonConvert.BadValue(bad.message());
    }
    return v;
  }

  private Object plain(JsonParser p, int depth) throws IOException {
    if (depth > maxDepth) {
      JsonStreams.skip(p);
      return new Bad("nested deeper than " + maxDepth + " levels");
    }
    switch (p.currentToken()) {
      case START_OBJECT:
        {
          Map<String, Object> m = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            p.nextToken();
            m.put(k, plain(p, depth + 1));
          }
          return m;
        }
      case START_ARRAY:
        {
          List<Object> l = new ArrayList<>();
          JsonToken n;
          while ((n = p.nextToken()) != JsonToken.END_ARRAY && n != null) {
            l.add(plain(p, depth + 1));
          }
          return l;
        }
      case VALUE_STRING:
        {
          int n = JsonStreams.textLength(p);
          String text = p.getText();
          return n <= maxString ? text : text.substring(0, maxString);
        }
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        {
          Object v = number(p);
          return v instanceof String problem ? new Bad(problem) : v;
        }
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  private static Bad firstBad(Object v) {
    if (v instanceof Bad b) {
      return b;
    }
    if (v instanceof Map<?, ?> m) {
      for (Object x : m.values()) {
        Bad b = firstBad(x);
        if (b != null) {
          return b;
        }
      }
    } else if (v instanceof List<?> l) {
      for (Object x : l) {
        Bad b = firstBad(x);
        if (b != null) {
          return b;
        }
      }
    }
    return null;
  }
}
