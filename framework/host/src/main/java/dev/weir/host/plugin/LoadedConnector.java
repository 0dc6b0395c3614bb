package dev.weir.host.plugin;

import dev.weir.sdk.ConnectorKind;
import dev.weir.sdk.ConnectorSpec;

/**
 * A connector the host can run. Immutable.
 *
 * @param spec what the connector declares (id, version, display name, settings schema)
 * @param kind source, streaming destination or batch destination
 * @param origin {@code built-in}, or the path of the plugin jar it came from
 * @param pluginId the pf4j plugin id, or {@code built-in}
 */
public record LoadedConnector(
    ConnectorSpec spec,
    ConnectorKind kind,
    String origin,
    String pluginId,
    Class<?> implementation) {
  public String id() {
    return spec.id();
  }

  public String version() {
    return spec.version();
  }

  /** {@code source}, {@code destination (stream)} or {@code destination (batch)}. */
  public String kindLabel() {
    return switch (kind) {
      case SOURCE -> "source";
      case STREAMING_DESTINATION -> "destination (stream)";
      case BATCH_DESTINATION -> "destination (batch)";
    };
  }
}
