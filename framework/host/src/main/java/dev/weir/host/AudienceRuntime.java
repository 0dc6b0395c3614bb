package dev.weir.host;

import dev.weir.delivery.DeliveryEngine;
import dev.weir.exports.AudienceChangeLog;
import dev.weir.exports.AudienceDefinition;
import dev.weir.exports.AudienceDiff;
import dev.weir.exports.AudienceSync;
import dev.weir.host.config.Workspace;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workspace's audience syncs ({@code audiences:}) in the running host: an {@link AudienceSync}
 * over the store appends membership changes to an {@link AudienceChangeLog} under {@code
 * <store.dir>/audiences}, and a delivery engine of its own (state under {@code
 * <store.dir>/audience-delivery}) sends them to each audience's destination, through an instance of
 * that destination's connector or partner definition of its own, with the destination's delivery
 * settings. Thread-safe.
 */
final class AudienceRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Weir.class);

  private final HostComponents parts;
  private final AudienceChangeLog changes;
  private final DeliveryEngine engine;
  private final AudienceSync sync;
  private final Map<String, HostComponents.Started> destinations = new LinkedHashMap<>();

  private AudienceRuntime(
      HostComponents parts, AudienceChangeLog changes, DeliveryEngine engine, AudienceSync sync) {
    this.parts = parts;
    this.changes = changes;
    this.engine = engine;
    this.sync = sync;
  }

  /** Opens the change log, builds the syncs and starts each audience destination's connector. */
  static AudienceRuntime open(HostComponents parts) throws Weir.StartException {
    Workspace ws = parts.ws;
    Path dir = ws.store().dir().resolve("audiences");
    AudienceChangeLog changes;
    AudienceSync sync;
    try {
      changes = AudienceChangeLog.open(dir.resolve("changes.ndjson"));
      AudienceSync.Builder b = AudienceSync.builder(parts.store, dir, changes);
      ws.audiences().forEach(b::audience);
      sync = b.build();
    } catch (IOException e) {
      throw new Weir.StartException("cannot open the audience state under " + dir + ": " + e, e);
    }
    DeliveryEngine engine =
        DeliveryEngine.builder()
            .log(changes)
            .stateDir(ws.store().dir().resolve("audience-delivery"))
            .build();
    AudienceRuntime r = new AudienceRuntime(parts, changes, engine, sync);
    try {
      for (AudienceDefinition a : ws.audiences()) {
        if (r.destinations.containsKey(a.destination())) {
          continue;
        }
        Workspace.DestinationConfig d = ws.destination(a.destination()).orElseThrow();
        HostComponents.Started started = parts.startStreaming(d);
        r.destinations.put(d.id(), started);
        engine.addDestination(
            EngineSettings.engineConfig(ws, d, started.def(), AudienceSync.routedTo(d.id())),
            started.dest());
      }
    } catch (Weir.StartException | RuntimeException e) {
      r.close();
      throw e;
    }
    return r;
  }

  void start() {
    engine.start();
    sync.start();
    LOG.info(
        "Audience syncs: {} to {}",
        parts.ws.audiences().stream().map(AudienceDefinition::name).toList(),
        destinations.keySet());
  }

  /**
   * Whether an audience's changes go to destination {@code id} (through an instance of its own).
   */
  boolean delivers(String id) {
    return destinations.containsKey(id);
  }

  /** Each audience as last synced. */
  List<AudienceSync.Status> status() {
    return sync.status();
  }

  /**
   * Publishes each audience's members ({@code weir_audience_members}), the time of its last sync
   * that succeeded ({@code weir_audience_last_sync_seconds}, epoch seconds) and its failed syncs
   * ({@code weir_audience_sync_failures_total}), tagged with the audience and its destination; NaN
   * before the first sync.
   */
  void bindMeters(MeterRegistry meters) {
    for (AudienceDefinition a : parts.ws.audiences()) {
      Tags tags = Tags.of("audience", a.name(), "destination", a.destination());
      Gauge.builder("weir.audience.members", this, r -> r.members(a.name()))
          .description("Members of the audience after its last sync that succeeded")
          .tags(tags)
          .register(meters);
      Gauge.builder("weir.audience.last.sync", this, r -> r.lastSyncSeconds(a.name()))
          .description("When the audience last synced successfully (epoch seconds)")
          .baseUnit("seconds")
          .tags(tags)
          .register(meters);
      FunctionCounter.builder("weir.audience.sync.failures", this, r -> r.failures(a.name()))
          .description("Syncs of the audience that failed")
          .tags(tags)
          .register(meters);
    }
  }

  private AudienceSync.Status statusOf(String name) {
    return sync.status().stream().filter(s -> s.audience().equals(name)).findFirst().orElse(null);
  }

  private double members(String name) {
    AudienceSync.Status s = statusOf(name);
    return s == null || s.members() < 0 ? Double.NaN : s.members();
  }

  private double lastSyncSeconds(String name) {
    AudienceSync.Status s = statusOf(name);
    return s == null || s.lastSync() == null ? Double.NaN : s.lastSync().toEpochMilli() / 1000.0;
  }

  private double failures(String name) {
    AudienceSync.Status s = statusOf(name);
    return s == null ? 0 : s.failures();
  }

  /** Syncs audience {@code name} now. */
  AudienceDiff syncNow(String name) throws IOException {
    AudienceDiff diff = sync.sync(name);
    engine.signal();
    return diff;
  }

  @Override
  public void close() {
    try {
      sync.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      engine.stop();
    } catch (RuntimeException e) {
      LOG.warn("Audience delivery did not stop cleanly: {}", e.toString());
    }
    destinations.forEach(
        (id, s) -> {
          try {
            s.dest().stop();
          } catch (Exception e) {
            LOG.warn("Audience destination '{}' did not stop cleanly: {}", id, e.toString());
          }
        });
    try {
      changes.close();
    } catch (IOException e) {
      LOG.warn("Audience change log did not close cleanly: {}", e.toString());
    }
  }
}
