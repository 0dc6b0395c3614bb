package dev.weir.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The top-level fields of one Amplitude event that {@link AmplitudeFormat} reads, taken from a
 * streaming parser in one pass: one slot per known field (a repeated key keeps its last value, as a
 * tree would), unknown fields skipped, the four object fields copied straight into compact maps.
 * The accessors answer as the tree-based reader's {@code JsonNode} checks did: JSON {@code null} is
 * absent, a number is whole when it fits 64 bits or is a double with no fraction below 9e15. Not
 * thread-safe; one per event.
 */
final class AmplitudeFields {
  static final int EVENT_TYPE = 0;
  static final int USER_ID = 1;
  static final int DEVICE_ID = 2;
  static final int TIME = 3;
  static final int VERSION_NAME = 4;
  static final int EVENT_PROPERTIES = 5;
  static final int USER_PROPERTIES = 6;
  static final int GROUPS = 7;
  static final int GROUP_PROPERTIES = 8;
  static final int SESSION_ID = 9;
  static final int EVENT_ID = 10;
  static final int LOCATION_LAT = 11;
  static final int LOCATION_LNG = 12;
  static final int IP = 13;
  static final int PLAN = 14;
  static final int QUANTITY = 15;
  static final int PRICE = 16;
  static final int REVENUE = 17;
  static final int PRODUCT_ID = 18;
  static final int REVENUE_TYPE = 19;
  static final int CURRENCY = 20;

  /** The first slot of the plain string fields ({@link AmplitudeFormat#STRINGS}, in order). */
  static final int STRINGS = 21;

  /** Each slot's wire name. */
  static final String[] NAMES;

  private static final Map<String, Integer> SLOTS = new HashMap<>();

  static {
    List<String> fixed =
        List.of(
            "event_type",
            "user_id",
            "device_id",
            "time",
            "version_name",
            "event_properties",
            "user_properties",
            "groups",
            "group_properties",
            "session_id",
            "event_id",
            "location_lat",
            "location_lng",
            "ip",
            "plan",
            "quantity",
            "price",
            "revenue",
            "productId",
            "revenueType",
            "currency");
    NAMES = new String[fixed.size() + AmplitudeFormat.STRINGS.size()];
    for (int i = 0; i < fixed.size(); i++) {
      NAMES[i] = fixed.get(i);
    }
    for (int i = 0; i < AmplitudeFormat.STRINGS.size(); i++) {
      NAMES[STRINGS + i] = AmplitudeFormat.STRINGS.get(i).jsonName();
    }
    for (int i = 0; i < NAMES.length; i++) {
      SLOTS.put(NAMES[i], i);
    }
  }

  /** A value that is an array or object where a scalar is read (or a scalar where an object is). */
  static final Object WRONG_SHAPE = new Object();

  /** An object field whose content cannot be taken, with JsonConvert's message. */
  record Bad(String message) {}

  private final Object[] v = new Object[NAMES.length];

  /**
   * The revenue properties ({@link AmplitudeRevenue#PROPERTIES}) of event_properties, noted while
   * it was copied; null when event_properties is not a good object.
   */
  private Object[] revenue;

  private AmplitudeFields() {}

