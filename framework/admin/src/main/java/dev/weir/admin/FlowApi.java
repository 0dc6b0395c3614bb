package dev.weir.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.delivery.DeadLetter;
import dev.weir.delivery.DeliveryEngine;
import dev.weir.delivery.DestinationStatus;
import dev.weir.delivery.ReplayRange;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Sources, destinations, delivery status, pause/resume, replay, dead letters and jobs. Handlers are
 * stateless.
 */
final class FlowApi {
  private final AdminBackend backend;
  private final Jobs jobs = new Jobs();

  FlowApi(AdminBackend backend) {
    this.backend = backend;
  }

  void register(Routes r) {
    r.get("/api/v1/sources", ctx -> HttpJson.ok(ctx, components(backend.sources())));
    r.get("/api/v1/sources/{id}/status", this::sourceStatus);
    r.post(
        "/api/v1/sources/{id}/pause",
        ctx -> {
          source(ctx.pathParam("id"));
          backend.pauseSource(ctx.pathParam("id"));
          HttpJson.ok(ctx, Map.of("source", ctx.pathParam("id"), "state", "paused"));
        });
    r.post(
        "/api/v1/sources/{id}/resume",
        ctx -> {
          source(ctx.pathParam("id"));
          backend.resumeSource(ctx.pathParam("id"));
          HttpJson.ok(ctx, Map.of("source", ctx.pathParam("id"), "state", "running"));
        });
    r.get("/api/v1/destinations", this::destinations);
    r.get(
        "/api/v1/destinations/{id}/status",
        ctx -> HttpJson.ok(ctx, status(engine().status(ctx.pathParam("id")))));
    r.post(
        "/api/v1/destinations/{id}/pause",
        ctx -> {
          engine().pause(ctx.pathParam("id"));
          HttpJson.ok(ctx, status(engine().status(ctx.pathParam("id"))));
        });
    r.post(
        "/api/v1/destinations/{id}/resume",
        ctx -> {
          engine().resume(ctx.pathParam("id"));
          HttpJson.ok(ctx, status(engine().status(ctx.pathParam("id"))));
        });
    r.post("/api/v1/destinations/{id}/replay", this::replay);
    r.get("/api/v1/destinations/{id}/dead-letters", this::deadLetters);
    r.post("/api/v1/destinations/{id}/dead-letters/redeliver", this::redeliver);
    r.get(
        "/api/v1/jobs/{id}",
        ctx -> {
          Jobs.Job job = jobs.get(ctx.pathParam("id"));
          if (job == null) {
            throw new NoSuchElementException("no job '" + ctx.pathParam("id") + "'");
          }
          HttpJson.ok(ctx, job.toMap());
        });
  }

  private DeliveryEngine engine() {
    return backend
        .delivery()
        .orElseThrow(() -> new StoreApi.Unavailable("no streaming delivery engine runs"));
  }

  private ComponentInfo source(String id) {
    return backend.sources().stream()
        .filter(s -> s.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no source '" + id + "'"));
  }

  private void sourceStatus(Context ctx) {
    ComponentInfo s = source(ctx.pathParam("id"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", s.id());
    m.put("connector", s.connector());
    m.putAll(backend.sourceStatus(s.id()));
    HttpJson.ok(ctx, m);
  }

  private void destinations(Context ctx) {
    List<Map<String, Object>> out = components(backend.destinations());
    DeliveryEngine engine = backend.delivery().orElse(null);
    if (engine != null) {
      Set<String> streaming = new HashSet<>(engine.destinations());
      for (Map<String, Object> d : out) {
        if (streaming.contains((String) d.get("id"))) {
          d.put("status", status(engine.status((String) d.get("id"))));
        }
      }
    }
    HttpJson.ok(ctx, out);
  }

  private List<Map<String, Object>> components(List<ComponentInfo> list) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ComponentInfo c : list) {
      Set<String> secrets = new HashSet<>(c.secretFields());
      backend.connectors().stream()
          .filter(k -> k.id().equals(c.connector()))
          .forEach(k -> secrets.addAll(ApiSettings.secretFields(k.settingsSchema())));
      backend.definitions().stream()
          .filter(d -> d.id().equals(c.connector()))
          .forEach(d -> secrets.addAll(d.secretSettings()));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", c.id());
      m.put("connector", c.connector());
      m.put("kind", c.kind());
      m.put("settings", ApiSettings.redact(c.settings(), secrets));
      out.add(m);
    }
    return out;
  }

  static Map<String, Object> status(DestinationStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("destination", s.destination());
    m.put("state", s.state());
    m.put("delivered", s.delivered());
    m.put("retrying", s.retrying());
    m.put("dead_lettered", s.deadLettered());
    m.put("expired", s.expired());
    m.put("lost", s.lost());
    m.put("filtered", s.filtered());
    m.put("events_per_second", s.eventsPerSecond());
    m.put("lag_events", s.lagEvents());
    m.put("lag_seconds", s.lagSeconds());
    m.put("latency_p50_ms", s.latencyP50Millis());
    m.put("latency_p99_ms", s.latencyP99Millis());
    m.put("request_rate_limit", s.requestRateLimit());
    m.put("last_error", s.lastError());
    m.put("last_error_at", s.lastErrorAt());
    return m;
  }

  private void replay(Context ctx) {
    String id = ctx.pathParam("id");
    DeliveryEngine engine = engine();
    engine.status(id); // 404 for an unknown destination before a job exists
    JsonNode body = HttpJson.body(ctx);
    Instant from = HttpJson.instant(body, "from");
    Instant to = HttpJson.instant(body, "to");
    if (from == null || to == null) {
      throw new IllegalArgumentException("from and to are required (ISO-8601 or epoch millis)");
    }
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to");
    }
    Jobs.Job job = jobs.create("replay", id);
    jobs.track(
        job,
        engine.replay(
            id,
            ReplayRange.ofTime(from, to),
            (done, total) -> {
              job.done.set(done);
              job.total.set(total);
            }));
    HttpJson.send(ctx, 202, job.toMap());
  }

  private void deadLetters(Context ctx) {
    String id = ctx.pathParam("id");
    int limit = HttpJson.intParam(ctx, "limit", 100, 1000);
    List<DeadLetter> all = engine().deadLetters(id, ctx.queryParam("reason"));
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = Math.max(0, all.size() - limit); i < all.size(); i++) {
      out.add(all.get(i).toMap());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("destination", id);
    m.put("total", all.size());
    m.put("dead_letters", out);
    HttpJson.ok(ctx, m);
  }

  private void redeliver(Context ctx) {
    String id = ctx.pathParam("id");
    DeliveryEngine engine = engine();
    engine.status(id);
    JsonNode body = HttpJson.body(ctx);
    Predicate<DeadLetter> filter = d -> true;
    if (body.has("ids")) {
      Set<String> ids = new HashSet<>();
      body.get("ids").forEach(n -> ids.add(n.asText()));
      filter = d -> ids.contains(d.id());
    }
    if (body.hasNonNull("reason")) {
      String reason = body.get("reason").asText();
      filter = filter.and(d -> d.reason().equals(reason));
    }
    Jobs.Job job = jobs.create("redeliver", id);
    jobs.track(
        job,
        engine.redeliver(
            id,
            filter,
            (done, total) -> {
              job.done.set(done);
              job.total.set(total);
            }));
    HttpJson.send(ctx, 202, job.toMap());
  }
}
