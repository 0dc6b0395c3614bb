package dev.weir.host;

import dev.weir.delivery.DeliveryEngine;
import dev.weir.host.config.StoreSettings;
import dev.weir.host.config.Workspace;
import dev.weir.host.config.Workspace.Mode;
import dev.weir.host.config.Workspace.SourceConfig;
import dev.weir.host.pipeline.Governance;
import dev.weir.host.pipeline.HostConnectorContext;
import dev.weir.host.pipeline.HostServices;
import dev.weir.host.pipeline.Pipeline;
import dev.weir.host.pipeline.PlanGovernance;
import dev.weir.host.pipeline.StoreLog;
import dev.weir.host.plugin.ConnectorRegistry;
import dev.weir.realtime.ReaderHandle;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.RecoveryReport;
import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.StreamingDestination;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one running host is made of, started in order (store with recovery, governance,
 * destinations on the delivery engine, then sources) and stopped in reverse. Not thread-safe:
 * {@link Weir} guards it.
 */
final class HostComponents {
  private static final Logger LOG = LoggerFactory.getLogger(Weir.class);

  /** The name the delivery engine's pin on store data is registered under. */
  static final String DELIVERY_READER = "delivery";

  /** The workspace running now ({@link WorkspaceReload} replaces it). */
  volatile Workspace ws;

  final ConnectorRegistry registry;
  final HostServices services;
  RealtimeStore store;
  Governance governance;
  DeliveryEngine engine;
  Pipeline pipeline;

  /** This node's part in a cluster, or null without a {@code cluster:} section. */
  ClusterWiring cluster;

  ReaderHandle pin;
  ScheduledExecutorService pinner;
  final Map<String, StreamingDestination> destinations =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The partner definition each definition destination runs (its delivery policy). */
  private final Map<String, dev.weir.definitions.Definition> definitionsRunning =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Version of the partner definition each definition destination runs. */
  private final Map<String, String> definitionVersions =
      new java.util.concurrent.ConcurrentHashMap<>();

  private dev.weir.definitions.DefinitionRegistry definitions;
  private boolean watchingDefinitions;
  dev.weir.exports.ExportScheduler exports;

  /** The workspace's audience syncs, or null when it has none. */
  AudienceRuntime audiences;

  final Map<String, dev.weir.sdk.BatchDestination> batchDestinations =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The admin console's live debugger feed; costs a volatile read per event while nobody watches.
   */
  final dev.weir.admin.EventTap tap = new dev.weir.admin.EventTap();

  /** Whether this host runs its sources (not so for {@code weir replay-file}). */
  volatile boolean sourcesStarted;

  final List<Map.Entry<String, SourceConnector>> sources =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  HostComponents(Workspace ws, ConnectorRegistry registry) {
    this.ws = ws;
    this.registry = registry;
    this.services = new HostServices(ws.store().dir());
  }

