package dev.weir.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.ingest.AmplitudeFormat;
import dev.weir.ingest.FieldProblem;
import dev.weir.ingest.ParsedEvent;
import dev.weir.sdk.Event;
import dev.weir.sdk.StoreUnavailableException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Amplitude's HTTP V2 API ({@code POST /2/httpapi}) and Batch API ({@code POST /batch}), with
 * Amplitude's request shape and its exact response bodies, which Amplitude's SDKs parse. Valid
 * events of a request are ingested even when others are reported (400) or throttled (429); the SDK
 * resends the rest and insert ids dedup the resend. Stateless; thread-safe.
 */
final class AmplitudeApi implements IngestApi {
  static final String HTTP_API = "/2/httpapi";
  static final String BATCH = "/batch";

  @Override
  public void register(Javalin app, Listener listener) {
    app.post(HTTP_API, ctx -> handle(ctx, listener, false));
    app.post(BATCH, ctx -> handle(ctx, listener, true));
  }

  private void handle(Context ctx, Listener listener, boolean batch) {
    long now = System.currentTimeMillis();
    ListenerConfig cfg = listener.config();
    BodyReader.then(
        ctx,
        batch ? cfg.amplitudeBatchMaxBodyBytes() : cfg.amplitudeMaxBodyBytes(),
        cfg.bodyTimeoutMs(),
        listener.timer(),
        body -> handle(ctx, listener, batch, body, now),
        r -> refused(ctx, r));
  }

  private static void refused(Context ctx, Bodies.Refused r) {
    if (r.status == 413) {
      Reply.error(ctx, 413, "Payload too large");
      return;
    }
    Reply.json(
        ctx,
        r.status,
        Reply.object()
            .put("code", r.status)
            .put(
                "error",
                switch (r.status) {
                  case 408 -> "Request timeout";
                  case 415 -> "Unsupported Content-Encoding";
                  default -> "Invalid request body";
                })
            .put("detail", r.getMessage()));
  }

  private void handle(Context ctx, Listener listener, boolean batch, byte[] body, long now)
      throws InterruptedException {
    if (body.length == 0) {
      Reply.error(ctx, 400, "Missing request body");
      return;
    }
    String remoteIp = ctx.ip();
    AmplitudeBody root;
    try {
      root = AmplitudeBody.read(body, now, remoteIp);
    } catch (IOException e) {
      Reply.json(
          ctx,
          400,
          Reply.object()
              .put("code", 400)
              .put("error", "Invalid JSON request body")
              .put("detail", Bodies.describe(e)));
      return;
    }
    if (!root.isObject()) {
      Reply.json(
          ctx,
          400,
          Reply.object()
              .put("code", 400)
              .put("error", "Invalid JSON request body")
              .put("detail", "the body must be a JSON object with api_key and events"));
      return;
    }
    String key = root.apiKey();
    if (key == null || key.isEmpty()) {
      missingField(ctx, "api_key");
      return;
    }
    Ingest ingest = listener.ingestFor(key);
    if (ingest == null) {
      Reply.error(ctx, 400, "Invalid API key: " + Reply.cut(key, 100));
      return;
    }
    if (!ingest.enter()) {
      ctx.header("Retry-After", "1");
      Reply.error(ctx, 503, "Service unavailable: source is stopping, retry later");
      return;
    }
    try {
      ingest(ctx, ingest, root, body, batch, now, remoteIp);
    } finally {
      ingest.exit();
    }
  }

