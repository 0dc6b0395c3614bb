package dev.weir.host;

import dev.weir.delivery.DestinationConfig;
import dev.weir.host.config.Workspace;
import dev.weir.host.config.Workspace.SourceConfig;
import dev.weir.host.config.Workspace.TrackingPlanBinding;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the host turns a workspace into engine and governance settings: each streaming destination's
 * delivery engine config (its definition's policy, the workspace's {@code delivery:} winning per
 * key, routes and filter) and each source's tracking-plan policy. Stateless.
 */
final class EngineSettings {
  private EngineSettings() {}

  /**
   * The delivery engine's view of a workspace destination: its delivery settings plus routes and
   * filter.
   */
  static DestinationConfig engineConfig(Workspace ws, Workspace.DestinationConfig d) {
    return engineConfig(ws, d, null);
  }

  /**
   * Like {@link #engineConfig(Workspace, Workspace.DestinationConfig)} for a destination running
   * partner definition {@code def} (or null): the definition's own delivery policy (batching, rate
   * limits, max attempts, max age, batch key) applies, and each key the workspace's {@code
   * delivery:} sets wins (docs/partner-definitions.md, "What wins").
   */
  static DestinationConfig engineConfig(
      Workspace ws, Workspace.DestinationConfig d, dev.weir.definitions.Definition def) {
    return engineConfig(ws, d, def, null);
  }

  /**
   * Like {@link #engineConfig(Workspace, Workspace.DestinationConfig,
   * dev.weir.definitions.Definition)}, delivering only what {@code only} accepts (null: the routes
   * and filter).
   */
  static DestinationConfig engineConfig(
      Workspace ws,
      Workspace.DestinationConfig d,
      dev.weir.definitions.Definition def,
      java.util.function.Predicate<dev.weir.sdk.Event> only) {
    Map<String, Object> c = new LinkedHashMap<>(definitionPolicy(def));
    c.putAll(d.delivery().engineSettings());
    Map<String, Object> filter = new LinkedHashMap<>();
    filter.put("sources", List.copyOf(ws.sourcesFeeding(d.id())));
    filter.put("event_types", d.filter().eventTypes());
    filter.put("properties", d.filter().properties());
    c.put("filter", filter);
    DestinationConfig f = DestinationConfig.fromConfig(d.id(), c);
    // The workspace's resolved secrets are scrubbed from response excerpts (dead letters, status,
    // logs).
    return DestinationConfig.builder(d.id())
        .filter(only != null ? only : f.filter())
        .mapper(f.mapper())
        .maxBatchEvents(f.maxBatchEvents())
        .maxBatchBytes(f.maxBatchBytes())
        .maxBatchDelay(f.maxBatchDelay())
        .batchKey(
            def != null && !d.delivery().engineSettings().containsKey("batch_key")
                ? def.batchKeyFunction()
                : f.batchKey())
        .workers(f.workers())
        .maxInFlightBatches(f.maxInFlightBatches())
        .maxOutstandingEvents(f.maxOutstandingEvents())
        .maxAttempts(f.maxAttempts())
        .maxRetryAge(f.maxRetryAge())
        .initialBackoff(f.initialBackoff())
        .maxBackoff(f.maxBackoff())
        .retention(f.retention())
        .requestsPerSecond(f.requestsPerSecond())
        .eventsPerSecond(f.eventsPerSecond())
        .orderedPerUser(f.orderedPerUser())
        .secrets(List.copyOf(ws.secrets()))
        .build();
  }

  /**
   * The engine settings a definition's {@code delivery:} declares (absent ones: engine default).
   */
  static Map<String, Object> definitionPolicy(dev.weir.definitions.Definition def) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (def == null) {
      return m;
    }
    dev.weir.definitions.DeliverySettings s = def.delivery();
    m.put("max_batch_events", s.maxEvents());
    if (s.maxBytes() > 0) {
      m.put("max_batch_bytes", s.maxBytes());
    }
    m.put("max_batch_delay_ms", s.maxDelay().toMillis());
    if (s.requestsPerSecond() > 0) {
      m.put("requests_per_second", s.requestsPerSecond());
    }
    if (s.eventsPerSecond() > 0) {
      m.put("events_per_second", s.eventsPerSecond());
    }
    if (s.maxAttempts() > 0) {
      m.put("max_attempts", s.maxAttempts());
    }
    if (s.maxAge() != null) {
      m.put("max_retry_age_ms", s.maxAge().toMillis());
    }
    return m;
  }

  static Map<String, Map<String, Object>> policies(Workspace ws) {
    Map<String, Map<String, Object>> out = new HashMap<>();
    for (SourceConfig s : ws.sources()) {
      TrackingPlanBinding b = s.trackingPlan();
      if (b == null) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", b.id());
      putIf(m, "version", b.version());
      putIf(m, "on_unplanned_event", b.onUnplannedEvent());
      putIf(m, "on_unplanned_property", b.onUnplannedProperty());
      putIf(m, "on_invalid_value", b.onInvalidValue());
      putIf(m, "blocked", b.blocked());
      out.put(s.id(), m);
    }
    return out;
  }

  private static void putIf(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
