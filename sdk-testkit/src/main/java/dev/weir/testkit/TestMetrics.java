package dev.weir.testkit;

import dev.weir.sdk.ConnectorMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Metrics a test can read back: counters by name and tags, and the durations a timer recorded.
 * Thread-safe; like the host, meters are cached by name and tags.
 */
public final class TestMetrics implements ConnectorMetrics {
  private final Map<String, DoubleAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, List<Duration>> timers = new ConcurrentHashMap<>();

  TestMetrics() {}

  @Override
  public Counter counter(String name, String... tags) {
    DoubleAdder adder = counters.computeIfAbsent(key(name, tags), k -> new DoubleAdder());
    return adder::add;
  }

  @Override
  public Timer timer(String name, String... tags) {
    List<Duration> recorded =
        timers.computeIfAbsent(key(name, tags), k -> new CopyOnWriteArrayList<>());
    return recorded::add;
  }

  /** The value of the counter with exactly this name and tags; 0 when never registered. */
  public double count(String name, String... tags) {
    DoubleAdder a = counters.get(key(name, tags));
    return a == null ? 0 : a.sum();
  }

  /** The sum of every counter with this name, whatever its tags. */
  public double countAllTags(String name) {
    return counters.entrySet().stream()
        .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
        .mapToDouble(e -> e.getValue().sum())
        .sum();
  }

  /** The durations recorded by the timer with exactly this name and tags, in order. */
  public List<Duration> timings(String name, String... tags) {
    return new ArrayList<>(timers.getOrDefault(key(name, tags), List.of()));
  }

  private static String key(String name, String... tags) {
    if (tags.length % 2 != 0) {
      throw new IllegalArgumentException("tags must be key, value pairs: " + List.of(tags));
    }
    return tags.length == 0 ? name : name + "{" + String.join(",", tags) + "}";
  }
}
