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
 * The host's {@link AdminBackend}: hands the admin server the live components of one running host, and starts the
 * {@link AdminServer} on the workspace's {@code server} section. Thread-safe (reads the parts, which are fixed once
 * started).
 */
final class AdminWiring implements AdminBackend {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Parts parts;
  private final BooleanSupplier running;
  private final EventTap tap;

  private AdminWiring(Parts parts, BooleanSupplier running) {
    this.parts = parts;
    this.running = running;
    this.tap = parts.tap;
  }

  /** Starts the admin server when the workspace has a {@code server:} section; null otherwise. */
  static AdminServer start(Parts parts, BooleanSupplier running) {
    Workspace.ServerConfig server = parts.ws.server();
    if (server == null) {
      return null;
    }
    AdminWiring backend = new AdminWiring(parts, running);
    PrometheusMeterRegistry meters = parts.services.meters();
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    AdminOptions.Builder b = AdminOptions.builder().host(server.host()).port(server.port())
        .tokens(server.adminTokens());
    if (server.tls() != null) {
      b.keystore(server.tls().keystore(), server.tls().keystorePassword());
    }
    return AdminServer.start(backend, b.build());
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
    return parts.governance instanceof PlanGovernance g ? Optional.of(g.violations()) : Optional.empty();
  }

  @Override
  public List<Definition> definitions() {
    return parts.installedDefinitions();
  }

  @Override
  public List<ConnectorInfo> connectors() {
    List<ConnectorInfo> out = new ArrayList<>();
    for (dev.weir.host.plugin.ConnectorInfo c : parts.registry.connectors()) {
      String kind = switch (c.kind()) {
        case SOURCE -> "source";
        case STREAMING_DESTINATION -> "streaming_destination";
        case BATCH_DESTINATION -> "batch_destination";
      };
      out.add(new ConnectorInfo(c.id(), c.version(), kind, c.pluginId(), c.origin(), c.spec().settingsSchema()));
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

  /** From the printable workspace: secrets already replaced by {@code ***}, never resolved values. */
  @SuppressWarnings("unchecked")
  private List<ComponentInfo> components(String section, String fixedKind) {
    List<ComponentInfo> out = new ArrayList<>();
    JsonNode list = parts.ws.printable().path(section);
    for (JsonNode n : list) {
      String kind = fixedKind != null ? fixedKind
          : "batch".equals(n.path("mode").asText("stream")) ? "batch_destination" : "streaming_destination";
      String connector = n.hasNonNull("definition") ? n.get("definition").asText() : n.path("type").asText("?");
      Map<String, Object> settings = n.has("settings") ? JSON.convertValue(n.get("settings"), Map.class) : Map.of();
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
}
