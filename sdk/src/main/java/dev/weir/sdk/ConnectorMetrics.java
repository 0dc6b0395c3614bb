package dev.weir.sdk;

import java.time.Duration;

/**
 * Registers metrics for one connection. The host prefixes names with {@code weir.connector.} and
 * tags each meter with the connection id and connector type. Thread-safe; meters are cached, so
 * call freely.
 */
public interface ConnectorMetrics {
  /** A monotonically increasing count; {@code tags} are key, value pairs. */
  Counter counter(String name, String... tags);

  /** A distribution of durations; {@code tags} are key, value pairs. */
  Timer timer(String name, String... tags);

  /** A count that only goes up. */
  interface Counter {
    void increment(double amount);

    default void increment() {
      increment(1);
    }
  }

  /** Records how long things took. */
  interface Timer {
    void record(Duration duration);
  }
}
