package dev.weir.sdk;

import java.util.Objects;

/**
 * A connector's own view of its health, shown in status and readiness.
 *
 * @param status up, degraded or down
 * @param detail a short explanation for people; empty when up
 */
public record Health(Status status, String detail) {
  private static final Health UP = new Health(Status.UP, "");

  public Health {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  public enum Status {
    UP,
    DEGRADED,
    DOWN
  }

  public static Health up() {
    return UP;
  }

  public static Health degraded(String detail) {
    return new Health(Status.DEGRADED, detail);
  }

  public static Health down(String detail) {
    return new Health(Status.DOWN, detail);
  }
}
