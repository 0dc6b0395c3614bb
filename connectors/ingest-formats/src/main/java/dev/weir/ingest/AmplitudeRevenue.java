package dev.weir.ingest;

import dev.weir.sdk.Event;
import java.util.List;

/**
 * Amplitude's revenue fields: the top-level {@code price}, {@code quantity}, {@code revenue},
 * {@code productId}, {@code revenueType} and {@code currency} of HTTP V2, or, where those are
 * absent, the event properties {@code $price}, {@code $quantity}, {@code $revenue}, {@code
 * $productId}, {@code $revenueType} and {@code $currency} that Amplitude's SDKs send on a revenue
 * event. Revenue is computed as Amplitude documents it: {@code price × quantity} when both are
 * known, else the revenue given, else the price (quantity 1). The properties stay in {@code
 * event_properties} as sent; their values are noted while the properties are copied (one pass, no
 * lookup afterwards). Stateless.
 */
final class AmplitudeRevenue {
  private AmplitudeRevenue() {}

  /** The event properties Amplitude's SDKs send on a revenue event, noted while copying them. */
  static final String[] PROPERTIES = {
    "$quantity", "$price", "$revenue", "$productId", "$revenueType", "$currency"
  };

  private static final int QUANTITY = 0;
  private static final int PRICE = 1;
  private static final int REVENUE = 2;
  private static final int PRODUCT_ID = 3;
  private static final int REVENUE_TYPE = 4;
  private static final int CURRENCY = 5;

  /** Maps the revenue fields into {@code out} (by field ordinal). */
  static void map(AmplitudeFields f, Object[] out, List<FieldProblem> problems) {
    Integer quantity = quantity(f.whole(AmplitudeFields.QUANTITY, problems), problems);
    if (quantity == null
        && !f.has(AmplitudeFields.QUANTITY)
        && f.revenueProperty(QUANTITY) instanceof Number n) {
      double d = n.doubleValue();
      quantity = d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE ? (int) d : null;
    }
    Double price = f.number(AmplitudeFields.PRICE, problems);
    if (price == null && !f.has(AmplitudeFields.PRICE)) {
      price = finite(f.revenueProperty(PRICE));
    }
    Double revenue = f.number(AmplitudeFields.REVENUE, problems);
    if (revenue == null && !f.has(AmplitudeFields.REVENUE)) {
      revenue = finite(f.revenueProperty(REVENUE));
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
    out[Event.Field.PRICE.ordinal()] = price;
    out[Event.Field.QUANTITY.ordinal()] = quantity;
    out[Event.Field.REVENUE.ordinal()] = revenue;
    out[Event.Field.PRODUCT_ID.ordinal()] =
        text(f, AmplitudeFields.PRODUCT_ID, PRODUCT_ID, problems);
    out[Event.Field.REVENUE_TYPE.ordinal()] =
        text(f, AmplitudeFields.REVENUE_TYPE, REVENUE_TYPE, problems);
    out[Event.Field.CURRENCY.ordinal()] = text(f, AmplitudeFields.CURRENCY, CURRENCY, problems);
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
      AmplitudeFields f, int slot, int property, List<FieldProblem> problems) {
    String v = f.text(slot, problems);
    if (v != null) {
      return JsonConvert.cut(v);
    }
    return !f.has(slot) && f.revenueProperty(property) instanceof String s ? s : null;
  }
}
