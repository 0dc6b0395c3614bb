package dev.weir.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * What became of one event handed to a {@link StreamingDestination}: delivered, retry (after an
 * optional delay), or rejected for good. Immutable.
 */
public final class Outcome {
  /** The three fates of a delivery attempt. */
  public enum Status {
    DELIVERED,
    RETRY,
    REJECTED
  }

  private static final Outcome DELIVERED = new Outcome(Status.DELIVERED, null, "", 0);

  private final Status status;
  private final Duration retryAfter;
  private final String reason;
  private final int statusCode;

  private Outcome(Status status, Duration retryAfter, String reason, int statusCode) {
    this.status = status;
    this.retryAfter = retryAfter;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.statusCode = statusCode;
  }

  /** The destination accepted the event. */
  public static Outcome delivered() {
    return DELIVERED;
  }

  /** A passing failure: try again, after the engine's backoff. */
  public static Outcome retry(String reason) {
    return new Outcome(Status.RETRY, null, reason, 0);
  }

  /**
   * A passing failure: try again no sooner than {@code after} (such as a {@code Retry-After}
   * header).
   */
  public static Outcome retryAfter(Duration after, String reason) {
    return new Outcome(Status.RETRY, Objects.requireNonNull(after, "after"), reason, 0);
  }

  /**
   * The destination will never accept this event: it goes to the dead-letter store with {@code
   * reason}.
   */
  public static Outcome rejected(String reason) {
    return new Outcome(Status.REJECTED, null, reason, 0);
  }

  /** The same outcome, recording the HTTP (or other protocol) status code that led to it. */
  public Outcome withStatusCode(int code) {
    return new Outcome(status, retryAfter, reason, code);
  }

  public Status status() {
    return status;
  }

  /**
   * The earliest time to retry, or null to use the engine's backoff; only for {@link Status#RETRY}.
   */
  public Duration retryAfter() {
    return retryAfter;
  }

  /**
   * Why it failed, for people and the dead-letter store; empty when delivered. Must not contain
   * secrets.
   */
  public String reason() {
    return reason;
  }

  /** The protocol status code behind this outcome, or 0 when there is none. */
  public int statusCode() {
    return statusCode;
  }

  @Override
  public String toString() {
    return status
        + (reason.isEmpty() ? "" : "(" + reason + ")")
        + (statusCode == 0 ? "" : "[" + statusCode + "]");
  }
}
