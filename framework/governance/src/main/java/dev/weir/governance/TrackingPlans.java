package dev.weir.governance;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking plans Weir enforces: loads plan files (YAML) from files and directories, compiles
 * every schema once, keeps several versions of a plan side by side, and hands out per-source {@link
 * Enforcer}s.
 *
 * <p>Thread-safe. {@link #reload()} (and the optional file watcher started by {@link #watch()})
 * builds a complete new snapshot and swaps it in atomically, so an event is validated against one
 * whole plan version, never a half-loaded one. A file that fails to load leaves whatever it had
 * loaded before in force and is reported in {@link #lastReload()}. Call {@link #close()} to stop
 * the watcher.
 */
public final class TrackingPlans implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrackingPlans.class);
  private static final long DEBOUNCE_MILLIS = 150;

  private final List<Path> roots;
  private final PlanParser parser;
  private final AtomicReference<Catalog> catalog = new AtomicReference<>(Catalog.EMPTY);
  private volatile ReloadReport lastReload;
  private WatchService watchService;
  private Thread watcher;

  private TrackingPlans(List<Path> roots, SchemaCompiler compiler) {
    this.roots = List.copyOf(roots);
    this.parser = new PlanParser(compiler);
  }

  /**
   * Loads every {@code *.yaml}, {@code *.yml} and {@code *.json} plan in the given directories (not
   * recursive) and the given files. Never throws for a bad plan: check {@link #lastReload()}.
   */
  public static TrackingPlans open(Path... paths) {
    return open(List.of(paths));
  }

  /** As {@link #open(Path...)}. */
  public static TrackingPlans open(List<Path> paths) {
    List<Path> roots = new ArrayList<>();
    for (Path p : paths) {
      roots.add(p.toAbsolutePath().normalize());
    }
    TrackingPlans plans = new TrackingPlans(roots, SchemaCompiler.standard());
    plans.reload();
    return plans;
  }

  /**
   * Loads one plan file and fails on any problem: for tools such as {@code weir plan check}.
   *
   * @throws PlanLoadException naming the file, event and JSON path of the problem
   */
  public static TrackingPlans loadStrict(Path file) throws PlanLoadException {
    TrackingPlans plans =
        new TrackingPlans(List.of(file.toAbsolutePath().normalize()), SchemaCompiler.standard());
    ReloadReport report = plans.reload();
    if (!report.ok()) {
      throw report.failures().get(0);
    }
    return plans;
  }

  /**
   * Reads all plan files again and swaps in the result atomically. Serialised: concurrent calls run
   * one after the other. Files that fail keep their previous versions in force; deleted files'
   * versions are dropped.
   */
  public synchronized ReloadReport reload() {
    Catalog previous = catalog.get();
    Map<String, NavigableMap<Integer, CompiledPlan>> plans = new TreeMap<>();
    Map<Path, List<CompiledPlan>> byFile = new HashMap<>();
    List<PlanLoadException> failures = new ArrayList<>();
    for (Path file : planFiles(failures)) {
      List<CompiledPlan> fromFile;
      try {
        fromFile = List.of(parser.parse(file));
      } catch (PlanLoadException e) {
        failures.add(e);
        fromFile = previous.fromFile(file);
        if (!fromFile.isEmpty()) {
          LOG.warn(
              "Plan file {} failed to load, keeping the previous version in force: {}",
              file,
              e.getMessage());
        } else {
          LOG.warn("Plan file {} failed to load: {}", file, e.getMessage());
        }
      }
      List<CompiledPlan> accepted = new ArrayList<>();
      for (CompiledPlan plan : fromFile) {
        NavigableMap<Integer, CompiledPlan> versions =
            plans.computeIfAbsent(plan.id(), k -> new TreeMap<>());
        CompiledPlan clash = versions.get(plan.version());
        if (clash != null) {
          failures.add(
              new PlanLoadException(
                  file,
                  null,
                  "$.version",
                  "plan '"
                      + plan.id()
                      + "' version "
                      + plan.version()
                      + " is already loaded from "
                      + clash.file()));
          continue;
        }
        versions.put(plan.version(), plan);
        accepted.add(plan);
      }
      byFile.put(file, accepted);
    }
    Catalog next = new Catalog(plans, byFile);
    catalog.set(next);
    List<String> loaded = new ArrayList<>();
    next.all().forEach((id, versions) -> versions.keySet().forEach(v -> loaded.add(id + "@" + v)));
    ReloadReport report = new ReloadReport(Instant.now(), loaded, failures);
    lastReload = report;
    return report;
  }

  private List<Path> planFiles(List<PlanLoadException> failures) {
    Set<Path> files = new TreeSet<>();
    for (Path root : roots) {
      if (Files.isDirectory(root)) {
        try (Stream<Path> list = Files.list(root)) {
          list.filter(TrackingPlans::isPlanFile).filter(Files::isRegularFile).forEach(files::add);
        } catch (IOException e) {
          failures.add(
              new PlanLoadException(root, null, "$", "cannot list directory: " + e.getMessage()));
        }
      } else if (Files.isRegularFile(root)) {
        files.add(root);
      } else {
        failures.add(new PlanLoadException(root, null, "$", "no such file or directory"));
      }
    }
    return new ArrayList<>(files);
  }

  private static boolean isPlanFile(Path p) {
    String name = p.getFileName().toString();
    return !name.startsWith(".")
        && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
  }

  /** The report of the most recent load. */
  public ReloadReport lastReload() {
    return lastReload;
  }

  /** The loaded versions of a plan, ascending; empty when none. */
  public Set<Integer> versions(String planId) {
    return new LinkedHashSet<>(catalog.get().versions(planId).keySet());
  }

  /**
   * An enforcer for one source, from the source's {@code tracking_plan} settings map (see {@link
   * Policy#fromMap}).
   *
   * @throws IllegalArgumentException when the settings are malformed
   */
  public Enforcer enforcer(
      String sourceId,
      Map<String, ?> trackingPlanSettings,
      MeterRegistry meters,
      ViolationLog log) {
    return enforcer(sourceId, Policy.fromMap(trackingPlanSettings), meters, log);
  }

  /**
   * An enforcer for one source; it always validates against the current snapshot of these plans.
   */
  public Enforcer enforcer(String sourceId, Policy policy, MeterRegistry meters, ViolationLog log) {
    Objects.requireNonNull(log, "log");
    DecisionObserver logger =
        (source, original, decision, acted) -> {
          if (!decision.violations().isEmpty()) {
            log.record(source, decision, original);
          }
        };
    return new Enforcer(
        Objects.requireNonNull(sourceId, "sourceId"),
        Objects.requireNonNull(policy, "policy"),
        catalog::get,
        List.of(new GovernanceMetrics(Objects.requireNonNull(meters, "meters"), sourceId), logger));
  }

  Catalog catalog() {
    return catalog.get();
  }

  /**
   * Starts a daemon thread that reloads when a plan file in the watched directories (or a watched
   * file) is created, changed or deleted, or when a Kubernetes-mounted ConfigMap directory swaps
   * its {@code ..data} link. Idempotent.
   *
   * @throws IOException when the file system cannot be watched
   */
  public synchronized void watch() throws IOException {
    if (watcher != null) {
      return;
    }
    WatchService ws = FileSystems.getDefault().newWatchService();
    Set<Path> dirs = new LinkedHashSet<>();
    Set<Path> explicitFiles = new LinkedHashSet<>();
    for (Path root : roots) {
      if (Files.isDirectory(root)) {
        dirs.add(root);
      } else {
        dirs.add(root.getParent());
        explicitFiles.add(root);
      }
    }
    for (Path dir : dirs) {
      dir.register(
          ws,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    }
    watchService = ws;
    watcher = new Thread(() -> watchLoop(ws, explicitFiles), "weir-plan-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  private void watchLoop(WatchService ws, Set<Path> explicitFiles) {
    try {
      while (true) {
        WatchKey key = ws.take();
        boolean relevant = drain(key, explicitFiles);
        // Coalesce the burst of events one save produces, then load once.
        WatchKey more;
        while ((more = ws.poll(DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
          relevant |= drain(more, explicitFiles);
        }
        if (relevant) {
          ReloadReport report = reload();
          LOG.info(
              "Reloaded tracking plans: {} in force, {} failing",
              report.loaded(),
              report.failures().size());
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("Tracking-plan watcher stopped", e);
    }
  }

  private boolean drain(WatchKey key, Set<Path> explicitFiles) {
    boolean relevant = false;
    Path dir = (Path) key.watchable();
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
        relevant = true;
        continue;
      }
      Path changed = dir.resolve((Path) event.context());
      // "..data" and friends: Kubernetes swaps a mounted ConfigMap's files by renaming a symlinked
      // directory.
      boolean dirRoot =
          roots.contains(dir)
              && (isPlanFile(changed) || changed.getFileName().toString().startsWith(".."));
      relevant |= dirRoot || explicitFiles.contains(changed);
    }
    key.reset();
    return relevant;
  }

  /** Stops the watcher, if any. Enforcers keep working against the last snapshot. */
  @Override
  public synchronized void close() {
    if (watchService != null) {
      try {
        watchService.close();
      } catch (IOException e) {
        LOG.debug("closing watch service", e);
      }
      watcher.interrupt();
      watchService = null;
      watcher = null;
    }
  }
}
