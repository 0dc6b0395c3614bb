package dev.weir.host.config;

import dev.weir.sdk.ConnectorKind;
import dev.weir.sdk.ConnectorSpec;
import java.util.Collection;
import java.util.Optional;

/** The connectors a workspace may name, by id: what the loader needs from the plugin registry. */
public interface ConnectorCatalog {
  Optional<Entry> find(String type);

  Collection<String> ids();

  /** One connector: what it does and its spec (with the settings schema). */
  record Entry(ConnectorKind kind, ConnectorSpec spec) {}
}
