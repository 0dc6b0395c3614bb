package dev.weir.sdk;

import java.util.Optional;

/**
 * A small durable key-value store private to one connection, for offsets, cursors and tokens.
 * Thread-safe; {@link #put} and {@link #delete} are durable when they return. Not meant for bulk
 * data: keep values small.
 */
public interface StateStore {
  Optional<String> get(String key);

  void put(String key, String value);

  void delete(String key);
}
