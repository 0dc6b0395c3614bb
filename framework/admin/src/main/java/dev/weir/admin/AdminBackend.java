package dev.weir.admin;

import dev.weir.definitions.Definition;
import dev.weir.delivery.DeliveryEngine;
import dev.weir.governance.TrackingPlans;
import dev.weir.governance.ViolationLog;
import dev.weir.realtime.RealtimeStore;
import dev.weir.runtime.Redactor;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the admin server reaches the running Weir components. The host implements it (see {@code
 * docs/admin-api.md}); the admin module never depends on the host. Methods are called from admin
 * request threads, concurrently, for as long as the {@link AdminServer} runs: they must be
 * thread-safe and quick (return the live component objects, do not copy them). Optional parts
 * return {@link Optional#empty()} and their endpoints answer 404/503.
 */
public interface AdminBackend {

  /** The real-time store, when this instance runs one. */
  Optional<RealtimeStore> store();

  /** The streaming delivery engine, when destinations are configured. */
  Optional<DeliveryEngine> delivery();

  /** The tracking plans in force, when governance is configured. */
  Optional<TrackingPlans> trackingPlans();

  /** The shared violation log the enforcers write to, when governance is configured. */
  Optional<ViolationLog> violations();

  /** Every installed partner definition, every version (any order). */
  List<Definition> definitions();

  /** Installed connectors from plugins (built-in and external), with their settings schemas. */
  List<ConnectorInfo> connectors();

  /** The configured sources, with their settings as configured (the admin API redacts them). */
  List<ComponentInfo> sources();

  /** The configured destinations (streaming and batch), with their settings as configured. */
  List<ComponentInfo> destinations();

  /**
   * The registry served at {@code /metrics}; the host registers JVM, HTTP and component meters on
   * it.
   */
  PrometheusMeterRegistry meterRegistry();

  /**
   * Whether Weir should receive traffic now: recovery done, plugins started, store accepting
   * writes.
   */
  Readiness readiness();

  /**
   * The event tap the host publishes ingested and delivered events to; the live debugger subscribes
   * to it.
   */
  EventTap eventTap();

  /**
   * The one redaction applied to everything the admin server sends (every answer, {@code /metrics},
   * the live debugger stream): the resolved secret values of the running Weir, masked in raw,
   * URL-encoded and base64 forms. None by default.
   */
  default Redactor redactor() {
    return Redactor.NONE;
  }

  /**
   * Pauses a source (it stops accepting or polling). Unsupported by default: the endpoint answers
   * 501.
   */
  default void pauseSource(String sourceId) {
    throw new UnsupportedOperationException("pausing sources is not supported by this host");
  }

  /** Resumes a paused source. Unsupported by default. */
  default void resumeSource(String sourceId) {
    throw new UnsupportedOperationException("resuming sources is not supported by this host");
  }

  /** A JSON-ready status of one source (state, counters); empty when unknown. */
  default Map<String, Object> sourceStatus(String sourceId) {
    return Map.of();
  }

  /**
   * Queues deletion requests for {@code userId} of {@code sourceId} (and the device ids seen on the
   * user's events) to every destination that supports them, after the store has deleted the user's
   * events, as part of deletion {@code deletionId} (null when the host keeps no {@link
   * #deletionLog()}); the host sends them and records each destination's progress in the deletion
   * log. Returns the ids of the destinations queued.
   */
  default List<String> queueUserDeletion(
      String deletionId, String sourceId, String userId, java.util.Set<String> deviceIds) {
    return List.of();
  }

  /**
   * Where user deletions are tracked and audited ({@code GET /api/v1/deletions/{id}}); empty by
   * default (the endpoint answers 503, a deletion has no id).
   */
  default Optional<UserDeletionLog> deletionLog() {
    return Optional.empty();
  }

  /**
   * Deletes the user's rows from what the batch destinations {@code sourceId} feeds have exported
   * (those whose connector {@code deletesUsers()}), synchronously. Per destination id: {@code
   * {"status": "done", "rows_deleted": n}}, {@code {"status": "failed", "error": ...}} (redacted)
   * or {@code {"status": "not_supported"}}; a destination left out is not supported. Empty by
   * default.
   */
  default Map<String, Map<String, Object>> deleteFromBatchOutputs(
      String deletionId, String sourceId, String userId, java.util.Set<String> deviceIds) {
    return Map.of();
  }

  /** The ids of the destinations (streaming and batch) {@code sourceId} is routed to. */
  default List<String> destinationsFedBy(String sourceId) {
    return destinations().stream().map(ComponentInfo::id).toList();
  }

  /**
   * Re-reads the workspace file and applies what changed (see {@link WorkspaceApi}). Answers the
   * report: {@code applied} true with the ids added, restarted, reconfigured and removed, or false
   * with {@code problems} (nothing was changed). Unsupported by default: the endpoint answers 501.
   */
  default Map<String, Object> reloadWorkspace() {
    throw new UnsupportedOperationException(
        "reloading the workspace is not supported by this host");
  }

  /**
   * Unloads the plugin jar providing connector {@code id} at {@code version}; answers what was
   * unloaded.
   *
   * @throws java.util.NoSuchElementException when no such connector is loaded
   * @throws IllegalArgumentException when it is built in
   * @throws InUseException when connections still run a connector of the jar
   */
  default Map<String, Object> unloadPlugin(String id, String version) {
    throw new UnsupportedOperationException("unloading plugins is not supported by this host");
  }

  /**
   * The workspace's audience syncs: name, destination, members (after the last sync that succeeded,
   * -1 before the first), last_sync (ISO-8601 or null), last_error (or null). None by default.
   */
  default List<Map<String, Object>> audiences() {
    return List.of();
  }

  /**
   * Syncs audience {@code name} now; answers name, members, entered and left.
   *
   * @throws java.util.NoSuchElementException when there is no such audience
   */
  default Map<String, Object> syncAudience(String name) {
    throw new java.util.NoSuchElementException("no audience '" + name + "'");
  }

  /** Something cannot be done while connections use it: answered 409 naming them. */
  final class InUseException extends RuntimeException {
    private final List<String> connections;

    public InUseException(String message, List<String> connections) {
      super(message);
      this.connections = List.copyOf(connections);
    }

    /** The ids of the connections in the way. */
    public List<String> connections() {
      return connections;
    }
  }
}
