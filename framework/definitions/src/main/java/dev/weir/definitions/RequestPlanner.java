package dev.weir.definitions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * Turns a batch of events into the HTTP requests a definition declares: picks each event's action
 * by trigger, groups by action and batch key, renders URL, headers, query and body from the
 * mapping, and splits groups that exceed {@code max_events} or {@code max_bytes}. An event whose
 * mapping fails alone is reported, never its neighbours. Stateless apart from its immutable inputs;
 * thread-safe.
 */
final class RequestPlanner {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The plan for one batch: requests to send, and the events that need no request or cannot be
   * sent.
   */
  record Plan(
      List<PlannedRequest> requests, Map<Integer, String> rejected, List<Integer> skipped) {}

  private final Definition def;
  private final Map<String, Object> settings;

  RequestPlanner(Definition def, Map<String, Object> settings) {
    this.def = def;
    this.settings = settings;
  }

  Plan plan(List<Event> batch, long nowMillis) {
    List<PlannedRequest> out = new ArrayList<>();
    Map<Integer, String> rejected = new LinkedHashMap<>();
    List<Integer> skipped = new ArrayList<>();
    List<Map<String, Object>> maps = new ArrayList<>(batch.size());
    for (Event e : batch) {
      maps.add(e.toMap());
    }
    // action -> batch key -> event indexes, in arrival order
    Map<DefinitionModel.Action, Map<String, List<Integer>>> groups = new LinkedHashMap<>();
    var keyFn = def.batchKeyFunction();
    for (int i = 0; i < batch.size(); i++) {
      DefinitionModel.Action action;
      String key;
      try {
        action = route(maps.get(i));
        key = action == null ? "" : keyFn.apply(batch.get(i));
      } catch (TemplateException ex) {
        rejected.put(i, "trigger or batch key failed: " + ex.getMessage());
        continue;
      }
      if (action == null) {
        skipped.add(i);
        continue;
      }
      groups
          .computeIfAbsent(action, a -> new LinkedHashMap<>())
          .computeIfAbsent(key, k -> new ArrayList<>())
          .add(i);
    }
    DeliverySettings d = def.delivery();
    int maxEvents = d.batched() ? Math.max(1, d.maxEvents()) : 1;
    for (var byAction : groups.entrySet()) {
      int actionMax = byAction.getKey().maxEvents();
      int cap = actionMax > 0 ? Math.min(maxEvents, actionMax) : maxEvents;
      for (List<Integer> idx : byAction.getValue().values()) {
        for (int from = 0; from < idx.size(); from += cap) {
          List<Integer> chunk = idx.subList(from, Math.min(idx.size(), from + cap));
          render(byAction.getKey(), chunk, maps, nowMillis, out, rejected);
        }
      }
    }
    return new Plan(out, rejected, skipped);
  }

  private DefinitionModel.Action route(Map<String, Object> event) {
    for (DefinitionModel.Action a : def.actions) {
      if (!a.eventTypes().isEmpty()
          && !a.eventTypes().contains(String.valueOf(event.get("event_type")))) {
        continue;
      }
      if (a.where() != null) {
        Object v = a.where().evaluate(event, Map.of("settings", settings));
        if (!(v instanceof Boolean b && b)) {
          continue;
        }
      }
      return a;
    }
    return null;
  }

  private Map<String, Object> input(List<Map<String, Object>> events, long now) {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("event", events.isEmpty() ? Map.of() : events.get(0));
    in.put("events", events);
    in.put("settings", settings);
    in.put("now", now);
    return in;
  }

