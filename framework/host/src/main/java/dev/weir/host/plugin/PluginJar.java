package dev.weir.host.plugin;

import dev.weir.sdk.BatchDestination;
import dev.weir.sdk.ConnectorKind;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.StreamingDestination;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded plugin jar with its own pf4j manager, so two versions of a plugin (same {@code
 * Plugin-Id}) can be loaded side by side. Created by {@link #load}; {@link #unload} once. Guarded
 * by the {@link ConnectorRegistry}.
 */
final class PluginJar {
  private static final Logger LOG = LoggerFactory.getLogger(PluginJar.class);

  final Path path;
  final String pluginId;
  final WeirPluginManager manager;
  final List<LoadedConnector> connectors;

  private PluginJar(
      Path path, String pluginId, WeirPluginManager manager, List<LoadedConnector> connectors) {
    this.path = path;
    this.pluginId = pluginId;
    this.manager = manager;
    this.connectors = List.copyOf(connectors);
  }

  /**
   * Checks, loads and starts {@code jar}; adds each problem (naming the jar) and returns null when
   * it failed.
   */
  static PluginJar load(Path jar, List<String> problems) {
    List<String> own = PluginJarCheck.problems(jar);
    if (!own.isEmpty()) {
      problems.addAll(own);
      return null;
    }
    WeirPluginManager manager = new WeirPluginManager(jar.getParent());
    String id;
    try {
      id = manager.loadPlugin(jar);
    } catch (RuntimeException e) {
      problems.add("plugin " + jar + " could not be loaded: " + e.getMessage());
      return null;
    }
    if (id == null) {
      problems.add("plugin " + jar + " could not be loaded (see the log above for pf4j's reason)");
      return null;
    }
    PluginState state;
    try {
      state = manager.startPlugin(id);
    } catch (RuntimeException e) {
      state = PluginState.FAILED;
    }
    PluginWrapper w = manager.getPlugin(id);
    if (state != PluginState.STARTED) {
      Throwable t = w == null ? null : w.getFailedException();
      problems.add(
          "plugin " + jar + " failed to start (" + state + ")" + (t == null ? "" : ": " + t));
      unload(manager, id);
      return null;
    }
    List<LoadedConnector> found = new ArrayList<>();
    int before = problems.size();
    discover(manager, id, jar, SourceConnector.class, ConnectorKind.SOURCE, found, problems);
    discover(
        manager,
        id,
        jar,
        StreamingDestination.class,
        ConnectorKind.STREAMING_DESTINATION,
        found,
        problems);
    discover(
        manager, id, jar, BatchDestination.class, ConnectorKind.BATCH_DESTINATION, found, problems);
    if (found.isEmpty() && problems.size() == before) {
      problems.add(
          "plugin "
              + jar
              + " ("
              + id
              + ") provides no Weir connectors: its "
              + PluginJarCheck.INDEX
              + " lists no SourceConnector, StreamingDestination or BatchDestination");
    }
    if (problems.size() > before) {
      unload(manager, id);
      return null;
    }
    return new PluginJar(jar, id, manager, found);
  }

  /** Creates one instance of each extension of {@code type} to read its spec. */
  static <T> void discover(
      WeirPluginManager manager,
      String pluginId,
      Path jar,
      Class<T> type,
      ConnectorKind kind,
      List<LoadedConnector> found,
      List<String> problems) {
    List<Class<? extends T>> classes =
        pluginId == null
            ? manager.getExtensionClasses(type)
            : manager.getExtensionClasses(type, pluginId);
    String origin = jar == null ? ConnectorRegistry.BUILT_IN : jar.toString();
    for (Class<? extends T> cls : classes) {
      ConnectorSpec spec;
      try {
        Object instance = manager.getExtensionFactory().create(cls);
        spec =
            switch (kind) {
              case SOURCE -> ((SourceConnector) instance).spec();
              case STREAMING_DESTINATION -> ((StreamingDestination) instance).spec();
              case BATCH_DESTINATION -> ((BatchDestination) instance).spec();
            };
      } catch (RuntimeException | LinkageError e) {
        problems.add("connector " + cls.getName() + " from " + origin + " cannot be created: " + e);
        continue;
      }
      found.add(
          new LoadedConnector(
              spec, kind, origin, pluginId == null ? ConnectorRegistry.BUILT_IN : pluginId, cls));
    }
  }

  /** Stops and unloads the plugin (its class loader is closed). */
  void unload() {
    unload(manager, pluginId);
  }

  private static void unload(WeirPluginManager manager, String id) {
    try {
      manager.unloadPlugin(id);
    } catch (RuntimeException e) {
      LOG.warn("Could not unload plugin {}: {}", id, e.toString());
    }
  }
}
