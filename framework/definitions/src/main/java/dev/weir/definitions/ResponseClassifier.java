package dev.weir.definitions;

import dev.weir.sdk.Outcome;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns one HTTP response into one {@link Outcome} per event of the request, per the definition's
 * declared policy: which statuses mean success, retry or drop (an exact code beats a class such as
 * {@code 4xx}), and, when {@code responses} is declared, per-event errors read from the body and
 * mapped back by index or by id, whatever order the server lists them in. Immutable and
 * thread-safe.
 */
final class ResponseClassifier {
  private static final int MAX_REASON = 300;

  enum Verdict {
    SUCCESS,
    RETRY,
    DROP
  }

  /** The longest wait a response can impose: a misread epoch must not stall a destination. */
  static final Duration MAX_WAIT = Duration.ofHours(1);

  private final DeliverySettings delivery;
  private final DefinitionModel.Responses responses;
  private final Template retryAfterBody;

  ResponseClassifier(DeliverySettings delivery, DefinitionModel.Responses responses) {
    this.delivery = delivery;
    this.responses = responses;
    DeliverySettings.RetryAfter ra = delivery.retryAfter();
    this.retryAfterBody = ra == null || ra.body() == null ? null : Template.compile(ra.body());
  }

  Verdict verdict(int status) {
    String exact = Integer.toString(status);
    String cls = (status / 100) + "xx";
    if (delivery.successStatuses().contains(exact)) {
      return Verdict.SUCCESS;
    }
    if (delivery.retryStatuses().contains(exact)) {
      return Verdict.RETRY;
    }
    if (delivery.dropStatuses().contains(exact)) {
      return Verdict.DROP;
    }
    if (delivery.successStatuses().contains(cls)) {
      return Verdict.SUCCESS;
    }
    if (delivery.retryStatuses().contains(cls)) {
      return Verdict.RETRY;
    }
    if (delivery.dropStatuses().contains(cls)) {
      return Verdict.DROP;
    }
    return Verdict.RETRY; // an undeclared status loses nothing: the engine's max attempts bound it
  }

  /** {@link #classify(int, Function, String, List, long)} with only a {@code Retry-After}. */
  List<Outcome> classify(
      int httpStatus, String retryAfterHeader, String body, List<Map<String, Object>> events) {
    return classify(
        httpStatus,
        name -> name.equalsIgnoreCase("Retry-After") ? retryAfterHeader : null,
        body,
        events,
        System.currentTimeMillis());
  }

  /**
   * @param headers the response's headers by name (case-insensitive), null when absent
   * @param events the events of the request, as canonical maps, in request order
   * @param nowMillis the time the response arrived, for waits given as a moment
   */
  List<Outcome> classify(
      int httpStatus,
      Function<String, String> headers,
      String body,
      List<Map<String, Object>> events,
      long nowMillis) {
    int status = effectiveStatus(httpStatus, body);
    String http =
        status == httpStatus
            ? "HTTP " + status
            : "HTTP " + httpStatus + " (body status " + status + ")";
    Verdict v = verdict(status);
    int n = events.size();
    List<Outcome> out = new ArrayList<>(n);
    String snippet = snippet(body);
    if (v == Verdict.RETRY) {
      Duration after = wait(headers, body, nowMillis);
      String reason = http + " is declared retryable" + snippet;
      Outcome o =
          (after == null ? Outcome.retry(reason) : Outcome.retryAfter(after, reason))
              .withStatusCode(status);
      for (int i = 0; i < n; i++) {
        out.add(o);
      }
      return out;
    }
    Map<Integer, Outcome> perEvent = perEventErrors(http, status, body, events);
    for (int i = 0; i < n; i++) {
      Outcome listed = perEvent.get(i);
      if (listed != null) {
        out.add(listed);
      } else if (v == Verdict.SUCCESS) {
        out.add(Outcome.delivered().withStatusCode(status));
      } else if (!perEvent.isEmpty() && responses.unlistedDelivered()) {
        out.add(Outcome.delivered().withStatusCode(status));
      } else if (!perEvent.isEmpty()) {
        out.add(
            Outcome.retry(
                    http
                        + " named other events of the request as bad; this one was not "
                        + "processed")
                .withStatusCode(status));
      } else {
        out.add(Outcome.rejected(http + " is declared a drop" + snippet).withStatusCode(status));
      }
    }
    return out;
  }

