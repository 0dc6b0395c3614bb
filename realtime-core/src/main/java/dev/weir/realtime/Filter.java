package dev.weir.realtime;

import java.util.List;
import java.util.Objects;

/**
 * A condition on one column of an event, or an {@code and}/{@code or} of conditions. {@code
 * property} is a top-level field name ({@code country}, {@code platform}, ...) or {@code
 * event_properties.<key>} / {@code user_properties.<key>}. Numbers compare by value, strings by
 * equality ({@code <}/{@code >} compare strings lexicographically; a number never compares with a
 * string). {@code contains} matches strings holding the value as a substring. A missing value
 * matches only the negations {@code NE} and {@code NOT_IN}, never {@code EQ}, {@code IN}, {@code
 * LT}, {@code GT} or {@code CONTAINS}. Immutable.
 */
public record Filter(String property, Op op, List<Object> values, List<Filter> children) {
  /** The comparison, or the combination for {@link #and}/{@link #or}. */
  public enum Op {
    EQ,
    NE,
    IN,
    NOT_IN,
    LT,
    LE,
    GT,
    GE,
    CONTAINS,
    EXISTS,
    AND,
    OR
  }

  public Filter {
    Objects.requireNonNull(op, "op");
    values = values == null ? List.of() : List.copyOf(values);
    children = children == null ? List.of() : List.copyOf(children);
    if (op == Op.AND || op == Op.OR) {
      if (children.isEmpty()) {
        throw new IllegalArgumentException(op + " needs at least one condition");
      }
    } else {
      Objects.requireNonNull(property, "property");
      int need =
          switch (op) {
            case EXISTS -> 0;
            case IN, NOT_IN -> -1;
            default -> 1;
          };
      if (need >= 0 && values.size() != need) {
        throw new IllegalArgumentException(
            op + " on " + property + " needs " + need + " value(s), got " + values.size());
      }
      for (Object v : values) {
        if (!(v instanceof Number) && !(v instanceof String) && !(v instanceof Boolean)) {
          throw new IllegalArgumentException(
              op + " on " + property + ": values must be numbers, strings or booleans, got " + v);
        }
      }
    }
  }

  public Filter(String property, Op op, List<Object> values) {
    this(property, op, values, List.of());
  }

  public static Filter eq(String property, Object value) {
    return new Filter(property, Op.EQ, List.of(value));
  }

  public static Filter ne(String property, Object value) {
    return new Filter(property, Op.NE, List.of(value));
  }

  public static Filter in(String property, List<?> values) {
    return new Filter(property, Op.IN, List.copyOf(values));
  }

  public static Filter notIn(String property, List<?> values) {
    return new Filter(property, Op.NOT_IN, List.copyOf(values));
  }

  public static Filter lt(String property, Object value) {
    return new Filter(property, Op.LT, List.of(value));
  }

  public static Filter le(String property, Object value) {
    return new Filter(property, Op.LE, List.of(value));
  }

  public static Filter gt(String property, Object value) {
    return new Filter(property, Op.GT, List.of(value));
  }

  public static Filter ge(String property, Object value) {
    return new Filter(property, Op.GE, List.of(value));
  }

  public static Filter contains(String property, String value) {
    return new Filter(property, Op.CONTAINS, List.of(value));
  }

  public static Filter exists(String property) {
    return new Filter(property, Op.EXISTS, List.of());
  }

  /** Every one of {@code conditions} holds. */
  public static Filter and(List<Filter> conditions) {
    return new Filter(null, Op.AND, List.of(), conditions);
  }

  /** At least one of {@code conditions} holds. */
  public static Filter or(List<Filter> conditions) {
    return new Filter(null, Op.OR, List.of(), conditions);
  }

  /** Every column this condition reads. */
  void properties(java.util.Collection<String> out) {
    if (property != null) {
      out.add(property);
    }
    for (Filter c : children) {
      c.properties(out);
    }
  }
}
