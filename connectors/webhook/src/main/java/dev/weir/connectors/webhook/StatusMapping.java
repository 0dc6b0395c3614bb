package dev.weir.connectors.webhook;

import dev.weir.sdk.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Maps an HTTP response to an {@link Outcome}. Stateless. */
final class StatusMapping {
  private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  private StatusMapping() {}

  static Outcome outcome(int code, String retryAfterHeader, String message) {
    String reason = "HTTP " + code + (message == null || message.isEmpty() ? "" : " " + message);
    if (code >= 200 && code < 300) {
      return Outcome.delivered().withStatusCode(code);
    }
    if (code == 408 || code == 429 || code >= 500) {
      Duration after = retryAfter(retryAfterHeader, Instant.now());
      Outcome o = after == null ? Outcome.retry(reason) : Outcome.retryAfter(after, reason);
      return o.withStatusCode(code);
    }
    return Outcome.rejected(reason).withStatusCode(code);
  }

  /** {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim();
    try {
      long seconds = Long.parseLong(h);
      return seconds < 0 ? null : min(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return d.isNegative() ? Duration.ZERO : min(d);
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  private static Duration min(Duration d) {
    return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
  }
}
