package dev.weir.host.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * A plugin cannot be unloaded: connections still run its connectors. The message names each of
 * them.
 */
public final class PluginInUseException extends Exception {
  private final List<String> connections;

  PluginInUseException(String connector, Path jar, List<String> connections) {
    super(
        "plugin "
            + connector
            + " ("
            + jar
            + ") is in use by "
            + String.join(", ", connections)
            + ": stop or switch those connections first");
    this.connections = List.copyOf(connections);
  }

  /** The ids of the connections that use the plugin, sorted. */
  public List<String> connections() {
    return connections;
  }
}
