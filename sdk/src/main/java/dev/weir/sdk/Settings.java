package dev.weir.sdk;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connector's settings object, already validated against its {@link
 * ConnectorSpec#settingsSchema()} and with secret references resolved. Schema defaults are applied
 * by the host. Immutable.
 *
 * <p>Keys are the schema's property names; nested objects are read with {@link #section(String)}.
 */
public final class Settings {
  private final Map<String, Object> values;

  private Settings(Map<String, Object> values) {
    this.values = values;
  }

  /** Settings holding a deep copy of these JSON-like values. */
  public static Settings of(Map<String, ?> values) {
    return new Settings(JsonValues.freezeObject(values));
  }

  /** The raw value of a key, or null. */
  public Object get(String key) {
    return values.get(key);
  }

  public boolean has(String key) {
    return values.get(key) != null;
  }

  public Optional<String> string(String key) {
    Object v = values.get(key);
    return v == null ? Optional.empty() : Optional.of(JsonValues.asString(key, v));
  }

  public String string(String key, String fallback) {
    return string(key).orElse(fallback);
  }

  /** The required string {@code key}; throws naming the key when it is absent. */
  public String requireString(String key) {
    return string(key)
        .orElseThrow(() -> new IllegalArgumentException("setting '" + key + "' is required"));
  }

  public long longValue(String key, long fallback) {
    Object v = values.get(key);
    return v == null ? fallback : JsonValues.asLong(key, v);
  }

  public int intValue(String key, int fallback) {
    Object v = values.get(key);
    return v == null ? fallback : JsonValues.asInt(key, v);
  }

  public double doubleValue(String key, double fallback) {
    Object v = values.get(key);
    return v == null ? fallback : JsonValues.asDouble(key, v);
  }

  public boolean bool(String key, boolean fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw JsonValues.typeError(key, "a boolean", v);
  }

  /** A duration given in milliseconds under {@code key}. */
  public Duration millis(String key, Duration fallback) {
    Object v = values.get(key);
    return v == null ? fallback : Duration.ofMillis(JsonValues.asLong(key, v));
  }

  /** A list of strings; empty when absent. */
  public List<String> strings(String key) {
    Object v = values.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        JsonValues.asString(key + "[" + i + "]", l.get(i));
      }
      @SuppressWarnings("unchecked")
      List<String> strings = (List<String>) l;
      return strings;
    }
    throw JsonValues.typeError(key, "an array of strings", v);
  }

  /** A nested object as settings of its own; empty when absent. */
  public Settings section(String key) {
    Object v = values.get(key);
    return v == null ? new Settings(Map.of()) : new Settings(JsonValues.asObject(key, v));
  }

  /** All values, unmodifiable. */
  public Map<String, Object> asMap() {
    return values;
  }

  /** Deliberately prints only the keys: values may be secrets. */
  @Override
  public String toString() {
    return "Settings" + values.keySet();
  }
}
