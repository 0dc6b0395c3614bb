package dev.weir.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sdk.Event;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The field readers of {@link SegmentFormat}: each turns a bad value into a {@link FieldProblem}
 * naming the field and never throws. Stateless.
 */
final class SegmentFields {
  private SegmentFields() {}

  static String string(JsonNode node, String field, List<FieldProblem> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isIntegralNumber() && (field.equals("userId") || field.equals("anonymousId"))) {
      return v.asText(); // Segment's libraries coerce numeric ids to strings
    }
    problems.add(FieldProblem.invalid(field, field + " must be a string"));
    return null;
  }

  static Map<String, Object> object(JsonNode node, String field, List<FieldProblem> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Map.of();
    }
    if (!v.isObject()) {
      problems.add(FieldProblem.invalid(field, field + " must be a JSON object"));
      return Map.of();
    }
    try {
      return JsonConvert.object(v);
    } catch (JsonConvert.BadValue e) {
      problems.add(FieldProblem.invalid(field, field + " " + e.getMessage()));
      return Map.of();
    }
  }

  /**
   * Sets {@code time}: the call's {@code timestamp} (or {@code originalTimestamp}) corrected by
   * {@code receivedAt - sentAt}, with the call's {@code sentAt} or else the batch's; uncorrected
   * without a {@code sentAt}; the receive time without a timestamp. The client's own strings are
   * kept under their own names.
   */
  static void time(
      JsonNode call,
      JsonNode batchSentAt,
      long receivedAt,
      Event.Builder b,
      Map<String, Object> kept,
      List<FieldProblem> problems) {
    String timestampField = call.hasNonNull("timestamp") ? "timestamp" : "originalTimestamp";
    Long timestamp = instant(call.get(timestampField), timestampField, kept, problems);
    if (timestampField.equals("timestamp") && call.hasNonNull("originalTimestamp")) {
      try { // sent besides timestamp: not used, kept as sent
        kept.put("originalTimestamp", JsonConvert.VENDOR.value(call.get("originalTimestamp"), 1));
      } catch (JsonConvert.BadValue e) {
        problems.add(
            FieldProblem.invalid("originalTimestamp", "originalTimestamp " + e.getMessage()));
      }
    }
    JsonNode sentAtNode = call.hasNonNull("sentAt") ? call.get("sentAt") : batchSentAt;
    Long sentAt = instant(sentAtNode, "sentAt", kept, problems);
    if (timestamp == null) {
      b.time(receivedAt);
      return;
    }
    if (sentAt == null) {
      b.time(timestamp);
      return;
    }
    long corrected;
    try {
      corrected = Math.subtractExact(receivedAt, Math.subtractExact(sentAt, timestamp));
    } catch (ArithmeticException e) {
      corrected = Long.MIN_VALUE;
    }
    if (!Timestamps.inRange(corrected)) {
      problems.add(
          FieldProblem.invalid(
              timestampField,
              timestampField + " corrected by sentAt falls outside the years 0000-9999"));
      return;
    }
    b.time(corrected);
  }

  private static Long instant(
      JsonNode v, String field, Map<String, Object> kept, List<FieldProblem> problems) {
    if (v == null || v.isNull()) {
      return null;
    }
    Long millis = v.isTextual() ? Timestamps.parse(v.textValue()) : null;
    if (millis == null) {
      String got =
          v.isTextual()
              ? "'" + JsonConvert.cut(v.textValue()) + "'"
              : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
      problems.add(
          FieldProblem.invalid(
              field,
              field + " must be an ISO-8601 date-time within the years 0000-9999, got " + got));
      return null;
    }
    kept.put(field, v.textValue());
    return millis;
  }

  /**
   * Fills the revenue fields from a track call's properties, as Segment's e-commerce spec names
   * them.
   */
  static void revenue(Event.Builder b, Map<String, Object> props) {
    if (props.get("revenue") instanceof Number n) {
      b.revenue(n.doubleValue());
    }
    if (props.get("price") instanceof Number n) {
      b.price(n.doubleValue());
    }
    if (props.get("quantity") instanceof Number n
        && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
      b.quantity(n.intValue());
    }
    Object productId =
        props.containsKey("productId") ? props.get("productId") : props.get("product_id");
    if (productId instanceof String s) {
      b.productId(s);
    }
    if (props.get("currency") instanceof String s) {
      b.currency(s);
    }
    if (props.get("revenueType") instanceof String s) {
      b.revenueType(s);
    }
  }

  /** Maps {@code context} and keeps its unmapped remainder as {@code kept.context}. */
  static void context(
      JsonNode call,
      Event.Builder b,
      boolean identifyTraits,
      Map<String, Object> kept,
      List<FieldProblem> problems) {
    JsonNode ctx = call.get("context");
    if (ctx == null || ctx.isNull()) {
      return;
    }
    if (!ctx.isObject()) {
      problems.add(FieldProblem.invalid("context", "context must be a JSON object"));
      return;
    }
    try {
      ObjectNode rest = SegmentContext.map((ObjectNode) ctx, b, identifyTraits);
      if (rest != null) {
        kept.put("context", JsonConvert.object(rest));
      }
    } catch (JsonConvert.BadValue e) {
      problems.add(FieldProblem.invalid("context", "context " + e.getMessage()));
    }
  }

  /** Keeps every top-level field that neither {@code common} nor {@code mapped} names. */
  static void keepOthers(
      JsonNode call,
      Set<String> common,
      Set<String> mapped,
      Map<String, Object> kept,
      List<FieldProblem> problems) {
    Iterator<Map.Entry<String, JsonNode>> it = call.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (common.contains(key) || mapped.contains(key) || e.getValue().isNull()) {
        continue;
      }
      try {
        kept.put(key, JsonConvert.VENDOR.value(e.getValue(), 1));
      } catch (JsonConvert.BadValue bad) {
        problems.add(FieldProblem.invalid(key, key + " " + bad.getMessage()));
      }
    }
  }
}