  private Map<Integer, Outcome> perEventErrors(
      String http, int status, String body, List<Map<String, Object>> events) {
    Map<Integer, Outcome> out = new HashMap<>();
    if (responses == null || responses.errors() == null || body == null || body.isBlank()) {
      return out;
    }
    Object parsed;
    try {
      parsed = RequestPlanner.JSON.readValue(body, Object.class);
    } catch (Exception e) {
      return out;
    }
    Object errors;
    try {
      errors = responses.errors().evaluate(parsed);
    } catch (TemplateException e) {
      return out;
    }
    if (errors == null) {
      return out;
    }
    List<?> list = errors instanceof List<?> l ? l : List.of(errors);
    Map<String, List<Integer>> byId = null;
    for (Object err : list) {
      Object in = err;
      List<Integer> indexes = List.of();
      try {
        if (responses.index() != null) {
          Object iv = responses.index().evaluate(in);
          if (iv instanceof Number num) {
            indexes = List.of(num.intValue());
          } else if (iv != null) {
            indexes = List.of(Integer.valueOf(iv.toString()));
          }
        } else if (responses.id() != null) {
          if (byId == null) {
            byId = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
              Object id = responses.eventId().evaluate(Map.of("event", events.get(i)));
              if (id != null) {
                byId.computeIfAbsent(id.toString(), k -> new ArrayList<>()).add(i);
              }
            }
          }
          Object idv = responses.id().evaluate(in);
          // an id names every event of the request that carries it (one user, several events)
          indexes = idv == null ? List.of() : byId.getOrDefault(idv.toString(), List.of());
        }
      } catch (TemplateException | NumberFormatException e) {
        indexes = List.of();
      }
      indexes = indexes.stream().filter(i -> i >= 0 && i < events.size()).toList();
      if (indexes.isEmpty()) {
        continue;
      }
      String reason = http + ": event rejected by the partner";
      boolean retry = false;
      try {
        if (responses.reason() != null) {
          Object r = responses.reason().evaluate(in);
          if (r != null) {
            reason = http + ": " + truncate(r.toString());
          }
        }
        if (responses.retryWhen() != null) {
          retry = Boolean.TRUE.equals(responses.retryWhen().evaluate(in));
        }
      } catch (TemplateException e) {
        // keep the defaults: the event is still reported, with a generic reason
      }
      Outcome o = (retry ? Outcome.retry(reason) : Outcome.rejected(reason)).withStatusCode(status);
      for (int index : indexes) {
        out.put(index, o);
      }
    }
    return out;
  }

  /**
   * The status to classify by: {@code responses.status} evaluated over the parsed body (with the
   * HTTP status as {@code $status}) when it gives a number, for APIs that put the real error code
   * in the body (a 200 with an error code, a 400 that means throttled); else the HTTP status.
   */
  private int effectiveStatus(int httpStatus, String body) {
    if (responses == null || responses.status() == null || body == null || body.isBlank()) {
      return httpStatus;
    }
    try {
      Object parsed = RequestPlanner.JSON.readValue(body, Object.class);
      Object v = responses.status().evaluate(parsed, Map.of("status", httpStatus));
      if (v instanceof Number n && n.intValue() >= 100 && n.intValue() <= 599) {
        return n.intValue();
      }
    } catch (Exception e) {
      // not JSON, or the expression failed: the HTTP status stands
    }
    return httpStatus;
  }

  /**
   * How long the response asks to wait: the declared {@code retry_after} place when it gives a
   * value, else {@code Retry-After}; null when neither does. At most {@link #MAX_WAIT}.
   */
  Duration wait(Function<String, String> headers, String body, long nowMillis) {
    DeliverySettings.RetryAfter ra = delivery.retryAfter();
    Duration d = null;
    if (ra != null) {
      Object v = ra.header() != null ? headers.apply(ra.header()) : fromBody(body);
      d = read(v, ra.format(), nowMillis);
    }
    if (d == null) {
      d = read(headers.apply("Retry-After"), null, nowMillis);
    }
    if (d == null) {
      return null;
    }
    return d.isNegative() ? Duration.ZERO : d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d;
  }

  private Object fromBody(String body) {
    if (retryAfterBody == null || body == null || body.isBlank()) {
      return null;
    }
    try {
      return retryAfterBody.evaluate(RequestPlanner.JSON.readValue(body, Object.class));
    } catch (Exception e) {
      return null; // not JSON, or the expression failed: Retry-After (or the backoff) decides
    }
  }

  /** A value in {@code format} (null: delay seconds or an HTTP date) as a wait from now. */
  static Duration read(Object v, String format, long nowMillis) {
    if (v == null || v.toString().isBlank()) {
      return null;
    }
    String text = v.toString().trim();
    if ("http_date".equals(format) || (format == null && !(v instanceof Number))) {
      try {
        ZonedDateTime t = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Duration.ofMillis(t.toInstant().toEpochMilli() - nowMillis);
      } catch (RuntimeException e) {
        if (format != null) {
          return null;
        }
      }
    }
    double n;
    try {
      n = v instanceof Number num ? num.doubleValue() : Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return null;
    }
    if (Double.isNaN(n) || Double.isInfinite(n)) {
      return null;
    }
    long millis =
        switch (format == null ? "delay_seconds" : format) {
          case "delay_milliseconds" -> (long) n;
          case "epoch_seconds" -> (long) (n * 1000) - nowMillis;
          case "epoch_milliseconds" -> (long) n - nowMillis;
          default -> (long) (n * 1000);
        };
    return Duration.ofMillis(millis);
  }

  private static String snippet(String body) {
    return body == null || body.isBlank() ? "" : ": " + truncate(body.strip());
  }

  private static String truncate(String s) {
    return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON) + "...";
  }
}