  /**
   * Renders {@code idx} as one request, halving it while the body is too large or a mapping fails.
   */
  private void render(
      DefinitionModel.Action a,
      List<Integer> idx,
      List<Map<String, Object>> maps,
      long now,
      List<PlannedRequest> out,
      Map<Integer, String> rejected) {
    PlannedRequest r;
    try {
      r = renderOne(a, idx, maps, now);
    } catch (TemplateException | JsonProcessingException | IllegalArgumentException ex) {
      if (idx.size() == 1) {
        rejected.put(idx.get(0), "mapping of action '" + a.name() + "' failed: " + ex.getMessage());
        return;
      }
      split(a, idx, maps, now, out, rejected);
      return;
    }
    long maxBytes = def.delivery().maxBytes();
    if (maxBytes > 0 && r.body() != null && r.body().length > maxBytes) {
      if (idx.size() == 1) {
        rejected.put(
            idx.get(0),
            "request body of "
                + r.body().length
                + " bytes exceeds max_bytes "
                + maxBytes
                + " even for this event alone");
        return;
      }
      split(a, idx, maps, now, out, rejected);
      return;
    }
    out.add(r);
  }

  private void split(
      DefinitionModel.Action a,
      List<Integer> idx,
      List<Map<String, Object>> maps,
      long now,
      List<PlannedRequest> out,
      Map<Integer, String> rejected) {
    int mid = idx.size() / 2;
    render(a, idx.subList(0, mid), maps, now, out, rejected);
    render(a, idx.subList(mid, idx.size()), maps, now, out, rejected);
  }

  private PlannedRequest renderOne(
      DefinitionModel.Action a, List<Integer> idx, List<Map<String, Object>> maps, long now)
      throws JsonProcessingException {
    List<Map<String, Object>> events = new ArrayList<>(idx.size());
    for (int i : idx) {
      events.add(maps.get(i));
    }
    Map<String, Object> in = input(events, now);
    String url = a.url().render(in);
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      // the URL is not quoted: it may carry a secret (a webhook URL is often the credential itself)
      throw new IllegalArgumentException(
          "the URL of action '" + a.name() + "' did not render to a valid http(s) " + "URL");
    }
    HttpUrl.Builder ub = parsed.newBuilder();
    for (var q : a.query().entrySet()) {
      String v = q.getValue().render(in);
      if (!v.isEmpty()) {
        ub.addQueryParameter(q.getKey(), v);
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (var h : a.headers().entrySet()) {
      String v = h.getValue().render(in);
      if (!v.isEmpty()) {
        headers.put(h.getKey(), v);
      }
    }
    String idem = def.delivery().idempotencyHeader();
    if (idem != null) {
      String key = idempotencyKey(events);
      if (key != null) {
        headers.put(idem, key);
      }
    }
    byte[] body = null;
    String contentType = null;
    if (a.body() != null) {
      Object v = a.body().evaluate(in, Map.of("settings", settings));
      if ("form".equals(a.bodyFormat())) {
        body = form(v).getBytes(StandardCharsets.UTF_8);
        contentType = "application/x-www-form-urlencoded";
      } else {
        body = JSON.writeValueAsBytes(v);
        contentType = "application/json";
      }
    }
    return new PlannedRequest(
        a.name(), a.method(), ub.build().toString(), headers, body, contentType, List.copyOf(idx));
  }

  /**
   * The insert id for one event; for a batch, a UUID derived from all insert ids, stable across
   * retries.
   */
  private static String idempotencyKey(List<Map<String, Object>> events) {
    if (events.size() == 1) {
      Object id = events.get(0).get("insert_id");
      return id == null ? null : id.toString();
    }
    StringBuilder b = new StringBuilder();
    for (Map<String, Object> e : events) {
      Object id = e.get("insert_id");
      if (id == null) {
        return null;
      }
      b.append(id).append('\n');
    }
    return MappingFunctions.uuid(b.toString());
  }

  private static String form(Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          "a form body must map to an object, got " + (v == null ? "nothing" : v));
    }
    StringBuilder b = new StringBuilder();
    for (var e : m.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      if (b.length() > 0) {
        b.append('&');
      }
      b.append(URLEncoder.encode(String.valueOf(e.getKey()), StandardCharsets.UTF_8))
          .append('=')
          .append(
              URLEncoder.encode(
                  e.getValue() instanceof String s ? s : toJson(e.getValue()),
                  StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  private static String toJson(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
