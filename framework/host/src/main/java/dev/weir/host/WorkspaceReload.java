package dev.weir.host;

import dev.weir.host.config.ConfigProblem;
import dev.weir.host.config.Workspace;
import dev.weir.host.config.Workspace.DestinationConfig;
import dev.weir.host.config.Workspace.Mode;
import dev.weir.host.config.Workspace.SourceConfig;
import dev.weir.host.config.WorkspaceException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a re-read workspace to a running host, all or nothing: streaming destinations are added,
 * removed, restarted (their connector, settings, definition or version changed) or reconfigured
 * (routes, filter or delivery settings changed: the running connector stays); batch destinations
 * likewise on the export scheduler ({@link BatchSwitch}); sources are added, restarted or removed
 * ({@link SourceSwitch}). Anything else that changed (server, store, directories, tracking plans
 * and sources' bindings to them, audiences) cannot be applied live and refuses the whole reload
 * with one located problem each. New connectors start before anything is switched, so a failing
 * start also changes nothing. Called under the host's lock.
 */
final class WorkspaceReload {
  private static final Logger LOG = LoggerFactory.getLogger(Weir.class);
  private static final String RESTART = "cannot be changed while running; restart Weir to apply it";

  private final HostComponents parts;
  private final Workspace old;
  private final Workspace next;

  WorkspaceReload(HostComponents parts, Workspace next) {
    this.parts = parts;
    this.old = parts.ws;
    this.next = next;
  }

  /** Applies {@code next}, or throws with every change that cannot be applied (nothing changed). */
  Weir.Reloaded apply() throws WorkspaceException {
    List<ConfigProblem> refused = refusals();
    if (!refused.isEmpty()) {
      throw new WorkspaceException(refused);
    }
    Map<String, DestinationConfig> wanted = new LinkedHashMap<>();
    for (DestinationConfig d : next.destinations()) {
      if (runs(next, d)) {
        wanted.put(d.id(), d);
      }
    }
    List<String> added = new ArrayList<>();
    List<String> restarted = new ArrayList<>();
    List<String> reconfigured = new ArrayList<>();
    List<String> removed = new ArrayList<>(parts.destinations.keySet());
    removed.removeAll(wanted.keySet());
    for (DestinationConfig d : wanted.values()) {
      DestinationConfig before = old.destination(d.id()).orElse(null);
      if (!parts.destinations.containsKey(d.id()) || before == null) {
        added.add(d.id());
      } else if (restarts(before, d)) {
        restarted.add(d.id());
      } else if (!engineView(old, before).equals(engineView(next, d))) {
        reconfigured.add(d.id());
      }
    }
    Map<String, HostComponents.Started> started = new LinkedHashMap<>();
    List<String> toStart = new ArrayList<>(added);
    toStart.addAll(restarted);
    for (String id : toStart) {
      try {
        started.put(id, parts.startStreaming(wanted.get(id)));
      } catch (Weir.StartException e) {
        started.forEach(parts::discard);
        throw new WorkspaceException(
            List.of(
                new ConfigProblem(
                    next.file().toString(),
                    wanted.get(id).toString(),
                    "",
                    e.getMessage() + "; nothing was changed")));
      }
    }
    BatchSwitch batch = new BatchSwitch(parts, next);
    try {
      batch.start();
    } catch (Weir.StartException e) {
      started.forEach(parts::discard);
      throw new WorkspaceException(
          List.of(problem("destinations", e.getMessage() + "; nothing was changed")));
    }
    SourceSwitch src = new SourceSwitch();
    try {
      src.start();
    } catch (Weir.StartException e) {
      started.forEach(parts::discard);
      batch.discard();
      throw new WorkspaceException(
          List.of(
              new ConfigProblem(
                  next.file().toString(),
                  "",
                  "sources",
                  e.getMessage() + "; nothing was changed")));
    }
    dev.weir.host.logging.SecretRedactor.register(next.secrets());
    parts.ws = next;
    removed.forEach(parts::stopStreaming);
    batch.finish(wanted.keySet());
    for (String id : added) {
      parts.deliverTo(next, wanted.get(id), started.get(id));
    }
    for (String id : restarted) {
      parts.replace(next, wanted.get(id), started.get(id));
    }
    for (String id : reconfigured) {
      parts.reconfigure(next, wanted.get(id));
    }
    src.finish();
    parts.watchDefinitions();
    added.addAll(batch.added);
    restarted.addAll(batch.restarted);
    reconfigured.addAll(batch.rewired);
    removed.addAll(batch.removed);
    Weir.Reloaded r =
        new Weir.Reloaded(
            added, restarted, reconfigured, removed, src.added, src.restarted, src.removed);
    LOG.info("Workspace {} reloaded: {}", next.file(), r);
    return r;
  }

  /** A streaming destination runs when enabled and fed by an enabled source. */
  private static boolean runs(Workspace ws, DestinationConfig d) {
    return d.enabled() && d.mode() == Mode.STREAM && !ws.sourcesFeeding(d.id()).isEmpty();
  }

  /** Its connector must be replaced: another type, version, definition (version) or settings. */
  private boolean restarts(DestinationConfig before, DestinationConfig d) {
    if (!Objects.equals(before.type(), d.type())
        || !Objects.equals(before.version(), d.version())
        || !Objects.equals(before.definition(), d.definition())
        || !before.settings().equals(d.settings())) {
      return true;
    }
    var def = parts.definitionNow(d);
    return def != null && !def.version().equals(parts.definitionVersion(d.id()));
  }

  /** What the delivery engine is given for {@code d}: its routes, filter and delivery settings. */
  private static List<Object> engineView(Workspace ws, DestinationConfig d) {
    return List.of(ws.sourcesFeeding(d.id()), d.filter(), d.delivery().engineSettings());
  }

  private List<ConfigProblem> refusals() {
    List<ConfigProblem> out = new ArrayList<>();
    top(out, "server", old.server(), next.server());
    top(out, "store", old.store(), next.store());
    top(out, "plugins_dir", old.pluginsDir(), next.pluginsDir());
    top(out, "definitions_dir", old.definitionsDir(), next.definitionsDir());
    top(out, "tracking_plans", old.trackingPlans(), next.trackingPlans());
    top(out, "audiences", old.audiences(), next.audiences());
    Set<String> ids = new LinkedHashSet<>();
    old.sources().forEach(s -> ids.add(s.id()));
    next.sources().forEach(s -> ids.add(s.id()));
    for (String id : ids) {
      var a = old.source(id).map(SourceConfig::trackingPlan).orElse(null);
      var b = next.source(id).map(SourceConfig::trackingPlan).orElse(null);
      if (!Objects.equals(a, b)) {
        out.add(
            new ConfigProblem(
                next.file().toString(),
                "source '" + id + "'",
                "tracking_plan",
                "a source's tracking plan binding " + RESTART));
      }
    }
    return out;
  }

  private void top(List<ConfigProblem> out, String key, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      out.add(new ConfigProblem(next.file().toString(), "", key, RESTART));
    }
  }

  private ConfigProblem problem(String where, String message) {
    return new ConfigProblem(next.file().toString(), where, "", message);
  }

  /**
   * The sources' part of a reload: added and restarted sources start (paused, so what they receive
   * is refused with a retryable answer until the destinations are switched) before anything else
   * changes; removed ones stop last. A source's settings change stops the old instance first (it
   * may hold a port); if a new one fails to start, every source is put back as it was.
   */
  private final class SourceSwitch {
    final List<String> added = new ArrayList<>();
    final List<String> restarted = new ArrayList<>();
    final List<String> removed = new ArrayList<>();
    private final Set<String> held = new LinkedHashSet<>();
    private final Map<String, dev.weir.sdk.SourceConnector> fresh = new LinkedHashMap<>();

    SourceSwitch() {
      if (!parts.sourcesStarted) {
        return;
      }
      Set<String> running = new LinkedHashSet<>();
      parts.sources.forEach(e -> running.add(e.getKey()));
      Set<String> enabled = new LinkedHashSet<>();
      for (SourceConfig s : next.sources()) {
        if (!s.enabled()) {
          continue;
        }
        enabled.add(s.id());
        if (!running.contains(s.id())) {
          added.add(s.id());
        } else if (!s.equals(old.source(s.id()).orElse(null))) {
          restarted.add(s.id());
        }
      }
      running.stream().filter(id -> !enabled.contains(id)).forEach(removed::add);
    }

    void start() throws Weir.StartException {
      List<String> starting = new ArrayList<>(added);
      starting.addAll(restarted);
      for (String id : starting) {
        if (!parts.pipeline.paused(id)) {
          parts.pipeline.pause(id);
          held.add(id);
        }
      }
      restarted.forEach(id -> parts.stopSource(id, false));
      try {
        for (String id : starting) {
          fresh.put(id, parts.startSource(next.source(id).orElseThrow()));
        }
      } catch (Weir.StartException e) {
        fresh.forEach(
            (id, s) -> {
              try {
                s.stop();
              } catch (Exception ignored) {
                // being put back; the start failure is what is reported
              }
            });
        added.forEach(parts.registry::release);
        for (String id : restarted) {
          try {
            parts.sources.add(Map.entry(id, parts.startSource(old.source(id).orElseThrow())));
          } catch (Weir.StartException again) {
            LOG.error(
                "Source '{}' could not be started again with its previous settings: {}",
                id,
                again.getMessage());
          }
        }
        held.forEach(parts.pipeline::resume);
        throw e;
      }
    }

    void finish() {
      fresh.forEach((id, s) -> parts.sources.add(Map.entry(id, s)));
      removed.forEach(id -> parts.stopSource(id, true));
      held.forEach(parts.pipeline::resume);
    }
  }
}
