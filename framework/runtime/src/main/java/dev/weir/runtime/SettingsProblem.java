package dev.weir.runtime;

/**
 * One thing wrong with a connection's settings.
 *
 * @param path where inside the settings, dotted with {@code [i]} for list items ({@code url},
 *     {@code write_keys[0].key}); empty for the settings object itself
 * @param keyword the JSON Schema keyword that failed ({@code required}, {@code type}, ...)
 * @param message what is wrong, for a person
 */
public record SettingsProblem(String path, String keyword, String message) {
  @Override
  public String toString() {
    return (path.isEmpty() ? "(settings)" : path) + ": " + message;
  }
}
