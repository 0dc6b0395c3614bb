package dev.weir.realtime;

import java.util.List;
import java.util.Objects;

/**
 * A condition on one column of an event. {@code property} is a top-level field name ({@code
 * country}, {@code platform}, ...) or {@code event_properties.<key>} / {@code
 * user_properties.<key>}. Numbers compare by value, strings by equality ({@code <}/{@code >}
 * compare strings lexicographically). A missing value matches only {@code NE} and {@code
 * NOT_EXISTS}-style negations, never {@code EQ}, {@code IN}, {@code LT}, {@code GT}.
 */
public record Filter(String property, Op op, List<Object> values) {
  /** The comparison. */
  public enum Op {
    EQ,
    NE,
    IN,
    LT,
    GT,
    EXISTS
  }

  public Filter {
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(op, "op");
    values = values == null ? List.of() : List.copyOf(values);
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

  public static Filter lt(String property, Object value) {
    return new Filter(property, Op.LT, List.of(value));
  }

  public static Filter gt(String property, Object value) {
    return new Filter(property, Op.GT, List.of(value));
  }

  public static Filter exists(String property) {
    return new Filter(property, Op.EXISTS, List.of());
  }
}