  /**
   * Opens the store (recovery runs here), governance, the engine and every streaming destination.
   */
  void openCore(Governance customGovernance, Clock clock) throws Weir.StartException {
    if (ws.cluster() != null) {
      cluster = ClusterWiring.open(ws.cluster());
    }
    try {
      store =
          RealtimeStore.open(
              StoreSettings.options(ws.store(), msg -> LOG.warn("Store recovery: {}", msg)));
    } catch (IOException e) {
      throw new Weir.StartException(
          "cannot open the store at " + ws.store().dir() + ": " + e.getMessage(), e);
    }
    RecoveryReport r = store.recoveryReport();
    LOG.info(
        "Store {} open: {} partitions, recovery replayed {} events from {} block files ({} chunks) in {} ms"
            + "{}",
        ws.store().dir(),
        store.partitionCount(),
        r.eventsReplayed(),
        r.blockFiles(),
        r.chunks(),
        r.elapsedMillis(),
        r.problems().isEmpty() ? "" : "; repaired: " + r.problems());
    if (cluster != null) {
      cluster.startStore(store, ws.cluster());
    }
    governance =
        customGovernance != null
            ? customGovernance
            : PlanGovernance.open(
                ws.trackingPlans(), EngineSettings.policies(ws), services.meters());
    engine =
        DeliveryEngine.builder()
            .log(new StoreLog(store))
            .stateDir(ws.store().dir().resolve("delivery"))
            .meterRegistry(services.meters())
            .build();
    for (Workspace.DestinationConfig d : ws.destinations()) {
      if (!d.enabled()) {
        LOG.info("Destination '{}' is disabled (enabled: false)", d.id());
        continue;
      }
      if (d.mode() == Mode.BATCH) {
        batchDestinations.put(d.id(), BatchSwitch.start(this, d));
        continue;
      }
      if (ws.sourcesFeeding(d.id()).isEmpty()) {
        if (ws.audiences().stream().noneMatch(a -> a.destination().equals(d.id()))) {
          LOG.warn("Destination '{}' has no route from an enabled source: not started", d.id());
        }
        continue;
      }
      deliverTo(ws, d, startStreaming(d));
    }
    pipeline =
        cluster != null && cluster.producer != null
            ? new Pipeline(cluster.producer, governance, clock)
            : new Pipeline(store, governance, clock, engine::signal);
    pipeline.tap(
        (source, event, status) -> {
          if (tap.watching(source)) {
            tap.ingested(
                source, null, event, status == dev.weir.sdk.SubmitResult.EventStatus.DUPLICATE);
          }
        });
    dev.weir.exports.ExportScheduler.Builder eb =
        dev.weir.exports.ExportScheduler.builder(store, ws.store().dir().resolve("exports"));
    // a batch destination gets only the sources routed to it (quarantine only where routed)
    batchDestinations.forEach((id, d) -> eb.destination(id, d, ws.sourcesFeeding(id)));
    Object period = ws.store().options().get("batch_period_ms");
    if (period instanceof Number n) {
      eb.batchPeriod(Duration.ofMillis(n.longValue()));
    }
    try {
      exports = eb.build();
    } catch (IOException e) {
      throw new Weir.StartException(
          "cannot open the export state under " + ws.store().dir() + ": " + e, e);
    }
    if (!ws.audiences().isEmpty()) {
      audiences = AudienceRuntime.open(this);
    }
    watchDefinitions();
  }

  /**
   * A started streaming destination, not yet delivering, the definition it runs (or null), and the
   * connector its connection was recorded as running before (restored by {@link #discard}).
   */
  record Started(
      StreamingDestination dest,
      dev.weir.definitions.Definition def,
      dev.weir.host.plugin.LoadedConnector previous) {}

  /**
   * Creates and starts the connector (or partner definition) of streaming destination {@code d};
   * the engine does not deliver to it until {@link #deliverTo}. A connector that fails to start is
   * stopped again.
   */
  Started startStreaming(Workspace.DestinationConfig d) throws Weir.StartException {
    dev.weir.definitions.Definition def = d.definition() != null ? definitionOf(d) : null;
    dev.weir.host.plugin.LoadedConnector previous = registry.users().get(d.id());
    StreamingDestination dest =
        def != null
            ? dev.weir.definitions.Definitions.destination(def)
            : registry.create(d.type(), d.version(), d.id(), StreamingDestination.class);
    Started started = new Started(dest, def, previous);
    try {
      dest.start(new HostConnectorContext(d.id(), d.type(), d.settings(), services, null));
    } catch (Exception e) {
      discard(d.id(), started);
      throw new Weir.StartException(
          "destination '" + d.id() + "' (" + d.type() + ") failed to start: " + e, e);
    }
    return started;
  }

  /**
   * Stops a destination {@link #startStreaming} started that will not deliver, and records its
   * connection as running what it ran before.
   */
  void discard(String id, Started started) {
    try {
      started.dest().stop();
    } catch (Exception e) {
      LOG.warn("Destination '{}': a connector not used did not stop cleanly: {}", id, e.toString());
    }
    registry.restore(id, started.previous());
  }

