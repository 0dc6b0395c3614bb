package dev.weir.ingest;

import java.util.Objects;

/**
 * Why one field of an incoming event cannot be accepted.
 *
 * @param kind missing, invalid, or an id of the wrong length (Amplitude reports the three
 *     separately)
 * @param field the wire name of the field, such as {@code event_type} or {@code time}
 * @param message what was expected, for people
 */
public record FieldProblem(Kind kind, String field, String message) {
  public FieldProblem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  /** The three classes of problem that the vendors' error responses list separately. */
  public enum Kind {
    MISSING,
    INVALID,
    INVALID_ID_LENGTH
  }

  static FieldProblem missing(String field) {
    return new FieldProblem(Kind.MISSING, field, field + " is required");
  }

  static FieldProblem invalid(String field, String message) {
    return new FieldProblem(Kind.INVALID, field, message);
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
