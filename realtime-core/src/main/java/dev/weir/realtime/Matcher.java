package dev.weir.realtime;

import java.util.function.Function;

/**
 * The meaning of a {@link Filter} for one row, value by value: the definition the vectorised
 * evaluator ({@link Col}) follows and falls back to for mixed-type columns. Stateless.
 */
final class Matcher {
  private Matcher() {}

  /** Whether the row whose column values {@code row} returns satisfies {@code f}. */
  static boolean test(Filter f, Function<String, Object> row) {
    switch (f.op()) {
      case AND:
        for (Filter c : f.children()) {
          if (!test(c, row)) {
            return false;
          }
        }
        return true;
      case OR:
        for (Filter c : f.children()) {
          if (test(c, row)) {
            return true;
          }
        }
        return false;
      default:
        return testValue(f, row.apply(f.property()));
    }
  }

  /** Whether a leaf filter holds for a column value ({@code null} when absent). */
  static boolean testValue(Filter f, Object v) {
    switch (f.op()) {
      case EXISTS:
        return v != null;
      case EQ:
        return v != null && equal(v, f.values().get(0));
      case NE:
        return v == null || !equal(v, f.values().get(0));
      case IN:
        return v != null && in(v, f);
      case NOT_IN:
        return v == null || !in(v, f);
      case LT:
        return comparable(v, f.values().get(0)) && compare(v, f.values().get(0)) < 0;
      case LE:
        return comparable(v, f.values().get(0)) && compare(v, f.values().get(0)) <= 0;
      case GT:
        return comparable(v, f.values().get(0)) && compare(v, f.values().get(0)) > 0;
      case GE:
        return comparable(v, f.values().get(0)) && compare(v, f.values().get(0)) >= 0;
      case CONTAINS:
        return v instanceof String s && s.contains(String.valueOf(f.values().get(0)));
      default:
        throw new IllegalArgumentException("not a leaf filter: " + f.op());
    }
  }

  private static boolean in(Object v, Filter f) {
    for (Object o : f.values()) {
      if (equal(v, o)) {
        return true;
      }
    }
    return false;
  }

  static boolean equal(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
    }
    return a.equals(b);
  }

  /** Numbers by value, strings lexicographically. */
  static int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    return ((String) a).compareTo((String) b);
  }

  static boolean comparable(Object a, Object b) {
    return (a instanceof Number && b instanceof Number)
        || (a instanceof String && b instanceof String);
  }
}
