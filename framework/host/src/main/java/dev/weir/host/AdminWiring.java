package dev.weir.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.admin.AdminBackend;
import dev.weir.admin.AdminOptions;
import dev.weir.admin.AdminServer;
import dev.weir.admin.ComponentInfo;
import dev.weir.admin.ConnectorInfo;
import dev.weir.admin.EventTap;
import dev.weir.admin.Readiness;
import dev.weir.definitions.Definition;
import dev.weir.delivery.DeliveryEngine;
import dev.weir.governance.TrackingPlans;
import dev.weir.governance.ViolationLog;
import dev.weir.host.admin.DeletionRequests;
import dev.weir.host.config.Workspace;
import dev.weir.host.pipeline.PlanGovernance;
import dev.weir.realtime.RealtimeStore;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The host's {@link AdminBackend}: hands the admin server the live components of one running host,
 * and starts the {@link AdminServer} on the workspace's {@code server} section. Thread-safe (reads
 * the parts, which are fixed once started).
 */
final class AdminWiring implements AdminBackend {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HostComponents parts;
  private final Weir weir;
  private final BooleanSupplier running;
  private final EventTap tap;
  private final DeletionRequests deletions;
  private final dev.weir.admin.UserDeletionLog deletionLog;
  private final UserDeletions userDeletions;

  private AdminWiring(HostComponents parts, Weir weir) {
    this.parts = parts;
    this.weir = weir;
    this.running = weir::ready;
    this.tap = parts.tap;
    this.deletions =
        new DeletionRequests(
            parts.ws.store().dir().resolve("deletion-requests"), java.time.Clock.systemUTC());
    this.deletionLog =
        new dev.weir.admin.UserDeletionLog(
            parts.ws.store().dir().resolve("deletions"), java.time.Clock.systemUTC());
    this.userDeletions =
        new UserDeletions(() -> parts.ws, parts.engine, deletions, deletionLog, redactor());
  }

  /** Starts the admin server when the workspace has a {@code server:} section; null otherwise. */
  static AdminServer start(HostComponents parts, Weir weir) {
    Workspace.ServerConfig server = parts.ws.server();
    if (server == null) {
      return null;
    }
    AdminWiring backend = new AdminWiring(parts, weir);
    backend.userDeletions.resume();
    PrometheusMeterRegistry meters = parts.services.meters();
    if (parts.pipeline != null) {
      parts.pipeline.bindMeters(meters);
    }
    if (parts.audiences != null) {
      parts.audiences.bindMeters(meters);
    }
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    AdminOptions.Builder b =
        AdminOptions.builder()
            .host(server.host())
            .port(server.port())
            .tokens(server.adminTokens())
            .publicMetrics(server.publicMetrics());
    if (server.tls() != null) {
      b.keystore(server.tls().keystore(), server.tls().keystorePassword());
    }
    return AdminServer.start(backend, b.build());
  }

  @Override
  public dev.weir.runtime.Redactor redactor() {
    return dev.weir.host.logging.SecretRedactor.current();
  }

  @Override
  public Optional<RealtimeStore> store() {
    return Optional.ofNullable(parts.store);
  }

  @Override
  public Optional<DeliveryEngine> delivery() {
    return Optional.ofNullable(parts.engine);
  }

  @Override
  public Optional<TrackingPlans> trackingPlans() {
    return parts.governance instanceof PlanGovernance g ? Optional.of(g.plans()) : Optional.empty();
  }

  @Override
  public Optional<ViolationLog> violations() {
    return parts.governance instanceof PlanGovernance g
        ? Optional.of(g.violations())
        : Optional.empty();
  }

  @Override
  public List<Definition> definitions() {
    return parts.installedDefinitions();
  }

  @Override
  public List<ConnectorInfo> connectors() {
    List<ConnectorInfo> out = new ArrayList<>();
    for (dev.weir.host.plugin.LoadedConnector c : parts.registry.connectors()) {
      String kind =
          switch (c.kind()) {
            case SOURCE -> "source";
            case STREAMING_DESTINATION -> "streaming_destination";
            case BATCH_DESTINATION -> "batch_destination";
          };
      out.add(
          new ConnectorInfo(
              c.id(), c.version(), kind, c.pluginId(), c.origin(), c.spec().settingsSchema()));
    }
    return out;
  }

  @Override
  public List<ComponentInfo> sources() {
    return components("sources", "source");
  }

  @Override
  public List<ComponentInfo> destinations() {
    return components("destinations", null);
  }

  /**
   * From the printable workspace: secrets already replaced by {@code ***}, never resolved values.
   */
  @SuppressWarnings("unchecked")
  private List<ComponentInfo> components(String section, String fixedKind) {
    List<ComponentInfo> out = new ArrayList<>();
    JsonNode list = parts.ws.printable().path(section);
    for (JsonNode n : list) {
      String kind =
          fixedKind != null
              ? fixedKind
              : "batch".equals(n.path("mode").asText("stream"))
                  ? "batch_destination"
                  : "streaming_destination";
      String connector =
          n.hasNonNull("definition") ? n.get("definition").asText() : n.path("type").asText("?");
      Map<String, Object> settings =
          n.has("settings") ? JSON.convertValue(n.get("settings"), Map.class) : Map.of();
      out.add(new ComponentInfo(n.path("id").asText("?"), connector, kind, settings, null));
    }
    return out;
  }

  @Override
  public PrometheusMeterRegistry meterRegistry() {
    return parts.services.meters();
  }

