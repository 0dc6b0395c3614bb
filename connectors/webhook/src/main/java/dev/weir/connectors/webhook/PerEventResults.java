package dev.weir.connectors.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Outcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads per-event outcomes from a webhook response's results array. Stateless. */
final class PerEventResults {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> OK =
      Set.of("ok", "delivered", "success", "accepted", "stored", "duplicate");
  private static final Set<String> RETRY = Set.of("retry", "retryable", "throttled", "unavailable");

  private PerEventResults() {}

  /**
   * One outcome per event, or null when the body has no array of {@code size} entries at {@code
   * field}.
   */
  static List<Outcome> read(byte[] body, String field, int size) {
    JsonNode results;
    try {
      results = JSON.readTree(body).path(field);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (!results.isArray() || results.size() != size) {
      return null;
    }
    List<Outcome> out = new ArrayList<>(size);
    for (JsonNode r : results) {
      out.add(outcome(r));
    }
    return out;
  }

  private static Outcome outcome(JsonNode r) {
    if (r.isBoolean()) {
      return r.booleanValue() ? Outcome.delivered() : Outcome.rejected("refused by the endpoint");
    }
    JsonNode status = r.isObject() ? r.path("status") : r;
    String reason = r.isObject() ? firstText(r, "error", "reason", "message") : null;
    if (status.isInt()) {
      return StatusMapping.outcome(
          status.intValue(), null, reason == null ? "status " + status.intValue() : reason);
    }
    String s = status.asText("").toLowerCase(Locale.ROOT);
    if (OK.contains(s)) {
      return Outcome.delivered();
    }
    if (RETRY.contains(s)) {
      return Outcome.retry(reason == null ? s : reason);
    }
    return Outcome.rejected(
        reason == null ? (s.isEmpty() ? "refused by the endpoint" : s) : reason);
  }

  private static String firstText(JsonNode n, String... names) {
    for (String name : names) {
      if (n.hasNonNull(name)) {
        return n.get(name).asText();
      }
    }
    return null;
  }
}
