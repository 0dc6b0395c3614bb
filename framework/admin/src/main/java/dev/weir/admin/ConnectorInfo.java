package dev.weir.admin;

import java.util.Objects;

/**
 * An installed connector. Immutable.
 *
 * @param id connector id
 * @param version connector version
 * @param kind {@code source}, {@code streaming_destination} or {@code batch_destination}
 * @param plugin the plugin that provides it
 * @param origin {@code built-in}, or the plugin file/directory it was loaded from
 * @param settingsSchema the JSON Schema of its settings (may mark fields {@code "secret": true});
 *     null when none
 */
public record ConnectorInfo(
    String id, String version, String kind, String plugin, String origin, String settingsSchema) {
  public ConnectorInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
  }
}