  @Override
  public Readiness readiness() {
    if (!running.getAsBoolean()) {
      return Readiness.down("stopping");
    }
    return parts.store == null ? Readiness.down("store not open") : Readiness.up();
  }

  @Override
  public EventTap eventTap() {
    return tap;
  }

  @Override
  public void pauseSource(String sourceId) {
    pipeline().pause(sourceId);
  }

  @Override
  public void resumeSource(String sourceId) {
    pipeline().resume(sourceId);
  }

  @Override
  public Map<String, Object> sourceStatus(String sourceId) {
    return parts.pipeline == null ? Map.of() : parts.pipeline.status(sourceId);
  }

  @Override
  public java.util.Optional<dev.weir.admin.UserDeletionLog> deletionLog() {
    return java.util.Optional.of(deletionLog);
  }

  @Override
  public List<String> destinationsFedBy(String sourceId) {
    List<String> out = new ArrayList<>();
    for (Workspace.DestinationConfig d : parts.ws.destinations()) {
      if (d.enabled() && parts.ws.sourcesFeeding(d.id()).contains(sourceId)) {
        out.add(d.id());
      }
    }
    return out;
  }

  @Override
  public Map<String, Map<String, Object>> deleteFromBatchOutputs(
      String deletionId, String sourceId, String userId, java.util.Set<String> deviceIds) {
    Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
    List<String> fed = destinationsFedBy(sourceId);
    parts.batchDestinations.forEach(
        (id, d) -> {
          if (!fed.contains(id)) {
            return;
          }
          if (!d.deletesUsers()) {
            out.put(id, Map.of("status", dev.weir.admin.UserDeletionLog.NOT_SUPPORTED));
            return;
          }
          try {
            long n =
                d.deleteUser(
                    new dev.weir.sdk.UserDeletion(deletionId, sourceId, userId, deviceIds));
            out.put(id, Map.of("status", dev.weir.admin.UserDeletionLog.DONE, "rows_deleted", n));
          } catch (Exception e) {
            out.put(
                id,
                Map.of(
                    "status",
                    dev.weir.admin.UserDeletionLog.FAILED,
                    "error",
                    redactor().redact(e.getClass().getSimpleName() + ": " + e.getMessage())));
          }
        });
    return out;
  }

  /** See {@link UserDeletions#queue}. */
  @Override
  public List<String> queueUserDeletion(
      String deletionId, String sourceId, String userId, java.util.Set<String> deviceIds) {
    return userDeletions.queue(deletionId, sourceId, userId, deviceIds);
  }

  @Override
  public Map<String, Object> reloadWorkspace() {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    try {
      Weir.Reloaded r = weir.reload();
      out.put("applied", true);
      out.put("added", r.added());
      out.put("restarted", r.restarted());
      out.put("reconfigured", r.reconfigured());
      out.put("removed", r.removed());
      out.put(
          "sources",
          Map.of(
              "added", r.sourcesAdded(),
              "restarted", r.sourcesRestarted(),
              "removed", r.sourcesRemoved()));
    } catch (dev.weir.host.config.WorkspaceException e) {
      List<Map<String, Object>> problems = new ArrayList<>();
      for (dev.weir.host.config.ConfigProblem p : e.problems()) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("file", p.file());
        if (p.line() > 0) {
          m.put("line", p.line());
          m.put("column", p.column());
        }
        m.put("where", p.where());
        m.put("path", p.path());
        m.put("message", p.message());
        problems.add(m);
      }
      out.put("applied", false);
      out.put("problems", problems);
    }
    return out;
  }

  @Override
  public List<Map<String, Object>> audiences() {
    List<Map<String, Object>> out = new ArrayList<>();
    if (parts.audiences == null) {
      return out;
    }
    for (dev.weir.exports.AudienceSync.Status st : parts.audiences.status()) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("name", st.audience());
      m.put("destination", st.destination());
      m.put("members", st.members());
      m.put("last_sync", st.lastSync() == null ? null : st.lastSync().toString());
      m.put("last_error", st.lastError());
      m.put("sync_failures", st.failures());
      out.add(m);
    }
    return out;
  }

  @Override
  public Map<String, Object> syncAudience(String name) {
    if (parts.audiences == null) {
      throw new java.util.NoSuchElementException("no audience '" + name + "' (none configured)");
    }
    try {
      dev.weir.exports.AudienceDiff d = parts.audiences.syncNow(name);
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("name", d.audience());
      m.put("members", d.size());
      m.put("entered", d.added().size());
      m.put("left", d.removed().size());
      return m;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("audience '" + name + "' sync failed: " + e, e);
    }
  }

  @Override
  public Map<String, Object> unloadPlugin(String id, String version) {
    var c =
        parts
            .registry
            .info(id, version)
            .orElseThrow(
                () ->
                    new java.util.NoSuchElementException(
                        "no connector " + id + "@" + version + " is loaded"));
    try {
      List<String> unloaded = new ArrayList<>();
      for (dev.weir.host.plugin.LoadedConnector gone : parts.registry.unload(id, version)) {
        unloaded.add(gone.id() + "@" + gone.version());
      }
      return Map.of("plugin", c.origin(), "unloaded", unloaded);
    } catch (dev.weir.host.plugin.PluginInUseException e) {
      throw new AdminBackend.InUseException(e.getMessage(), e.connections());
    }
  }

  private dev.weir.host.pipeline.Pipeline pipeline() {
    if (parts.pipeline == null) {
      throw new UnsupportedOperationException("this instance runs no sources");
    }
    return parts.pipeline;
  }
}
