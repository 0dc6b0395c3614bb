package dev.weir.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.weir.host.config.ConfigProblem;
import dev.weir.host.config.Workspace;
import dev.weir.host.config.WorkspaceException;
import dev.weir.host.config.WorkspaceLoader;
import dev.weir.host.logging.SecretRedactor;
import dev.weir.host.pipeline.Governance;
import dev.weir.host.pipeline.Pipeline;
import dev.weir.host.plugin.ConnectorRegistry;
import dev.weir.host.plugin.PluginLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's one entry point: loads a workspace and its plugins, validates everything, then runs
 * sources → governance → realtime store (dedup, durability) → delivery engine → destinations until
 * {@link #close}.
 *
 * <p>Lifecycle: {@link #builder()} → {@link Builder#start()} (throws before anything starts when
 * the workspace or a plugin is wrong; opening the store runs its crash recovery) → {@link #close()}
 * once (idempotent), which stops sources, waits up to the drain timeout for destinations to catch
 * up, then stops destinations and closes the store. Events not yet delivered stay in the store and
 * are delivered on the next start. Thread-safe.
 */
public final class Weir implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Weir.class);

  /** How often a running host looks for new plugin jars in its plugins directory. */
  private static final Duration PLUGIN_SCAN = Duration.ofSeconds(1);

  private final HostComponents parts;
  private final Duration drainTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile dev.weir.admin.AdminServer admin;

  /** Where the workspace's references are resolved from, for {@link #reload}. */
  private final Function<String, String> env;

  private final Set<String> publicNames;

  /** Polls the workspace file while {@link #watchWorkspace} is on; null otherwise. */
  private java.util.concurrent.ScheduledExecutorService workspaceWatcher;

  private Weir(
      HostComponents parts,
      Duration drainTimeout,
      Function<String, String> env,
      Set<String> publicNames) {
    this.parts = parts;
    this.drainTimeout = drainTimeout;
    this.env = env;
    this.publicNames = Set.copyOf(publicNames);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The workspace running now (replaced by each {@link #reload} that applies). */
  public Workspace workspace() {
    return parts.ws;
  }

  /**
   * Re-reads the workspace file and applies it without a restart, all or nothing: streaming
   * destinations are added, removed, restarted (connector, version, definition or settings changed)
   * or reconfigured (routes, filter, delivery settings), on connectors from plugin jars dropped
   * into {@code plugins_dir} meanwhile too; sources are added, restarted or removed. Cursors and
   * dead letters stay. Everything else that changed refuses the reload (docs/plugins.md, "Reloading
   * a running workspace").
   *
   * @throws WorkspaceException with every problem (invalid file, or changes that need a restart, or
   *     a new connector that failed to start); the running set stays as it was
   */
  public Reloaded reload() throws WorkspaceException {
    if (closed.get()) {
      throw new IllegalStateException("Weir is stopped");
    }
    parts.registry.scan();
    Workspace next = new WorkspaceLoader(parts.registry, env, publicNames).load(parts.ws.file());
    synchronized (parts) {
      return new WorkspaceReload(parts, next).apply();
    }
  }

  /**
   * Reloads the workspace whenever its file changes (size or modification time, polled every {@code
   * interval} on a daemon thread) until {@link #close}: opt-in ({@code weir run --watch}). An
   * applied reload is logged at INFO; a refused one at WARN with every problem, and the running set
   * stays as it was until the file changes again. Idempotent.
   */
  public synchronized void watchWorkspace(Duration interval) {
    if (workspaceWatcher != null || closed.get()) {
      return;
    }
    Path file = parts.ws.file();
    String[] seen = {fileSignature(file)};
    workspaceWatcher =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "weir-workspace-watcher");
              t.setDaemon(true);
              return t;
            });
    workspaceWatcher.scheduleWithFixedDelay(
        () -> {
          String now = fileSignature(file);
          if (now.equals(seen[0]) || closed.get()) {
            return;
          }
          seen[0] = now;
          try {
            reload();
          } catch (WorkspaceException e) {
            LOG.warn(
                "Workspace {} changed but was not reloaded; the running set stays as it was: {}",
                file,
                e.getMessage());
          } catch (RuntimeException e) {
            LOG.warn("Workspace {} changed but could not be reloaded: {}", file, e.toString());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
    LOG.info("Watching {} for changes (reloaded when it changes)", file);
  }

  private static String fileSignature(Path file) {
    try {
      return Files.size(file) + "/" + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return "unreadable";
    }
  }

  /**
   * What a {@link #reload} changed: ids of the streaming destinations added, restarted (a new
   * connector instance), reconfigured (the engine's view only) and removed; and of the sources
   * added, restarted and removed.
   */
  public record Reloaded(
      List<String> added,
      List<String> restarted,
      List<String> reconfigured,
      List<String> removed,
      List<String> sourcesAdded,
      List<String> sourcesRestarted,
      List<String> sourcesRemoved) {
    public Reloaded {
      added = List.copyOf(added);
      restarted = List.copyOf(restarted);
      reconfigured = List.copyOf(reconfigured);
      removed = List.copyOf(removed);
      sourcesAdded = List.copyOf(sourcesAdded);
      sourcesRestarted = List.copyOf(sourcesRestarted);
      sourcesRemoved = List.copyOf(sourcesRemoved);
    }
  }

  /** The Prometheus registry every meter of this host is in (for the admin server). */
  public io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters() {
    return parts.services.meters();
  }

  /** The open store (queries, stats, user deletion). */
  public dev.weir.realtime.RealtimeStore store() {
    return parts.store;
  }

  /** The delivery engine (status, pause/resume, replay, dead letters). */
  public dev.weir.delivery.DeliveryEngine delivery() {
    return parts.engine;
  }

  /** The export scheduler of the batch destinations (none configured: it has no destinations). */
  public dev.weir.exports.ExportScheduler exports() {
    return parts.exports;
  }

  /**
   * The governance in force (a {@link dev.weir.host.pipeline.PlanGovernance} unless the builder set
   * one).
   */
  public Governance governance() {
    return parts.governance;
  }

  /**
   * The connectors of this host, by id and version; plugin jars dropped into the workspace's {@code
   * plugins_dir} are loaded into it while running ({@link ConnectorRegistry#unload} refuses a
   * plugin still in use).
   */
  public ConnectorRegistry plugins() {
    return parts.registry;
  }

  /** The way events enter (what sources submit to); used by {@code weir replay-file}. */
  public Pipeline pipeline() {
    return parts.pipeline;
  }

  /**
   * True once recovery has run and every part has started, until {@link #close}: for {@code
   * /health/ready}.
   */
  public boolean ready() {
    return !closed.get() && parts.pipeline.ready();
  }

  /** The admin server's port, or -1 when the workspace has no {@code server:} section. */
  public int adminPort() {
    dev.weir.admin.AdminServer a = admin;
    return a == null ? -1 : a.port();
  }

  /** Blocks until {@link #close} has finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    java.util.concurrent.ScheduledExecutorService watcher;
    synchronized (this) {
      watcher = workspaceWatcher;
    }
    if (watcher != null) {
      watcher.shutdown(); // a reload in progress finishes first
      try {
        watcher.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      LOG.info("Stopping: no new events; delivering those in flight");
      if (admin != null) {
        admin.close();
      }
      parts.close(drainTimeout);
      LOG.info("Weir stopped cleanly");
    } finally {
      stopped.countDown();
    }
  }

  /**
   * Loads the workspace and plugins (the plugins directory comes from the workspace's {@code
   * plugins_dir}). Validation only: nothing starts.
   */
  public static Loaded load(Path workspaceFile, Function<String, String> env)
      throws WorkspaceException, PluginLoadException {
    return load(workspaceFile, env, Set.of());
  }

  /** Like {@link #load(Path, Function)}; the variables in {@code publicNames} are not secrets. */
  public static Loaded load(
      Path workspaceFile, Function<String, String> env, Set<String> publicNames)
      throws WorkspaceException, PluginLoadException {
    Path pluginsDir = pluginsDir(workspaceFile, env);
    ConnectorRegistry registry = ConnectorRegistry.load(pluginsDir);
    try {
      Workspace ws = new WorkspaceLoader(registry, env, publicNames).load(workspaceFile);
      return new Loaded(ws, registry);
    } catch (WorkspaceException e) {
      registry.close();
      throw e;
    }
  }

  /**
   * A validated workspace with the registry its connectors come from; close it if you do not start
   * it.
   */
  public record Loaded(Workspace workspace, ConnectorRegistry registry) implements AutoCloseable {
    @Override
    public void close() {
      registry.close();
    }
  }

  /**
   * Reads only {@code plugins_dir}, so plugins can load before the rest is validated against them.
   */
  private static Path pluginsDir(Path file, Function<String, String> env)
      throws WorkspaceException {
    try {
      JsonNode root = new YAMLMapper().readTree(Files.readString(file));
      JsonNode dir = root == null ? null : root.get("plugins_dir");
      if (dir != null && dir.isTextual() && !dir.textValue().contains("${")) {
        return Path.of(dir.textValue());
      }
      if (dir != null && dir.isTextual()) {
        // References are resolved (and reported) by the full load; a simple ${env:X} is honoured
        // here.
        String t = dir.textValue();
        if (t.startsWith("${env:") && t.endsWith("}")) {
          String[] nameAndDefault = t.substring(6, t.length() - 1).split(":-", 2);
          String v = env.apply(nameAndDefault[0]);
          if (v != null) {
            return Path.of(v);
          }
          if (nameAndDefault.length == 2) {
            return Path.of(nameAndDefault[1]);
          }
        }
      }
    } catch (IOException e) {
      // The full load reports an unreadable or invalid file with its location.
      if (!Files.exists(file)) {
        throw new WorkspaceException(
            List.of(new ConfigProblem(file.toString(), "", "", "file not found")));
      }
    }
    return Path.of("plugins");
  }

  /** Configures and starts a {@link Weir}; not thread-safe. */
  public static final class Builder {
    private Path workspaceFile;
    private Function<String, String> env = System::getenv;
    private Governance governance;
    private Clock clock = Clock.systemUTC();
    private Duration drainTimeout = Duration.ofSeconds(30);
    private final Set<String> publicNames = new HashSet<>();

    private Builder() {}

    public Builder workspace(Path file) {
      this.workspaceFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Where {@code ${env:NAME}} values come from; the process environment by default. */
    public Builder env(Function<String, String> env) {
      this.env = Objects.requireNonNull(env, "env");
      return this;
    }

    /**
     * Extra variables that take precedence over the environment (such as the CLI's {@code --port});
     * their values are command-line options, not secrets, so they are not redacted.
     */
    public Builder overrides(Map<String, String> overrides) {
      Map<String, String> copy = new HashMap<>(overrides);
      publicNames.addAll(copy.keySet());
      Function<String, String> base = this.env;
      this.env = name -> copy.containsKey(name) ? copy.get(name) : base.apply(name);
      return this;
    }

    /** Replaces the workspace's tracking-plan governance (tests, tools). */
    public Builder governance(Governance governance) {
      this.governance = Objects.requireNonNull(governance, "governance");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long {@link Weir#close} waits for destinations to deliver what is in flight; 30 s by
     * default.
     */
    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Validates everything, opens the store (running recovery), then starts destinations on the
     * delivery engine and then sources.
     *
     * @throws WorkspaceException with every configuration problem; nothing was started
     * @throws PluginLoadException naming each broken or refused plugin jar; nothing was started
     * @throws StartException when a connector fails to start; everything started so far is stopped
     *     again
     */
    public Weir start() throws WorkspaceException, PluginLoadException, StartException {
      Objects.requireNonNull(workspaceFile, "workspace file");
      Loaded loaded = load(workspaceFile, env, publicNames);
      Workspace ws = loaded.workspace();
      SecretRedactor.register(ws.secrets());
      return Weir.start(
          ws, loaded.registry(), governance, clock, drainTimeout, true, env, publicNames);
    }

    /** Starts everything but the sources (for {@code weir replay-file}, which submits itself). */
    public Weir startWithoutSources()
        throws WorkspaceException, PluginLoadException, StartException {
      Objects.requireNonNull(workspaceFile, "workspace file");
      Loaded loaded = load(workspaceFile, env, publicNames);
      Workspace ws = loaded.workspace();
      SecretRedactor.register(ws.secrets());
      return Weir.start(
          ws, loaded.registry(), governance, clock, drainTimeout, false, env, publicNames);
    }
  }

  private static Weir start(
      Workspace ws,
      ConnectorRegistry registry,
      Governance governance,
      Clock clock,
      Duration drainTimeout,
      boolean withSources,
      Function<String, String> env,
      Set<String> publicNames)
      throws StartException {
    HostComponents parts = new HostComponents(ws, registry);
    try {
      parts.openCore(governance, clock);
      parts.pipeline.holdUntilReady();
      parts.startDelivery();
      if (withSources) {
        parts.startSources();
      }
      LOG.info(
          "Weir started: {} source(s), {} streaming destination(s), workspace {}",
          parts.sources.size(),
          parts.destinations.size(),
          ws.file());
      Weir weir = new Weir(parts, drainTimeout, env, publicNames);
      if (withSources) {
        registry.watch(PLUGIN_SCAN);
        weir.admin = AdminWiring.start(parts, weir);
        if (weir.admin != null) {
          LOG.info("Admin API and console on port {}", weir.admin.port());
        }
      }
      parts.pipeline.markReady();
      return weir;
    } catch (StartException | RuntimeException e) {
      parts.close(Duration.ZERO);
      if (e instanceof StartException se) {
        throw se;
      }
      throw new StartException("could not start: " + e.getMessage(), e);
    }
  }

  /** A connector failed while starting; everything was stopped again. */
  public static final class StartException extends Exception {
    public StartException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
