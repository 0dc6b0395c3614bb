package dev.weir.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.weir.host.config.ConfigProblem;
import dev.weir.host.config.Workspace;
import dev.weir.host.config.Workspace.DestinationConfig;
import dev.weir.host.config.Workspace.Mode;
import dev.weir.host.config.Workspace.SourceConfig;
import dev.weir.host.config.WorkspaceException;
import dev.weir.host.config.WorkspaceLoader;
import dev.weir.host.logging.SecretRedactor;
import dev.weir.host.pipeline.EventLog;
import dev.weir.host.pipeline.Governance;
import dev.weir.host.pipeline.HostConnectorContext;
import dev.weir.host.pipeline.HostServices;
import dev.weir.host.pipeline.Pipeline;
import dev.weir.host.pipeline.Router;
import dev.weir.host.pipeline.StreamRoute;
import dev.weir.host.plugin.ConnectorRegistry;
import dev.weir.host.plugin.PluginLoadException;
import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.StreamingDestination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
 * The host's one entry point: loads a workspace and its plugins, validates everything, then runs sources →
 * governance → event log → router → destinations until {@link #close}.
 *
 * <p>Lifecycle: {@link #builder()} → {@link Builder#start()} (throws before anything starts when the workspace or a
 * plugin is wrong) → {@link #close()} once (idempotent), which stops sources, delivers what is in flight, then stops
 * destinations. Thread-safe.
 */
public final class Weir implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Weir.class);

  private final Workspace workspace;
  private final ConnectorRegistry registry;
  private final HostServices services;
  private final EventLog log;
  private final Router router;
  private final List<Started<SourceConnector>> sources;
  private final Duration drainTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Weir(Workspace workspace, ConnectorRegistry registry, HostServices services, EventLog log, Router router,
      List<Started<SourceConnector>> sources, Duration drainTimeout) {
    this.workspace = workspace;
    this.registry = registry;
    this.services = services;
    this.log = log;
    this.router = router;
    this.sources = sources;
    this.drainTimeout = drainTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Workspace workspace() {
    return workspace;
  }

  /** The Prometheus registry every meter of this host is in (for the admin server). */
  public io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters() {
    return services.meters();
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
    try {
      LOG.info("Stopping: no new events; delivering those in flight");
      for (Started<SourceConnector> s : sources) {
        try {
          s.connector().stop();
        } catch (Exception e) {
          LOG.warn("Source '{}' did not stop cleanly: {}", s.id(), e.toString());
        }
      }
      log.close();
      router.close(drainTimeout);
      services.close();
      registry.close();
      LOG.info("Weir stopped cleanly");
    } finally {
      stopped.countDown();
    }
  }

  private record Started<T>(String id, T connector) {}

  /**
   * Loads the workspace and plugins (the plugins directory comes from the workspace's {@code plugins_dir}).
   * Validation only: nothing starts.
   */
  public static Loaded load(Path workspaceFile, Function<String, String> env)
      throws WorkspaceException, PluginLoadException {
    return load(workspaceFile, env, Set.of());
  }

  /** Like {@link #load(Path, Function)}; the variables in {@code publicNames} are not secrets. */
  public static Loaded load(Path workspaceFile, Function<String, String> env, Set<String> publicNames)
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

  /** A validated workspace with the registry its connectors come from; close it if you do not start it. */
  public record Loaded(Workspace workspace, ConnectorRegistry registry) implements AutoCloseable {
    @Override
    public void close() {
      registry.close();
    }
  }

  /** Reads only {@code plugins_dir}, so plugins can load before the rest is validated against them. */
  private static Path pluginsDir(Path file, Function<String, String> env) throws WorkspaceException {
    try {
      JsonNode root = new YAMLMapper().readTree(Files.readString(file));
      JsonNode dir = root == null ? null : root.get("plugins_dir");
      if (dir != null && dir.isTextual() && !dir.textValue().contains("${")) {
        return Path.of(dir.textValue());
      }
      if (dir != null && dir.isTextual()) {
        // References are resolved (and reported) by the full load; a simple ${env:X} is honoured here.
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
        throw new WorkspaceException(List.of(new ConfigProblem(file.toString(), "", "", "file not found")));
      }
    }
    return Path.of("plugins");
  }

  /** Configures and starts a {@link Weir}; not thread-safe. */
  public static final class Builder {
    private Path workspaceFile;
    private Function<String, String> env = System::getenv;
    private Governance governance = Governance.passThrough();
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
     * Extra variables that take precedence over the environment (such as the CLI's {@code --port}); their values
     * are command-line options, not secrets, so they are not redacted.
     */
    public Builder overrides(Map<String, String> overrides) {
      Map<String, String> copy = new HashMap<>(overrides);
      publicNames.addAll(copy.keySet());
      Function<String, String> base = this.env;
      this.env = name -> copy.containsKey(name) ? copy.get(name) : base.apply(name);
      return this;
    }

    public Builder governance(Governance governance) {
      this.governance = Objects.requireNonNull(governance, "governance");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How long {@link Weir#close} waits for destinations to deliver what is in flight; 30 s by default. */
    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Validates everything, then starts destinations, the router and sources.
     *
     * @throws WorkspaceException with every configuration problem; nothing was started
     * @throws PluginLoadException naming each broken or refused plugin jar; nothing was started
     * @throws StartException when a connector fails to start; everything started so far is stopped again
     */
    public Weir start() throws WorkspaceException, PluginLoadException, StartException {
      Objects.requireNonNull(workspaceFile, "workspace file");
      Loaded loaded = load(workspaceFile, env, publicNames);
      Workspace ws = loaded.workspace();
      SecretRedactor.register(ws.secrets());
      return Startup.start(ws, loaded.registry(), governance, clock, drainTimeout,
          (log, router, services, sources) -> new Weir(ws, loaded.registry(), services, log, router, sources,
              drainTimeout));
    }
  }

  /** A connector failed while starting; everything was stopped again. */
  public static final class StartException extends Exception {
    public StartException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Starts the parts in order and unwinds on failure. */
  private static final class Startup {
    interface Assemble {
      Weir make(EventLog log, Router router, HostServices services, List<Started<SourceConnector>> sources);
    }

    static Weir start(Workspace ws, ConnectorRegistry registry, Governance governance, Clock clock,
        Duration drainTimeout, Assemble assemble) throws StartException {
      HostServices services = new HostServices(ws.store().dir());
      EventLog log = EventLog.inMemory(ws.store().partitions(), ws.store().memoryCapacity());
      Pipeline pipeline = new Pipeline(log, governance, clock);
      List<StreamRoute> routes = new ArrayList<>();
      List<Started<SourceConnector>> sources = new ArrayList<>();
      Router router = null;
      try {
        for (DestinationConfig d : ws.destinations()) {
          if (!d.enabled()) {
            LOG.info("Destination '{}' is disabled (enabled: false)", d.id());
            continue;
          }
          if (d.mode() == Mode.BATCH) {
            LOG.warn("Destination '{}' is a batch destination: batch exports come with the delivery engine and are "
                + "not run by this host yet", d.id());
            continue;
          }
          StreamingDestination dest = registry.create(d.type(), StreamingDestination.class);
          HostConnectorContext ctx = new HostConnectorContext(d.id(), d.type(), d.settings(), services, null);
          try {
            dest.start(ctx);
          } catch (Exception e) {
            throw new StartException("destination '" + d.id() + "' (" + d.type() + ") failed to start: " + e, e);
          } finally {
            // Stop it with the others if anything below fails, even if it started half-way.
            routes.add(new StreamRoute(d.id(), dest, ws.sourcesFeeding(d.id()), d.filter(), d.delivery(),
                ctx.logger()));
          }
        }
        router = Router.streaming(log, routes, services.meters());
        pipeline.releaseOnAppend(!router.hasConsumers());
        router.start();
        for (SourceConfig s : ws.sources()) {
          if (!s.enabled()) {
            LOG.info("Source '{}' is disabled (enabled: false)", s.id());
            continue;
          }
          SourceConnector src = registry.create(s.type(), SourceConnector.class);
          try {
            src.start(new HostConnectorContext(s.id(), s.type(), s.settings(), services, pipeline));
          } catch (Exception e) {
            throw new StartException("source '" + s.id() + "' (" + s.type() + ") failed to start: " + e, e);
          }
          sources.add(new Started<>(s.id(), src));
        }
        LOG.info("Weir started: {} source(s), {} streaming destination(s), workspace {}", sources.size(),
            routes.size(), ws.file());
        return assemble.make(log, router, services, sources);
      } catch (StartException | RuntimeException e) {
        for (Started<SourceConnector> s : sources) {
          try {
            s.connector().stop();
          } catch (Exception ignored) {
            // Already failing; the first error is the one to report.
          }
        }
        log.close();
        if (router != null) {
          router.close(Duration.ofSeconds(5));
        } else {
          for (StreamRoute r : routes) {
            try {
              r.destination().stop();
            } catch (Exception ignored) {
              // Already failing.
            }
          }
        }
        services.close();
        registry.close();
        if (e instanceof StartException se) {
          throw se;
        }
        throw new StartException("could not start: " + e, e);
      }
    }
  }
}
