package dev.weir.runtime;

import dev.weir.sdk.StateStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link StateStore} kept in memory, for tools that run a connector once (dry runs, {@code
 * connector send}) and for tests. Thread-safe; forgotten when the process ends.
 */
public class MemoryStateStore implements StateStore {
  private final Map<String, String> values = new ConcurrentHashMap<>();

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  @Override
  public void put(String key, String value) {
    values.put(key, value);
  }

  @Override
  public void delete(String key) {
    values.remove(key);
  }

  /** A copy of every key and value. */
  public Map<String, String> snapshot() {
    return Map.copyOf(values);
  }
}
