package dev.weir.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded, validated workspace: everything one running Weir is made of. Immutable (the settings
 * maps are unmodifiable copies). Load with {@link WorkspaceLoader}.
 *
 * @param file the workspace file
 * @param server the host's own admin/metrics server; null when the workspace has no {@code server:}
 *     section (then none is started)
 * @param store where and how events are kept
 * @param cluster cluster mode ({@code cluster:}); null when the workspace has no such section (then
 *     Weir is one process with its own store)
 * @param pluginsDir where external plugin jars are loaded from
 * @param definitionsDir where partner definitions ({@code definition: id@version} destinations) are
 *     loaded from
 * @param trackingPlans tracking-plan files, resolved against the workspace file's directory (loaded
 *     by governance)
 * @param sources the configured sources, in file order
 * @param destinations the configured destinations, in file order
 * @param routes which sources feed which destinations
 * @param audiences audience syncs ({@code audiences:}), each to one of the streaming destinations
 * @param secrets every value resolved from a reference that must not appear in logs or printed
 *     config
 * @param printable the resolved config with every secret replaced by {@code ***}
 */
public record Workspace(
    Path file,
    ServerConfig server,
    StoreConfig store,
    ClusterConfig cluster,
    Path pluginsDir,
    Path definitionsDir,
    List<Path> trackingPlans,
    List<SourceConfig> sources,
    List<DestinationConfig> destinations,
    List<RouteConfig> routes,
    List<dev.weir.exports.AudienceDefinition> audiences,
    Set<String> secrets,
    JsonNode printable) {

  public Workspace {
    trackingPlans = List.copyOf(trackingPlans);
    sources = List.copyOf(sources);
    destinations = List.copyOf(destinations);
    routes = List.copyOf(routes);
    audiences = List.copyOf(audiences);
    secrets = Set.copyOf(secrets);
    printable = printable.deepCopy();
  }

  @Override
  public JsonNode printable() {
    return printable.deepCopy();
  }

  /**
   * The {@code cluster:} section. @param settings what the cluster library takes (its partitions
   * are {@code store.partitions}) @param sessionTimeout the store nodes' consumer session timeout
   */
  public record ClusterConfig(
      dev.weir.cluster.ClusterSettings settings, java.time.Duration sessionTimeout) {}

  public Optional<SourceConfig> source(String id) {
    return sources.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  public Optional<DestinationConfig> destination(String id) {
    return destinations.stream().filter(d -> d.id().equals(id)).findFirst();
  }

  /** The ids of the enabled sources routed to {@code destinationId}. */
  public Set<String> sourcesFeeding(String destinationId) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (RouteConfig r : routes) {
      String from =
          r.from().endsWith(dev.weir.host.pipeline.Governance.QUARANTINE_SUFFIX)
              ? r.from()
                  .substring(
                      0,
                      r.from().length()
                          - dev.weir.host.pipeline.Governance.QUARANTINE_SUFFIX.length())
              : r.from();
      if (r.to().contains(destinationId) && source(from).map(SourceConfig::enabled).orElse(false)) {
        out.add(r.from());
      }
    }
    return out;
  }

  /**
   * The admin/metrics server. @param port TCP port (0: any free one) @param tls optional keystore,
   * null for plain HTTP @param host address to bind @param adminTokens resolved bearer tokens
   * (secrets when given as references) @param publicMetrics whether {@code /metrics} answers
   * without a token
   */
  public record ServerConfig(
      int port, TlsConfig tls, String host, List<String> adminTokens, boolean publicMetrics) {
    public ServerConfig {
      adminTokens = List.copyOf(adminTokens);
    }

    @Override
    public String toString() {
      return "ServerConfig[port="
          + port
          + ", tls="
          + tls
          + ", host="
          + host
          + ", adminTokens=***, publicMetrics="
          + publicMetrics
          + "]";
    }
  }

  /** A keystore for TLS. The password is a resolved secret. */
  public record TlsConfig(Path keystore, String keystorePassword, String keystoreType) {
    @Override
    public String toString() {
      return "TlsConfig[keystore="
          + keystore
          + ", keystorePassword=***, keystoreType="
          + keystoreType
          + "]";
    }
  }

  /**
   * The store. @param dir data directory @param partitions partition count @param memoryCapacity
   * bytes of estimated heap the cached blocks may hold before the oldest are sealed early (0:
   * bounded by time only) @param options store-specific options, passed through
   */
  public record StoreConfig(
      Path dir, int partitions, long memoryCapacity, Map<String, Object> options) {
    /** 256 MiB. */
    public static final long DEFAULT_MEMORY_CAPACITY = 256L << 20;

    public StoreConfig {
      options = Map.copyOf(options);
    }
  }

  /**
   * A source connection. Settings are validated, with schema defaults applied. {@code definition}
   * is the partner definition ({@code id@version}) a declarative polling source runs (then {@code
   * type} is {@code "definition"}), else null.
   */
  public record SourceConfig(
      String id,
      String type,
      String definition,
      boolean enabled,
      Map<String, Object> settings,
      TrackingPlanBinding trackingPlan) {
    public SourceConfig {
      settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    }

    @Override
    public String toString() {
      return "source '" + id + "' (" + type + ")";
    }
  }

  /**
   * Which tracking plan a source is checked against and what to do with violations; null when none.
   */
  public record TrackingPlanBinding(
      String id,
      Integer version,
      String onUnplannedEvent,
      String onUnplannedProperty,
      String onInvalidValue,
      String blocked) {}

  /**
   * stream: real-time batches to a StreamingDestination; batch: sealed chunks to a
   * BatchDestination.
   */
  public enum Mode {
    STREAM,
    BATCH
  }

  /** A destination connection. Settings are validated, with schema defaults applied. */
  public record DestinationConfig(
      String id,
      String type,
      String definition,
      Mode mode,
      boolean enabled,
      Map<String, Object> settings,
      Filter filter,
      DeliveryOptions delivery,
      String version) {
    public DestinationConfig {
      settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    }

    @Override
    public String toString() {
      return "destination '" + id + "' (" + type + ")";
    }
  }

  /**
   * Which events a destination receives; an empty list means all event types. {@code properties}:
   * each event property must equal the value (a list value means one of).
   */
  public record Filter(List<String> eventTypes, Map<String, Object> properties) {
    public Filter {
      eventTypes = List.copyOf(eventTypes);
      properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }

    public boolean accepts(String eventType) {
      return eventTypes.isEmpty() || eventTypes.contains(eventType);
    }
  }

  /**
   * Batching, retry and limits for a streaming destination: the delivery engine's snake_case
   * settings (see docs/delivery.md).
   */
  public record DeliveryOptions(Map<String, Object> engineSettings) {
    public DeliveryOptions {
      engineSettings =
          java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(engineSettings));
    }
  }

  /** Events from {@code from} go to each destination in {@code to}. */
  public record RouteConfig(String from, List<String> to) {
    public RouteConfig {
      to = List.copyOf(to);
    }
  }
}
