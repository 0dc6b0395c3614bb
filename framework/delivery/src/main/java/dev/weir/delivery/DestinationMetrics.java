package dev.weir.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * One destination's meters, named {@code weir.delivery.*} and tagged {@code destination=<id>}, plus
 * the few values status needs that meters do not give directly (events/s window, last error).
 * Thread-safe.
 */
final class DestinationMetrics {
  private static final int WINDOW_SECONDS = 10;

  private final String id;
  private final MeterRegistry registry;
  final Counter delivered;
  final Counter deadLettered;
  final Counter expired;
  final Counter filtered;
  final Counter lost;
  final Counter retries;
  final Counter requests;
  final Counter bisections;
  final Timer latency;
  final AtomicLong retrying = new AtomicLong();
  private final AtomicLongArray buckets = new AtomicLongArray(WINDOW_SECONDS);
  private final AtomicLongArray bucketSecond = new AtomicLongArray(WINDOW_SECONDS);
  private final List<Meter> meters = new CopyOnWriteArrayList<>();
  private volatile String lastError = "";
  private volatile long lastErrorAt;

  DestinationMetrics(String id, MeterRegistry registry) {
    this.id = id;
    this.registry = registry;
    this.delivered = events("delivered");
    this.deadLettered = events("dead_lettered");
    this.expired = events("expired");
    this.filtered = events("filtered");
    this.lost = events("lost");
    this.retries = events("retried");
    this.requests =
        keep(
            Counter.builder("weir.delivery.requests")
                .tag("destination", id)
                .description("delivery attempts (one destination call each)")
                .register(registry));
    this.bisections =
        keep(
            Counter.builder("weir.delivery.bisections")
                .tag("destination", id)
                .description("batches split in two to isolate rejected events")
                .register(registry));
    this.latency =
        keep(
            Timer.builder("weir.delivery.latency")
                .tag("destination", id)
                .description("upload time to acknowledgement by the destination")
                .publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(Duration.ofMinutes(1))
                .register(registry));
    keep(
        Gauge.builder("weir.delivery.retrying", retrying, AtomicLong::get)
            .tag("destination", id)
            .description("events waiting for a retry")
            .register(registry));
  }

  private <M extends Meter> M keep(M meter) {
    meters.add(meter);
    return meter;
  }

  private Counter events(String result) {
    return keep(
        Counter.builder("weir.delivery.events")
            .tag("destination", id)
            .tag("result", result)
            .description("events by delivery result")
            .register(registry));
  }

  void gauge(String name, String description, Supplier<Number> value) {
    keep(
        Gauge.builder(name, value)
            .tag("destination", id)
            .description(description)
            .register(registry));
  }

  /** Removes this destination's meters from the registry (when the destination is removed). */
  void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }

  void deliveredOne(long latencyMillis, long nowMillis) {
    delivered.increment();
    latency.record(Math.max(0, latencyMillis), TimeUnit.MILLISECONDS);
    long second = nowMillis / 1000;
    int slot = (int) (second % WINDOW_SECONDS);
    if (bucketSecond.get(slot) != second) {
      synchronized (this) {
        if (bucketSecond.get(slot) != second) {
          buckets.set(slot, 0);
          bucketSecond.set(slot, second);
        }
      }
    }
    buckets.incrementAndGet(slot);
  }

  /** Delivered events per second over the last complete seconds of the window. */
  double eventsPerSecond(long nowMillis) {
    long second = nowMillis / 1000;
    long sum = 0;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      long s = bucketSecond.get(i);
      if (s < second && s >= second - WINDOW_SECONDS) {
        sum += buckets.get(i);
      }
    }
    return sum / (double) WINDOW_SECONDS;
  }

  double latencyPercentile(double p) {
    for (ValueAtPercentile v : latency.takeSnapshot().percentileValues()) {
      if (Math.abs(v.percentile() - p) < 1e-9) {
        return v.value(TimeUnit.MILLISECONDS);
      }
    }
    return 0;
  }

  void error(String message, long nowMillis) {
    lastError = message;
    lastErrorAt = nowMillis;
  }

  String lastError() {
    return lastError;
  }

  long lastErrorAt() {
    return lastErrorAt;
  }
}