  /**
   * Reads the object at the parser's {@code START_OBJECT} through its {@code END_OBJECT}.
   *
   * @throws IOException when the JSON itself is malformed (never for a tree)
   */
  static AmplitudeFields read(JsonParser p) throws IOException {
    AmplitudeFields f = new AmplitudeFields();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      Integer slot = SLOTS.get(p.currentName());
      p.nextToken();
      if (slot == null) {
        JsonStreams.skip(p);
      } else if (slot >= EVENT_PROPERTIES && slot <= GROUP_PROPERTIES) {
        if (slot == EVENT_PROPERTIES) {
          Object[] seen = new Object[AmplitudeRevenue.PROPERTIES.length];
          f.v[slot] = object(p, seen);
          f.revenue = f.v[slot] instanceof Map<?, ?> ? seen : null;
        } else {
          f.v[slot] = object(p, null);
        }
      } else if (slot == PLAN) {
        JsonToken t = p.currentToken();
        f.v[slot] =
            t == JsonToken.START_OBJECT
                ? JsonStreams.tree(p)
                : t == JsonToken.VALUE_NULL ? null : skipped(p);
      } else {
        f.v[slot] = scalar(p);
      }
    }
    return f;
  }

  private static Object object(JsonParser p, Object[] revenue) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_OBJECT) {
      return skipped(p);
    }
    try {
      return revenue == null
          ? JsonCopy.VENDOR.object(p)
          : JsonCopy.VENDOR.object(p, AmplitudeRevenue.PROPERTIES, revenue);
    } catch (JsonConvert.BadValue e) {
      return new Bad(e.getMessage());
    }
  }

  private static Object skipped(JsonParser p) throws IOException {
    JsonStreams.skip(p);
    return WRONG_SHAPE;
  }

  /** A scalar as the tree would hold it; numbers as Long, BigInteger, Double or BigDecimal. */
  private static Object scalar(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case VALUE_STRING:
        JsonStreams.textLength(p);
        return p.getText();
      case VALUE_NUMBER_INT:
        {
          JsonParser.NumberType nt = p.getNumberType();
          if (nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG) {
            return p.getLongValue();
          }
          BigInteger b = p.getBigIntegerValue();
          return b.bitLength() <= 63 ? (Object) b.longValue() : b;
        }
      case VALUE_NUMBER_FLOAT:
        return p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
            ? p.getDecimalValue()
            : (Object) p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        return skipped(p);
    }
  }

  /**
   * The value of revenue property {@code i} ({@link AmplitudeRevenue#PROPERTIES}) in
   * event_properties, as its map would answer {@code get}; null when absent.
   */
  Object revenueProperty(int i) {
    return revenue == null ? null : revenue[i];
  }

  /** The slot's raw value: null when absent or JSON null. */
  Object get(int slot) {
    return v[slot];
  }

  /** Whether the field is there and not JSON null ({@code JsonNode.hasNonNull}). */
  boolean has(int slot) {
    return v[slot] != null;
  }

  /** The field's text; null when absent or, with a problem, when it is not a string. */
  String text(int slot, List<FieldProblem> problems) {
    Object x = v[slot];
    if (x == null) {
      return null;
    }
    if (x instanceof String s) {
      return s;
    }
    problems.add(FieldProblem.invalid(NAMES[slot], NAMES[slot] + " must be a string"));
    return null;
  }

  /** The field as a whole number; null when absent or, with a problem, when it is not one. */
  Long whole(int slot, List<FieldProblem> problems) {
    Object x = v[slot];
    if (x == null) {
      return null;
    }
    if (isWhole(x)) {
      return asLong(x);
    }
    problems.add(FieldProblem.invalid(NAMES[slot], NAMES[slot] + " must be a whole number"));
    return null;
  }

  /** The field as a finite number; null when absent or, with a problem, when it is not one. */
  Double number(int slot, List<FieldProblem> problems) {
    Object x = v[slot];
    if (x == null) {
      return null;
    }
    if (x instanceof Number n && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    problems.add(FieldProblem.invalid(NAMES[slot], NAMES[slot] + " must be a number"));
    return null;
  }

  /** As the tree reader's check: integral within 64 bits, or floating, whole and below 9e15. */
  static boolean isWhole(Object x) {
    if (x instanceof Long) {
      return true;
    }
    if (x instanceof Double || x instanceof BigDecimal) {
      double d = ((Number) x).doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 9.0e15;
    }
    return false;
  }

  /** {@code JsonNode.asLong} of a whole number. */
  static long asLong(Object x) {
    if (x instanceof Double d) {
      return (long) d.doubleValue();
    }
    return ((Number) x).longValue();
  }
}
