package dev.weir.admin;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A configured source or destination. Immutable.
 *
 * @param id the source or destination id from the workspace
 * @param connector the connector (plugin extension or partner definition) id
 * @param kind {@code source}, {@code streaming_destination} or {@code batch_destination}
 * @param settings the settings as written in the workspace, references such as {@code ${env:NAME}}
 *     unresolved (never the resolved secret values); the admin API masks secret fields and
 *     references as {@code "***"}
 * @param secretFields top-level settings keys that are secret (from the connector schema's {@code
 *     secret: true})
 */
public record ComponentInfo(
    String id,
    String connector,
    String kind,
    Map<String, Object> settings,
    Set<String> secretFields) {
  public ComponentInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(kind, "kind");
    settings = settings == null ? Map.of() : settings;
    secretFields = secretFields == null ? Set.of() : Set.copyOf(secretFields);
  }
}
