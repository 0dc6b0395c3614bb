package dev.weir.host;

import dev.weir.host.config.Workspace;
import dev.weir.host.config.Workspace.DestinationConfig;
import dev.weir.host.config.Workspace.Mode;
import dev.weir.host.pipeline.HostConnectorContext;
import dev.weir.host.plugin.LoadedConnector;
import dev.weir.sdk.BatchDestination;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch destinations' part of a reload ({@code mode: batch}, run by the export scheduler):
 * added ones and those whose configuration changed get a new, started connector before anything is
 * switched ({@link #start}); {@link #finish} then hands them to the scheduler (a changed one
 * continues from its checkpoint), stops the replaced and removed connectors and releases removed
 * ones' plugins. Those whose only change is their routes keep their connector and get the new
 * sources on their next pass. Called under the host's lock.
 */
final class BatchSwitch {
  private static final Logger LOG = LoggerFactory.getLogger(Weir.class);

  final List<String> added = new ArrayList<>();
  final List<String> restarted = new ArrayList<>();
  final List<String> rewired = new ArrayList<>();
  final List<String> removed = new ArrayList<>();

  private final HostComponents parts;
  private final Workspace old;
  private final Workspace next;
  private final Map<String, BatchDestination> fresh = new LinkedHashMap<>();
  private final Map<String, LoadedConnector> created = new LinkedHashMap<>();
  private final Map<String, LoadedConnector> previous = new LinkedHashMap<>();

  BatchSwitch(HostComponents parts, Workspace next) {
    this.parts = parts;
    this.old = parts.ws;
    this.next = next;
    Set<String> wanted = new LinkedHashSet<>();
    for (DestinationConfig d : next.destinations()) {
      if (!runs(d)) {
        continue;
      }
      wanted.add(d.id());
      DestinationConfig before = old.destination(d.id()).orElse(null);
      if (!parts.batchDestinations.containsKey(d.id()) || before == null) {
        added.add(d.id());
      } else if (!before.equals(d)) {
        restarted.add(d.id());
      } else if (!old.sourcesFeeding(d.id()).equals(next.sourcesFeeding(d.id()))) {
        rewired.add(d.id());
      }
    }
    parts.batchDestinations.keySet().stream()
        .filter(id -> !wanted.contains(id))
        .forEach(removed::add);
  }

  /**
   * A batch destination runs when enabled (the scheduler gives it only the sources routed to it).
   */
  static boolean runs(DestinationConfig d) {
    return d.enabled() && d.mode() == Mode.BATCH;
  }

  /**
   * Creates and starts batch destination {@code d}'s connector; one that fails is stopped again.
   */
  static BatchDestination start(HostComponents parts, DestinationConfig d)
      throws Weir.StartException {
    BatchDestination batch =
        parts.registry.create(d.type(), d.version(), d.id(), BatchDestination.class);
    try {
      batch.start(new HostConnectorContext(d.id(), d.type(), d.settings(), parts.services, null));
    } catch (Exception e) {
      stopQuietly(d.id(), batch);
      throw new Weir.StartException(
          "destination '" + d.id() + "' (" + d.type() + ") failed to start: " + e, e);
    }
    return batch;
  }

  /** Starts the new connectors; if one fails, those started are stopped and nothing changed. */
  void start() throws Weir.StartException {
    List<String> starting = new ArrayList<>(added);
    starting.addAll(restarted);
    for (String id : starting) {
      previous.put(id, parts.registry.users().get(id));
      try {
        fresh.put(id, start(parts, next.destination(id).orElseThrow()));
        created.put(id, parts.registry.users().get(id));
      } catch (Weir.StartException e) {
        parts.registry.restore(id, previous.get(id));
        discard();
        throw e;
      }
    }
  }

  /** Stops the connectors {@link #start} started (the reload was refused after all). */
  void discard() {
    fresh.forEach(
        (id, d) -> {
          stopQuietly(id, d);
          parts.registry.restore(id, previous.get(id));
        });
    fresh.clear();
  }

  /**
   * Switches the scheduler to the new set; {@code streaming} are the ids now running as streaming
   * destinations (a destination that changed mode keeps its plugin recorded).
   */
  void finish(Set<String> streaming) {
    for (String id : removed) {
      parts.exports.removeDestination(id);
      stopQuietly(id, parts.batchDestinations.remove(id));
      if (!streaming.contains(id)) {
        parts.registry.release(id);
      }
    }
    List<String> switching = new ArrayList<>(added);
    switching.addAll(restarted);
    switching.addAll(rewired);
    for (String id : switching) {
      BatchDestination d = fresh.getOrDefault(id, parts.batchDestinations.get(id));
      try {
        parts.exports.putDestination(id, d, next.sourcesFeeding(id));
      } catch (java.io.IOException e) {
        // rare (the file was readable at start): this one stays as it ran, the rest switches
        LOG.error(
            "Batch destination '{}' not switched, it cannot read its export checkpoint: {}",
            id,
            e.toString());
        if (fresh.containsKey(id)) {
          stopQuietly(id, fresh.get(id));
          parts.registry.restore(id, previous.get(id));
        }
        continue;
      }
      BatchDestination before = parts.batchDestinations.put(id, d);
      if (before != null && before != d) {
        stopQuietly(id, before);
      }
      if (created.containsKey(id)) {
        parts.registry.restore(id, created.get(id));
      }
    }
  }

  private static void stopQuietly(String id, BatchDestination d) {
    if (d == null) {
      return;
    }
    try {
      d.stop();
    } catch (Exception e) {
      LOG.warn("Destination '{}' did not stop cleanly: {}", id, e.toString());
    }
  }
}
