package dev.weir.governance;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A property schema compiled a second time, into plain checks over the event's own maps, for the
 * common case of a valid event: {@link #valid(Object)} is true only when the value certainly passes
 * the JSON Schema, so the caller skips building a JSON tree and running the full validator. When it
 * says false (or a schema uses a keyword outside the small subset below, and {@link
 * #compile(JsonNode)} returns null) the full validator runs and reports violations exactly as it
 * always has. Immutable and thread-safe.
 *
 * <p>Subset: {@code type} (one name), {@code enum} of strings, {@code minLength}/{@code maxLength},
 * {@code pattern}, {@code minimum}/{@code maximum}, {@code items}, {@code minItems}/{@code
 * maxItems}, {@code properties}, {@code required}, {@code additionalProperties: false}, and the
 * annotations {@code title}, {@code description}, {@code examples}, {@code $comment}.
 */
final class FastCheck {
  private static final Set<String> KNOWN =
      Set.of(
          "type",
          "enum",
          "minLength",
          "maxLength",
          "pattern",
          "minimum",
          "maximum",
          "items",
          "minItems",
          "maxItems",
          "properties",
          "required",
          "additionalProperties",
          "title",
          "description",
          "examples",
          "$comment");

  private enum Type {
    ANY,
    STRING,
    INTEGER,
    NUMBER,
    BOOLEAN,
    ARRAY,
    OBJECT,
    NULL
  }

  private final Type type;
  private final Set<String> enumValues;
  private final int minLength;
  private final int maxLength;
  private final Pattern pattern;
  private final double minimum;
  private final double maximum;
  private final FastCheck items;
  private final int minItems;
  private final int maxItems;
  private final Map<String, FastCheck> properties;
  private final List<String> required;
  private final boolean closed;

  private FastCheck(JsonNode n, Type type, Map<String, FastCheck> properties, FastCheck items) {
    this.type = type;
    this.enumValues = strings(n.get("enum"));
    this.minLength = n.has("minLength") ? n.get("minLength").intValue() : 0;
    this.maxLength = n.has("maxLength") ? n.get("maxLength").intValue() : Integer.MAX_VALUE;
    this.pattern = n.has("pattern") ? Pattern.compile(n.get("pattern").textValue()) : null;
    this.minimum = n.has("minimum") ? n.get("minimum").doubleValue() : Double.NEGATIVE_INFINITY;
    this.maximum = n.has("maximum") ? n.get("maximum").doubleValue() : Double.POSITIVE_INFINITY;
    this.items = items;
    this.minItems = n.has("minItems") ? n.get("minItems").intValue() : 0;
    this.maxItems = n.has("maxItems") ? n.get("maxItems").intValue() : Integer.MAX_VALUE;
    this.properties = properties;
    List<String> req = new ArrayList<>();
    if (n.has("required")) {
      n.get("required").forEach(r -> req.add(r.textValue()));
    }
    this.required = List.copyOf(req);
    this.closed = n.has("additionalProperties");
  }

  /** The fast form of {@code schema}, or null when it uses anything outside the subset. */
  static FastCheck compile(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return null;
    }
    for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
      if (!KNOWN.contains(it.next())) {
        return null;
      }
    }
    Type type = Type.ANY;
    JsonNode t = schema.get("type");
    if (t != null) {
      if (!t.isTextual()) {
        return null;
      }
      try {
        type = Type.valueOf(t.textValue().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    JsonNode e = schema.get("enum");
    if (e != null && (!e.isArray() || strings(e) == null)) {
      return null;
    }
    for (String k : List.of("minLength", "maxLength", "minItems", "maxItems")) {
      if (schema.has(k) && !schema.get(k).canConvertToInt()) {
        return null;
      }
    }
    for (String k : List.of("minimum", "maximum")) {
      if (schema.has(k) && !schema.get(k).isNumber()) {
        return null;
      }
    }
    JsonNode pat = schema.get("pattern");
    if (pat != null) {
      if (!pat.isTextual()) {
        return null;
      }
      try {
        Pattern.compile(pat.textValue());
      } catch (PatternSyntaxException ex) {
        return null;
      }
    }
    JsonNode ap = schema.get("additionalProperties");
    if (ap != null && !(ap.isBoolean() && !ap.booleanValue())) {
      return null;
    }
    JsonNode req = schema.get("required");
    if (req != null) {
      if (!req.isArray()) {
        return null;
      }
      for (JsonNode r : req) {
        if (!r.isTextual()) {
          return null;
        }
      }
    }
    Map<String, FastCheck> props = new HashMap<>();
    JsonNode p = schema.get("properties");
    if (p != null) {
      if (!p.isObject()) {
        return null;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        FastCheck c = compile(f.getValue());
        if (c == null) {
          return null;
        }
        props.put(f.getKey(), c);
      }
    }
    FastCheck items = null;
    if (schema.has("items")) {
      items = compile(schema.get("items"));
      if (items == null) {
        return null;
      }
    }
    return new FastCheck(schema, type, Map.copyOf(props), items);
  }

  private static Set<String> strings(JsonNode array) {
    if (array == null) {
      return null;
    }
    Set<String> out = new HashSet<>();
    for (JsonNode v : array) {
      if (!v.isTextual()) {
        return null;
      }
      out.add(v.textValue());
    }
    return out;
  }

  /** True only when {@code v} (a JSON-like value of an event) certainly satisfies the schema. */
  boolean valid(Object v) {
    switch (type) {
      case NULL:
        return v == null && enumValues == null;
      case BOOLEAN:
        if (!(v instanceof Boolean)) {
          return false;
        }
        break;
      case STRING:
        if (!(v instanceof String)) {
          return false;
        }
        break;
      case INTEGER:
        if (!(v instanceof Integer || v instanceof Long)) {
          return false; // 1.0, BigInteger: let the full validator judge
        }
        break;
      case NUMBER:
        if (!(v instanceof Integer || v instanceof Long || v instanceof Double)) {
          return false;
        }
        break;
      case ARRAY:
        if (!(v instanceof List<?>)) {
          return false;
        }
        break;
      case OBJECT:
        if (!(v instanceof Map<?, ?>)) {
          return false;
        }
        break;
      default:
        if (v == null || v instanceof BigInteger || v instanceof BigDecimal || v instanceof Float) {
          return false;
        }
    }
    if (v instanceof String s) {
      if (enumValues != null && !enumValues.contains(s)) {
        return false;
      }
      if (minLength > 0 || maxLength != Integer.MAX_VALUE) {
        int n = s.codePointCount(0, s.length());
        if (n < minLength || n > maxLength) {
          return false;
        }
      }
      if (pattern != null && !pattern.matcher(s).find()) {
        return false;
      }
    } else if (enumValues != null) {
      return false;
    }
    if (v instanceof Number num) {
      double d = num.doubleValue();
      if (v instanceof Long l && Math.abs(l) > (1L << 53)) {
        return minimum == Double.NEGATIVE_INFINITY && maximum == Double.POSITIVE_INFINITY;
      }
      if (d < minimum || d > maximum) {
        return false;
      }
    }
    if (v instanceof List<?> list) {
      if (list.size() < minItems || list.size() > maxItems) {
        return false;
      }
      if (items != null) {
        for (Object o : list) {
          if (!items.valid(o)) {
            return false;
          }
        }
      }
    }
    if (v instanceof Map<?, ?> map) {
      for (String r : required) {
        if (!map.containsKey(r)) {
          return false;
        }
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        FastCheck c = properties.get(e.getKey());
        if (c == null) {
          if (closed) {
            return false;
          }
        } else if (!c.valid(e.getValue())) {
          return false;
        }
      }
    }
    return true;
  }
}