  /** The engine delivers to {@code started} as destination {@code d} of workspace {@code ws}. */
  void deliverTo(Workspace ws, Workspace.DestinationConfig d, Started started) {
    destinations.put(d.id(), started.dest());
    if (started.def() != null) {
      definitionVersions.put(d.id(), started.def().version());
      definitionsRunning.put(d.id(), started.def());
      LOG.info(
          "Destination '{}' runs partner definition {}@{}",
          d.id(),
          started.def().id(),
          started.def().version());
    } else {
      definitionVersions.remove(d.id());
      definitionsRunning.remove(d.id());
    }
    engine.addDestination(
        EngineSettings.engineConfig(ws, d, started.def()),
        new TappedDestination(started.dest(), d.id(), tap));
  }

  /**
   * The engine delivers to {@code started} instead of what destination {@code d} ran, which is then
   * stopped; the cursors stay.
   */
  void replace(Workspace ws, Workspace.DestinationConfig d, Started started) {
    engine.removeDestination(d.id());
    StreamingDestination old = destinations.get(d.id());
    deliverTo(ws, d, started);
    stopQuietly(d.id(), old);
  }

  /**
   * The engine delivers to the running connector of destination {@code d} with {@code ws}'s routes,
   * filter and delivery settings; the connector keeps running.
   */
  void reconfigure(Workspace ws, Workspace.DestinationConfig d) {
    engine.removeDestination(d.id());
    engine.addDestination(
        EngineSettings.engineConfig(ws, d, definitionsRunning.get(d.id())),
        new TappedDestination(destinations.get(d.id()), d.id(), tap));
  }

  /** The engine stops delivering to streaming destination {@code id}, which is then stopped. */
  void stopStreaming(String id) {
    engine.removeDestination(id);
    definitionVersions.remove(id);
    definitionsRunning.remove(id);
    stopQuietly(id, destinations.remove(id));
    if (audiences == null || !audiences.delivers(id)) {
      registry.release(id); // an audience's own instance of it still runs otherwise
    }
  }

  /** The partner definition version destination {@code id} runs, or null. */
  String definitionVersion(String id) {
    return definitionVersions.get(id);
  }

  /**
   * The partner definition {@code d} would run if started now (after rescanning the definitions
   * directory), or null when it runs a connector or the definition is missing.
   */
  dev.weir.definitions.Definition definitionNow(Workspace.DestinationConfig d) {
    if (d.definition() == null) {
      return null;
    }
    definitions().scan(ws.definitionsDir());
    return dev.weir.host.config.DefinitionRefs.resolve(definitions, d.definition()).orElse(null);
  }

  private static void stopQuietly(String id, StreamingDestination d) {
    if (d == null) {
      return;
    }
    try {
      d.stop();
    } catch (Exception e) {
      LOG.warn("Destination '{}' did not stop cleanly: {}", id, e.toString());
    }
  }

  /** Watches the definitions directory once a definition is in use (hot reload of versions). */
  synchronized void watchDefinitions() {
    if (definitions != null && !watchingDefinitions) {
      watchingDefinitions = true;
      definitions.watch(
          ws.definitionsDir(), Duration.ofSeconds(2), report -> reloadDefinitions(report));
    }
  }

  private dev.weir.definitions.Definition definitionOf(Workspace.DestinationConfig d)
      throws Weir.StartException {
    dev.weir.definitions.Definition def =
        dev.weir.host.config.DefinitionRefs.resolve(definitions(), d.definition())
            .orElseThrow(
                () ->
                    new Weir.StartException(
                        "destination '"
                            + d.id()
                            + "': definition '"
                            + d.definition()
                            + "' is no longer in "
                            + ws.definitionsDir(),
                        null));
    return def;
  }

  private dev.weir.definitions.DefinitionRegistry definitions() {
    if (definitions == null) {
      definitions = new dev.weir.definitions.DefinitionRegistry();
      definitions.scan(ws.definitionsDir());
    }
    return definitions;
  }