  private void ingest(
      Context ctx,
      Ingest ingest,
      AmplitudeBody root,
      byte[] body,
      boolean batch,
      long now,
      String remoteIp)
      throws InterruptedException {
    if (root.events() == AmplitudeBody.Events.MISSING) {
      missingField(ctx, "events");
      return;
    }
    if (root.events() == AmplitudeBody.Events.NOT_AN_ARRAY) {
      Reply.json(
          ctx,
          400,
          Reply.object()
              .put("code", 400)
              .put("error", "Invalid event JSON")
              .put("detail", "events must be an array"));
      return;
    }
    if (root.items().size() > ingest.maxEvents()) {
      Reply.error(ctx, 413, "Payload too large");
      return;
    }
    int minIdLength = AmplitudeFormat.DEFAULT_MIN_ID_LENGTH;
    JsonNode min = root.options().path("min_id_length");
    if (min.canConvertToInt() && min.isIntegralNumber() && min.asInt() >= 0) {
      minIdLength = min.asInt();
    } else if (!min.isMissingNode() && !min.isNull()) {
      Reply.json(
          ctx,
          400,
          Reply.object()
              .put("code", 400)
              .put("error", "Invalid field values on some events")
              .put("detail", "options.min_id_length must be a non-negative integer"));
      return;
    }
    if (minIdLength != root.minIdLength()) {
      // options came after the events: read them again with the request's own minimum (rare).
      try {
        root = AmplitudeBody.read(body, now, remoteIp, minIdLength);
      } catch (IOException e) {
        throw new IllegalStateException("a body that parsed once failed to parse again", e);
      }
    }
    List<ParsedEvent> items = root.items();
    Map<FieldProblem.Kind, Map<String, List<Integer>>> problems =
        new EnumMap<>(FieldProblem.Kind.class);
    Throttle throttle = ingest.throttle(batch);
    Map<String, Long> throttledDevices = new TreeMap<>();
    Map<String, Long> throttledUsers = new TreeMap<>();
    List<Integer> throttledEvents = new ArrayList<>();
    List<Event> accepted = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      ParsedEvent parsed = items.get(i); // an item that is not an object is invalid "event"
      if (!parsed.ok()) {
        for (FieldProblem p : parsed.problems()) {
          List<Integer> idx =
              problems
                  .computeIfAbsent(p.kind(), k -> new TreeMap<>())
                  .computeIfAbsent(p.field(), k -> new ArrayList<>());
          if (idx.isEmpty() || idx.get(idx.size() - 1) != i) {
            idx.add(i);
          }
        }
        continue;
      }
      Event e = parsed.event();
      if (throttle.enabled()) {
        String device = e.deviceId();
        String user = e.userId();
        long d = device == null ? 0 : throttle.countDevice(device, now);
        long u = user == null ? 0 : throttle.countUser(user, now);
        if (d > throttle.threshold() || u > throttle.threshold()) {
          if (d > throttle.threshold()) {
            throttledDevices.put(e.deviceId(), d);
          }
          if (u > throttle.threshold()) {
            throttledUsers.put(e.userId(), u);
          }
          throttledEvents.add(i);
          continue;
        }
      }
      accepted.add(e);
    }
    try {
      ingest.submit(accepted);
    } catch (StoreUnavailableException e) {
      ctx.header("Retry-After", "1");
      Reply.json(
          ctx,
          503,
          Reply.object()
              .put("code", 503)
              .put("error", "Service unavailable, retry later")
              .put("detail", Reply.scrub(e.getMessage(), 300)));
      return;
    }
    if (!throttledEvents.isEmpty()) {
      ObjectNode out =
          Reply.object()
              .put("code", 429)
              .put("error", "Too many requests for some devices and users")
              .put("eps_threshold", throttle.threshold());
      longs(out.putObject("throttled_devices"), throttledDevices);
      longs(out.putObject("throttled_users"), throttledUsers);
      ArrayNode te = out.putArray("throttled_events");
      throttledEvents.forEach(te::add);
      if (batch) {
        out.putObject("exceeded_daily_quota_users");
        out.putObject("exceeded_daily_quota_devices");
      }
      Reply.json(ctx, 429, out);
      return;
    }
    if (!problems.isEmpty()) {
      ObjectNode out =
          Reply.object()
              .put("code", 400)
              .put(
                  "error",
                  problems.containsKey(FieldProblem.Kind.MISSING)
                      ? "Request missing required field"
                      : "Invalid field values on some events");
      indexes(out, "events_with_missing_fields", problems.get(FieldProblem.Kind.MISSING));
      // Amplitude's SDKs read only the missing and invalid maps to drop events before retrying, so
      // ids of the wrong
      // length are listed among the invalid fields too (and also on their own, as Amplitude does).
      Map<String, List<Integer>> invalid = new TreeMap<>();
      merge(invalid, problems.get(FieldProblem.Kind.INVALID));
      merge(invalid, problems.get(FieldProblem.Kind.INVALID_ID_LENGTH));
      indexes(out, "events_with_invalid_fields", invalid.isEmpty() ? null : invalid);
      indexes(
          out, "events_with_invalid_id_lengths", problems.get(FieldProblem.Kind.INVALID_ID_LENGTH));
      out.put("events_ingested", accepted.size());
      Reply.json(ctx, 400, out);
      return;
    }
    Reply.json(
        ctx,
        200,
        Reply.object()
            .put("code", 200)
            .put("events_ingested", accepted.size())
            .put("payload_size_bytes", body.length)
            .put("server_upload_time", now));
  }

  private static void missingField(Context ctx, String field) {
    Reply.json(
        ctx,
        400,
        Reply.object()
            .put("code", 400)
            .put("error", "Request missing required field")
            .put("missing_field", field));
  }

  private static void merge(Map<String, List<Integer>> into, Map<String, List<Integer>> from) {
    if (from != null) {
      from.forEach(
          (field, idx) -> {
            List<Integer> all = into.computeIfAbsent(field, k -> new ArrayList<>());
            idx.stream().filter(i -> !all.contains(i)).forEach(all::add);
            all.sort(null);
          });
    }
  }

  private static void longs(ObjectNode target, Map<String, Long> values) {
    values.forEach(target::put);
  }

  private static void indexes(ObjectNode out, String name, Map<String, List<Integer>> byField) {
    if (byField == null) {
      return;
    }
    ObjectNode o = out.putObject(name);
    byField.forEach(
        (field, idx) -> {
          ArrayNode a = o.putArray(field);
          idx.forEach(a::add);
        });
  }
}
