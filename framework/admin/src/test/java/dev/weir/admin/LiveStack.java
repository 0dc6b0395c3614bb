package dev.weir.admin;

import dev.weir.definitions.Definition;
import dev.weir.definitions.DefinitionException;
import dev.weir.definitions.Definitions;
import dev.weir.delivery.DeliveryEngine;
import dev.weir.delivery.DestinationConfig;
import dev.weir.delivery.InMemoryDeliveryLog;
import dev.weir.governance.Decision;
import dev.weir.governance.Enforcer;
import dev.weir.governance.Policy;
import dev.weir.governance.TrackingPlans;
import dev.weir.governance.ViolationLog;
import dev.weir.realtime.AppendResult;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.runtime.Redactor;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small running Weir for admin tests, built from the real components: a real {@link
 * RealtimeStore} in a temp dir, a real {@link DeliveryEngine} over an {@link InMemoryDeliveryLog},
 * real tracking plans and partner definitions from portal-config-examples, a real Prometheus
 * registry. {@link #ingest} plays the host's pipeline: governance, store (dedup), delivery log,
 * event tap. The one destination, {@code collector}, keeps what it receives and rejects events of
 * type {@code Poison} (so dead letters exist). Its {@link #redactor()} knows the secrets it was
 * built with, like the host's.
 */
final class LiveStack implements AdminBackend, AutoCloseable {
  static final Path EXAMPLES = Path.of("../../portal-config-examples").toAbsolutePath().normalize();
  static final String WEBHOOK_SCHEMA =
      """
      {"type":"object","required":["url"],"additionalProperties":false,"properties":{
        "url":{"type":"string","pattern":"^https?://"},
        "auth_token":{"type":"string","secret":true},
        "timeout_ms":{"type":"integer","minimum":1},
        "headers":{"type":"object","additionalProperties":{"type":"string"}}}}""";

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final RealtimeStore store;
  final InMemoryDeliveryLog log = new InMemoryDeliveryLog(2);
  final DeliveryEngine engine;
  final TrackingPlans plans = TrackingPlans.open(EXAMPLES.resolve("tracking-plans"));
  final ViolationLog violations = new ViolationLog(1000);
  final Enforcer enforcer =
      plans.enforcer("web", Policy.lenient("ecommerce"), registry, violations);
  final List<Definition> definitions = new ArrayList<>();
  final EventTap tap = new EventTap();
  final List<Event> received = new CopyOnWriteArrayList<>();
  final AtomicBoolean ready = new AtomicBoolean(true);
  final AtomicBoolean sourcePaused = new AtomicBoolean();
  final AtomicLong ingested = new AtomicLong();

  /** When set, source status fails with an internal error (to test 500 handling and logging). */
  final AtomicBoolean failSourceStatus = new AtomicBoolean();

  private final Counter ingestCounter;
  private final Redactor redactor;

  LiveStack(Path dir) throws IOException {
    this(dir, Redactor.NONE);
  }

  /**
   * A stack whose admin answers are redacted with {@code redactor} (the host's resolved secrets).
   */
  LiveStack(Path dir, Redactor redactor) throws IOException {
    this.redactor = redactor;
    store = RealtimeStore.open(StoreOptions.builder(dir.resolve("store")).partitions(2).build());
    engine =
        DeliveryEngine.builder()
            .log(log)
            .stateDir(dir.resolve("delivery"))
            .meterRegistry(registry)
            .stopGrace(Duration.ofSeconds(2))
            .build();
    engine.addDestination(
        DestinationConfig.builder("collector")
            .maxBatchDelay(Duration.ofMillis(20))
            .initialBackoff(Duration.ofMillis(20))
            .maxAttempts(2)
            .build(),
        new Collector());
    engine.start();
    ingestCounter = Counter.builder("weir.ingest.events").tag("source", "web").register(registry);
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(EXAMPLES.resolve("definitions"), "*.yaml")) {
      for (Path f : files) {
        try {
          definitions.add(Definitions.parse(f));
        } catch (DefinitionException e) {
          // not every example needs to load for these tests
        }
      }
    }
  }

  /**
   * Plays the host pipeline for events from source {@code web}; returns the store's verdict per
   * accepted event.
   */
  List<AppendResult> ingest(List<Event> events) throws IOException {
    if (sourcePaused.get()) {
      throw new IllegalStateException("source web is paused");
    }
    String requestId = UUID.randomUUID().toString();
    List<Event> accepted = new ArrayList<>();
    for (Event e : events) {
      Decision d =
          enforcer.evaluate(
              e.toBuilder().sourceId("web").uploadTime(System.currentTimeMillis()).build());
      if (d.accepted()) {
        accepted.add(d.event());
      }
    }
    List<AppendResult> results = store.append(accepted);
    for (int i = 0; i < accepted.size(); i++) {
      AppendResult r = results.get(i);
      Event e = accepted.get(i);
      if (r.status() == AppendResult.Status.REJECTED) {
        throw new IllegalStateException("store rejected event " + i + ": " + r.reason());
      }
      if (r.status() == AppendResult.Status.STORED) {
        log.append(r.partition(), e);
      }
      tap.ingested("web", requestId, e, r.status() == AppendResult.Status.DUPLICATE);
    }
    ingested.addAndGet(accepted.size());
    ingestCounter.increment(accepted.size());
    engine.signal();
    return results;
  }

  static Event event(String type, String user, Map<String, Object> props) {
    return Event.builder()
        .eventType(type)
        .userId(user)
        .insertId(UUID.randomUUID().toString())
        .time(System.currentTimeMillis())
        .eventProperties(props)
        .build();
  }

  private final class Collector extends StreamingDestination {
    @Override
    public ConnectorSpec spec() {
      return ConnectorSpec.builder("webhook")
          .version("1.0.0")
          .settingsSchema(WEBHOOK_SCHEMA)
          .build();
    }

    @Override
    public List<Outcome> deliver(List<Event> batch) {
      List<Outcome> out = new ArrayList<>();
      for (Event e : batch) {
        if ("Poison".equals(e.eventType())) {
          out.add(Outcome.rejected("400 poison event"));
          tap.delivery("web", null, e, "collector", "dead_lettered", "400 poison event");
        } else {
          received.add(e);
          out.add(Outcome.delivered());
          tap.delivery("web", null, e, "collector", "delivered", null);
        }
      }
      return out;
    }
  }

  @Override
  public Optional<RealtimeStore> store() {
    return Optional.of(store);
  }

  @Override
  public Optional<DeliveryEngine> delivery() {
    return Optional.of(engine);
  }

  @Override
  public Optional<TrackingPlans> trackingPlans() {
    return Optional.of(plans);
  }

  @Override
  public Optional<ViolationLog> violations() {
    return Optional.of(violations);
  }

  @Override
  public List<Definition> definitions() {
    return definitions;
  }

  @Override
  public List<ConnectorInfo> connectors() {
    return List.of(
        new ConnectorInfo(
            "webhook",
            "1.0.0",
            "streaming_destination",
            "weir-connector-webhook",
            "built-in",
            WEBHOOK_SCHEMA),
        new ConnectorInfo(
            "http-source", "1.0.0", "source", "weir-connector-http-source", "built-in", null));
  }

  @Override
  public List<ComponentInfo> sources() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("port", 8080);
    settings.put("api_key", "${env:WEB_API_KEY}");
    settings.put("tracking_plan", Map.of("id", "ecommerce"));
    return List.of(new ComponentInfo("web", "http-source", "source", settings, Set.of()));
  }

  @Override
  public List<ComponentInfo> destinations() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("url", "https://hooks.example.com/in");
    settings.put("auth_token", "literal-secret-value-1234");
    settings.put("headers", Map.of("X-Api-Key", "${env:HOOK_KEY}", "X-Team", "growth"));
    return List.of(
        new ComponentInfo("collector", "webhook", "streaming_destination", settings, Set.of()));
  }

  @Override
  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  @Override
  public Readiness readiness() {
    return ready.get() ? Readiness.up() : Readiness.down("store is refusing writes");
  }

  @Override
  public Redactor redactor() {
    return redactor;
  }

  @Override
  public EventTap eventTap() {
    return tap;
  }

  @Override
  public void pauseSource(String sourceId) {
    sourcePaused.set(true);
  }

  @Override
  public void resumeSource(String sourceId) {
    sourcePaused.set(false);
  }

  @Override
  public Map<String, Object> sourceStatus(String sourceId) {
    if (failSourceStatus.get()) {
      throw new IllegalStateException("internal detail token=do-not-leak");
    }
    return Map.of("state", sourcePaused.get() ? "paused" : "running", "ingested", ingested.get());
  }

  /** Members of the one audience, {@code viewers}, as last synced (-1: never). */
  private final java.util.concurrent.atomic.AtomicInteger viewers =
      new java.util.concurrent.atomic.AtomicInteger(-1);

  private volatile String viewersSyncedAt;

  private final java.util.concurrent.atomic.AtomicInteger reloads =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * A workspace reload: the first is refused with a located problem (nothing changed), later ones
   * add destination {@code crm}.
   */
  @Override
  public Map<String, Object> reloadWorkspace() {
    Map<String, Object> out = new LinkedHashMap<>();
    if (reloads.getAndIncrement() == 0) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("file", "workspace.yaml");
      p.put("line", 7);
      p.put("column", 5);
      p.put("where", "workspace.yaml:7:5");
      p.put("path", "destinations[1].settings");
      p.put("message", "unknown key 'urll'; did you mean 'url'?");
      out.put("applied", false);
      out.put("problems", List.of(p));
      return out;
    }
    out.put("applied", true);
    out.put("added", List.of("crm"));
    out.put("restarted", List.of());
    out.put("reconfigured", List.of());
    out.put("removed", List.of());
    out.put("sources", Map.of("added", List.of(), "restarted", List.of(), "removed", List.of()));
    return out;
  }

  /** One audience, {@code viewers} (users who viewed a product), synced over the real store. */
  @Override
  public List<Map<String, Object>> audiences() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("name", "viewers");
    m.put("destination", "collector");
    m.put("members", viewers.get());
    m.put("last_sync", viewersSyncedAt);
    m.put("last_error", null);
    return List.of(m);
  }

  @Override
  public Map<String, Object> syncAudience(String name) {
    if (!name.equals("viewers")) {
      throw new java.util.NoSuchElementException("no audience '" + name + "'");
    }
    int before = Math.max(0, viewers.get());
    int now =
        store
            .audience(
                new dev.weir.realtime.AudienceQuery(
                    "Product Viewed", List.of(), 0, System.currentTimeMillis() + 1))
            .size();
    viewers.set(now);
    viewersSyncedAt = java.time.Instant.now().toString();
    return Map.of("name", name, "members", now, "entered", Math.max(0, now - before), "left", 0);
  }

  @Override
  public List<String> queueUserDeletion(
      String deletionId, String sourceId, String userId, java.util.Set<String> deviceIds) {
    return List.of("collector");
  }

  @Override
  public void close() throws IOException {
    engine.close();
    plans.close();
    store.close();
    registry.close();
  }
}