  /** A declarative polling source: {@code sources[].definition: id@version}. */
  private SourceConnector definitionSource(SourceConfig s) throws Weir.StartException {
    dev.weir.definitions.Definition def =
        dev.weir.host.config.DefinitionRefs.resolve(definitions(), s.definition())
            .orElseThrow(
                () ->
                    new Weir.StartException(
                        "source '"
                            + s.id()
                            + "': definition '"
                            + s.definition()
                            + "' is no longer in "
                            + ws.definitionsDir(),
                        null));
    LOG.info("Source '{}' runs partner definition {}@{}", s.id(), def.id(), def.version());
    return dev.weir.definitions.Definitions.source(def);
  }

  /** Every installed partner definition (all versions), for the admin API. */
  List<dev.weir.definitions.Definition> installedDefinitions() {
    List<dev.weir.definitions.Definition> out = new ArrayList<>();
    try {
      if (java.nio.file.Files.isDirectory(ws.definitionsDir())) {
        dev.weir.definitions.DefinitionRegistry fresh =
            new dev.weir.definitions.DefinitionRegistry();
        for (dev.weir.definitions.Definition d : fresh.scan(ws.definitionsDir()).loaded()) {
          out.add(d);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Cannot list partner definitions: {}", e.toString());
    }
    return out;
  }

  /**
   * Hot reload: a definition destination whose pin now selects another version is swapped on the
   * engine.
   */
  private synchronized void reloadDefinitions(
      dev.weir.definitions.DefinitionRegistry.ScanReport report) {
    report.problems().forEach(pr -> LOG.warn("Partner definition not loaded: {}", pr));
    for (Workspace.DestinationConfig d : ws.destinations()) {
      String running = definitionVersions.get(d.id());
      if (running == null) {
        continue;
      }
      var def = dev.weir.host.config.DefinitionRefs.resolve(definitions, d.definition());
      if (def.isEmpty() || def.get().version().equals(running)) {
        continue;
      }
      StreamingDestination fresh = dev.weir.definitions.Definitions.destination(def.get());
      try {
        fresh.start(new HostConnectorContext(d.id(), d.type(), d.settings(), services, null));
      } catch (Exception e) {
        LOG.warn(
            "Destination '{}': definition {}@{} failed to start, keeping {}: {}",
            d.id(),
            def.get().id(),
            def.get().version(),
            running,
            e.toString());
        continue;
      }
      engine.removeDestination(d.id());
      StreamingDestination old = destinations.put(d.id(), fresh);
      definitionsRunning.put(d.id(), def.get());
      engine.addDestination(
          EngineSettings.engineConfig(ws, d, def.get()), new TappedDestination(fresh, d.id(), tap));
      definitionVersions.put(d.id(), def.get().version());
      LOG.info(
          "Destination '{}' switched from definition version {} to {}",
          d.id(),
          running,
          def.get().version());
      try {
        old.stop();
      } catch (Exception e) {
        LOG.warn(
            "Destination '{}': old definition version did not stop cleanly: {}",
            d.id(),
            e.toString());
      }
    }
  }

  /** Pins store data the engine still needs, starts delivering. */
  void startDelivery() {
    Map<Integer, Long> floors = new HashMap<>();
    for (int p = 0; p < store.partitionCount(); p++) {
      floors.put(p, engine.retentionFloor(p));
    }
    pin = store.registerReader(DELIVERY_READER, floors);
    pinner =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "weir-retention-pin");
              t.setDaemon(true);
              return t;
            });
    pinner.scheduleWithFixedDelay(this::advancePin, 1, 1, TimeUnit.SECONDS);
    engine.start();
    // always: without batch destinations the scheduler still advances the batch every period, so
    // retention (cleanup of handed-off chunks) runs
    exports.start(Duration.ofSeconds(2));
    if (audiences != null) {
      audiences.start();
    }
  }

  private void advancePin() {
    try {
      for (int p = 0; p < store.partitionCount(); p++) {
        pin.advance(p, engine.retentionFloor(p));
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not move the delivery pin on store data: {}", e.toString());
    }
  }

  /** Starts every enabled source, feeding the pipeline. */
  void startSources() throws Weir.StartException {
    sourcesStarted = true;
    for (SourceConfig s : ws.sources()) {
      if (!s.enabled()) {
        LOG.info("Source '{}' is disabled (enabled: false)", s.id());
        continue;
      }
      sources.add(Map.entry(s.id(), startSource(s)));
    }
  }

  /**
   * Creates and starts source {@code s}, feeding the pipeline; the caller adds it to {@link
   * #sources}. One that fails to start is stopped again.
   */
  SourceConnector startSource(SourceConfig s) throws Weir.StartException {
    dev.weir.host.plugin.LoadedConnector previous = registry.users().get(s.id());
    SourceConnector src =
        s.definition() != null
            ? definitionSource(s)
            : registry.create(s.type(), null, s.id(), SourceConnector.class);
    try {
      src.start(new HostConnectorContext(s.id(), s.type(), s.settings(), services, pipeline));
    } catch (Exception e) {
      try {
        src.stop();
      } catch (Exception ignored) {
        // it did not start; the start failure is what is reported
      }
      registry.restore(s.id(), previous);
      throw new Weir.StartException(
          "source '" + s.id() + "' (" + s.type() + ") failed to start: " + e, e);
    }
    return src;
  }

  /** Stops running source {@code id} and forgets it (its connector is released when asked). */
  void stopSource(String id, boolean release) {
    for (Map.Entry<String, SourceConnector> e : sources) {
      if (e.getKey().equals(id)) {
        sources.remove(e);
        try {
          e.getValue().stop();
        } catch (Exception ex) {
          LOG.warn("Source '{}' did not stop cleanly: {}", id, ex.toString());
        }
      }
    }
    if (release) {
      registry.release(id);
    }
  }

  /**
   * Waits (at most {@code timeout}) until every destination's cursors reached the end of the store.
   */
  void drain(Duration timeout) {
    if (engine == null || store == null) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && !drained()) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (!drained()) {
      LOG.warn(
          "Not everything was delivered within {} ms; the rest is kept in the store and delivered on the "
              + "next start",
          timeout.toMillis());
    }
  }

  private boolean drained() {
    for (String id : engine.destinations()) {
      for (int p = 0; p < store.partitionCount(); p++) {
        if (engine.cursor(id, p) < store.nextSequence(p)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Stops sources, the engine, destinations, then closes the store; never throws. */
  void close(Duration drainTimeout) {
    if (definitions != null) {
      definitions.close();
    }
    for (Map.Entry<String, SourceConnector> s : sources) {
      try {
        s.getValue().stop();
      } catch (Exception e) {
        LOG.warn("Source '{}' did not stop cleanly: {}", s.getKey(), e.toString());
      }
    }
    drain(drainTimeout);
    if (cluster != null) {
      cluster.close();
    }
    if (audiences != null) {
      audiences.close();
    }
    if (engine != null) {
      try {
        engine.stop();
      } catch (RuntimeException e) {
        LOG.warn("Delivery engine did not stop cleanly: {}", e.toString());
      }
    }
    if (exports != null) {
      try {
        exports.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    batchDestinations.forEach(
        (id, d) -> {
          try {
            d.stop();
          } catch (Exception e) {
            LOG.warn("Destination '{}' did not stop cleanly: {}", id, e.toString());
          }
        });
    destinations.forEach(
        (id, d) -> {
          try {
            d.stop();
          } catch (Exception e) {
            LOG.warn("Destination '{}' did not stop cleanly: {}", id, e.toString());
          }
        });
    if (pinner != null) {
      pinner.shutdownNow();
    }

    if (pin != null) {
      pin.close();
    }
    if (governance instanceof PlanGovernance pg) {
      pg.close();
    }
    if (store != null) {
      try {
        store.close();
      } catch (IOException e) {
        LOG.warn("Store did not close cleanly: {}", e.toString());
      }
    }
    services.close();
    registry.close();
  }
}
