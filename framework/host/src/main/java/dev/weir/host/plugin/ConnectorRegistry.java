package dev.weir.host.plugin;

import dev.weir.host.config.ConnectorCatalog;
import dev.weir.sdk.BatchDestination;
import dev.weir.sdk.ConnectorKind;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.StreamingDestination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every connector the host can run: the built-in ones found on the class path (pf4j system extensions) and those in
 * plugin jars under the plugins directory. Creates a fresh connector instance per configured connection.
 *
 * <p>Lifecycle: {@link #load} once; thread-safe afterwards; {@link #close} unloads the plugins (after every
 * connector has stopped).
 */
public final class ConnectorRegistry implements ConnectorCatalog, AutoCloseable {
  public static final String BUILT_IN = "built-in";
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorRegistry.class);

  private final WeirPluginManager manager;
  private final Map<String, ConnectorInfo> connectors;

  private ConnectorRegistry(WeirPluginManager manager, Map<String, ConnectorInfo> connectors) {
    this.manager = manager;
    this.connectors = connectors;
  }

  /**
   * Finds the built-in connectors and loads every {@code *.jar} in {@code pluginsDir} (absent is fine).
   *
   * @throws PluginLoadException naming each jar that is refused or broken, and each clash of connector ids
   */
  public static ConnectorRegistry load(Path pluginsDir) throws PluginLoadException {
    Path dir = pluginsDir.toAbsolutePath().normalize();
    List<Path> jars = jars(dir);
    List<String> problems = new ArrayList<>();
    for (Path jar : jars) {
      problems.addAll(PluginJarCheck.problems(jar));
    }
    if (!problems.isEmpty()) {
      throw new PluginLoadException(problems);
    }
    WeirPluginManager manager = new WeirPluginManager(dir);
    if (!jars.isEmpty()) {
      manager.loadPlugins();
      manager.startPlugins();
      for (Path jar : jars) {
        Optional<PluginWrapper> w = manager.getPlugins().stream()
            .filter(p -> p.getPluginPath().toAbsolutePath().normalize().equals(jar)).findFirst();
        if (w.isEmpty()) {
          problems.add("plugin " + jar + " could not be loaded (see the log above for pf4j's reason)");
        } else if (w.get().getPluginState() != PluginState.STARTED) {
          Throwable t = w.get().getFailedException();
          problems.add("plugin " + jar + " failed to start (" + w.get().getPluginState() + ")"
              + (t == null ? "" : ": " + t));
        }
      }
    }
    Map<String, ConnectorInfo> found = new LinkedHashMap<>();
    discover(manager, SourceConnector.class, ConnectorKind.SOURCE, found, problems);
    discover(manager, StreamingDestination.class, ConnectorKind.STREAMING_DESTINATION, found, problems);
    discover(manager, BatchDestination.class, ConnectorKind.BATCH_DESTINATION, found, problems);
    for (PluginWrapper w : manager.getPlugins()) {
      boolean any = found.values().stream().anyMatch(c -> c.pluginId().equals(w.getPluginId()));
      if (!any && w.getPluginState() == PluginState.STARTED) {
        problems.add("plugin " + w.getPluginPath() + " (" + w.getPluginId() + ") provides no Weir connectors: its "
            + PluginJarCheck.INDEX + " lists no SourceConnector, StreamingDestination or BatchDestination");
      }
    }
    if (!problems.isEmpty()) {
      unload(manager);
      throw new PluginLoadException(problems);
    }
    LOG.debug("Connectors: {}", found.keySet());
    return new ConnectorRegistry(manager, found);
  }

  private static List<Path> jars(Path dir) throws PluginLoadException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = s.sorted().toList();
      for (Path p : all) {
        if (!p.getFileName().toString().endsWith(".jar")) {
          LOG.warn("Ignoring {} in the plugins directory: plugins are .jar files", p);
        }
      }
      return all.stream().filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
    } catch (IOException e) {
      throw new PluginLoadException(List.of("plugins directory " + dir + " cannot be listed: " + e.getMessage()));
    }
  }

  private static <T> void discover(WeirPluginManager manager, Class<T> type, ConnectorKind kind,
      Map<String, ConnectorInfo> found, List<String> problems) {
    for (Class<? extends T> cls : manager.getExtensionClasses(type)) {
      PluginWrapper w = manager.whichPlugin(cls);
      String origin = w == null ? BUILT_IN : w.getPluginPath().toString();
      String pluginId = w == null ? BUILT_IN : w.getPluginId();
      ConnectorSpec spec;
      try {
        Object instance = manager.getExtensionFactory().create(cls);
        spec = switch (kind) {
          case SOURCE -> ((SourceConnector) instance).spec();
          case STREAMING_DESTINATION -> ((StreamingDestination) instance).spec();
          case BATCH_DESTINATION -> ((BatchDestination) instance).spec();
        };
      } catch (RuntimeException | LinkageError e) {
        problems.add("connector " + cls.getName() + " from " + origin + " cannot be created: " + e);
        continue;
      }
      ConnectorInfo prev = found.get(spec.id());
      if (prev != null) {
        problems.add("connector id '" + spec.id() + "' is provided twice: by " + prev.origin() + " and by " + origin);
        continue;
      }
      found.put(spec.id(), new ConnectorInfo(spec, kind, origin, pluginId, cls));
    }
  }

  /** Every connector, sorted by id. */
  public List<ConnectorInfo> connectors() {
    return connectors.values().stream().sorted(Comparator.comparing(ConnectorInfo::id)).toList();
  }

  public Optional<ConnectorInfo> info(String id) {
    return Optional.ofNullable(connectors.get(id));
  }

  @Override
  public Optional<Entry> find(String type) {
    return info(type).map(c -> new Entry(c.kind(), c.spec()));
  }

  @Override
  public Collection<String> ids() {
    return connectors.keySet();
  }

  /** A new, unstarted instance of connector {@code id}, which must be a {@code type}. */
  public <T> T create(String id, Class<T> type) {
    ConnectorInfo c = connectors.get(id);
    if (c == null) {
      throw new IllegalArgumentException("unknown connector '" + id + "'");
    }
    return type.cast(manager.getExtensionFactory().create(c.implementation()));
  }

  @Override
  public void close() {
    unload(manager);
  }

  /** Stops and unloads each plugin (pf4j's own stopPlugins() trips over its list while plugins stop). */
  private static void unload(WeirPluginManager manager) {
    for (PluginWrapper w : new ArrayList<>(manager.getPlugins())) {
      try {
        manager.unloadPlugin(w.getPluginId());
      } catch (RuntimeException e) {
        LOG.warn("Could not unload plugin {}: {}", w.getPluginPath(), e.toString());
      }
    }
  }
}
