package dev.weir.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sdk.Event;
import java.util.List;
import java.util.Map;

/**
 * The tree-based {@link AmplitudeRevenue} as it was before parsing went straight into compact
 * events: kept as the oracle that StreamingParsersMatchTreeParsersTest holds the streaming parser
 * to.
 *
 * <p>Original documentation follows.
 *
 * <p>Amplitude's revenue fields: the top-level {@code price}, {@code quantity}, {@code revenue},
 * {@code productId}, {@code revenueType} and {@code currency} of HTTP V2, or, where those are
 * absent, the event properties {@code $price}, {@code $quantity}, {@code $revenue}, {@code
 * $productId}, {@code $revenueType} and {@code $currency} that Amplitude's SDKs send on a revenue
 * event. Revenue is computed as Amplitude documents it: {@code price × quantity} when both are
 * known, else the revenue given, else the price (quantity 1). The properties stay in {@code
 * event_properties} as sent. Stateless.
 */
final class LegacyAmplitudeRevenue {
  private LegacyAmplitudeRevenue() {}

  static void map(
      JsonNode node, Map<String, Object> props, Event.Builder b, List<FieldProblem> problems) {
    Integer quantity = quantity(LegacyAmplitudeFormat.whole(node, "quantity", problems), problems);
    if (quantity == null
        && !node.hasNonNull("quantity")
        && props.get("$quantity") instanceof Number n) {
      double d = n.doubleValue();
      quantity = d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE ? (int) d : null;
    }
    Double price = LegacyAmplitudeFormat.number(node, "price", problems);
    if (price == null && !node.hasNonNull("price")) {
      price = finite(props.get("$price"));
    }
    Double revenue = LegacyAmplitudeFormat.number(node, "revenue", problems);
    if (revenue == null && !node.hasNonNull("revenue")) {
      revenue = finite(props.get("$revenue"));
    }
    if (price != null && quantity != null) {
      revenue = price * quantity;
    } else if (revenue == null && price != null) {
      revenue = price;
    }
    if (revenue != null && !Double.isFinite(revenue)) {
      problems.add(FieldProblem.invalid("price", "price × quantity is out of range"));
      revenue = null;
    }
    b.price(price).quantity(quantity).revenue(revenue);
    b.productId(text(node, "productId", "$productId", props, problems));
    b.revenueType(text(node, "revenueType", "$revenueType", props, problems));
    b.currency(text(node, "currency", "$currency", props, problems));
  }

  private static Integer quantity(Long q, List<FieldProblem> problems) {
    if (q == null) {
      return null;
    }
    if (Math.abs(q) > Integer.MAX_VALUE) {
      problems.add(FieldProblem.invalid("quantity", "quantity is out of range"));
      return null;
    }
    return q.intValue();
  }

  private static Double finite(Object v) {
    return v instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
  }

  private static String text(
      JsonNode node,
      String field,
      String property,
      Map<String, Object> props,
      List<FieldProblem> problems) {
    String v = LegacyAmplitudeFormat.text(node, field, problems);
    if (v != null) {
      return JsonConvert.cut(v);
    }
    return !node.hasNonNull(field) && props.get(property) instanceof String s ? s : null;
  }
}
