package dev.weir.realtime;

import java.util.List;

/** Evaluates an event type and filters against a row of a {@link QueryEngine.Table}. Immutable. */
final class Matcher {
  private final String eventType;
  private final List<Filter> filters;
  private final int[] columns;

  /** {@code filterColumns[i]} is the table column of {@code filters.get(i)}. */
  Matcher(String eventType, List<Filter> filters, int[] filterColumns) {
    this.eventType = eventType;
    this.filters = filters;
    this.columns = filterColumns;
  }

  boolean matches(QueryEngine.Table t, int row) {
    if (eventType != null && !eventType.equals(t.get(QueryEngine.EVENT_TYPE, row))) {
      return false;
    }
    for (int i = 0; i < columns.length; i++) {
      if (!test(filters.get(i), t.get(columns[i], row))) {
        return false;
      }
    }
    return true;
  }

  static boolean test(Filter f, Object v) {
    switch (f.op()) {
      case EXISTS:
        return v != null;
      case EQ:
        return v != null && equal(v, f.values().get(0));
      case NE:
        return v == null || !equal(v, f.values().get(0));
      case IN:
        if (v == null) {
          return false;
        }
        for (Object o : f.values()) {
          if (equal(v, o)) {
            return true;
          }
        }
        return false;
      case LT:
        return v != null && compare(v, f.values().get(0)) < 0;
      case GT:
        return v != null && compare(v, f.values().get(0)) > 0;
      default:
        return false;
    }
  }

  private static boolean equal(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
    }
    return a.equals(b);
  }

  /**
   * Numbers by value, strings lexicographically; anything else never compares (treated as no
   * match).
   */
  private static int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    return 0;
  }

  static boolean comparable(Object a, Object b) {
    return (a instanceof Number && b instanceof Number)
        || (a instanceof String && b instanceof String);
  }
}
