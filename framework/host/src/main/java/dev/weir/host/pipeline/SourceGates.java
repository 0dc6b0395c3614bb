package dev.weir.host.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-source pause switch, counters and meters for the {@link Pipeline}. Thread-safe: states are
 * created once per source id and live as long as the pipeline; meters are registered on the first
 * registry given to {@link #bind}.
 */
final class SourceGates {
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;
  private volatile Timer appendTimer;

  /** The state of one source, created on first use. */
  State of(String sourceId) {
    return states.computeIfAbsent(
        sourceId,
        id -> {
          State s = new State(id);
          MeterRegistry r = registry;
          if (r != null) {
            s.bind(r);
          }
          return s;
        });
  }

  /**
   * Registers the meters of every source (known now or later) and the store append timer on {@code
   * r}.
   */
  synchronized void bind(MeterRegistry r) {
    if (registry != null) {
      return;
    }
    appendTimer =
        Timer.builder("weir.store.append")
            .description("Time of one store.append call (dedup, write, fsync) in the host pipeline")
            .publishPercentileHistogram()
            .register(r);
    registry = r;
    states.values().forEach(s -> s.bind(r));
  }

  /** The store append timer, or null while no registry is bound. */
  Timer appendTimer() {
    return appendTimer;
  }

  /** One source: paused flag, event counts by outcome, and its meters once bound. */
  static final class State {
    final String id;
    volatile boolean paused;
    final LongAdder requests = new LongAdder();
    final LongAdder stored = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder blocked = new LongAdder();
    final LongAdder refusedPaused = new LongAdder();
    final LongAdder refusedStore = new LongAdder();
    volatile long lastEventMillis = -1;
    private volatile Timer latency;
    private volatile Map<String, Counter> rejects = Map.of();

    State(String id) {
      this.id = id;
    }

    private synchronized void bind(MeterRegistry r) {
      if (latency != null) {
        return;
      }
      outcome(r, "stored", stored);
      outcome(r, "duplicate", duplicates);
      outcome(r, "blocked", blocked);
      io.micrometer.core.instrument.FunctionCounter.builder(
              "weir.ingest.duplicates", duplicates, LongAdder::sum)
          .description("Events dropped as duplicates, per source")
          .tag("source", id)
          .register(r);
      Map<String, Counter> m = new ConcurrentHashMap<>();
      for (String reason :
          new String[] {"blocked_by_plan", "source_paused", "store_unavailable", "not_ready"}) {
        m.put(
            reason,
            Counter.builder("weir.ingest.rejects")
                .description("Events not stored, by reason")
                .tag("source", id)
                .tag("reason", reason)
                .register(r));
      }
      rejects = m;
      latency =
          Timer.builder("weir.ingest.latency")
              .description(
                  "Time from submit to durable (governance, dedup, append, fsync), per source batch")
              .tag("source", id)
              .publishPercentileHistogram()
              .register(r);
    }

    private void outcome(MeterRegistry r, String status, LongAdder adder) {
      io.micrometer.core.instrument.FunctionCounter.builder(
              "weir.ingest.events", adder, LongAdder::sum)
          .description("Events submitted by a source, by outcome")
          .tag("source", id)
          .tag("status", status)
          .register(r);
    }

    void reject(String reason, long n) {
      Counter c = rejects.get(reason);
      if (c != null) {
        c.increment(n);
      }
    }

    void recordLatency(long nanos) {
      Timer t = latency;
      if (t != null) {
        t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
      }
    }

    Map<String, Object> status() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("state", paused ? "paused" : "running");
      m.put("requests", requests.sum());
      m.put("stored", stored.sum());
      m.put("duplicates", duplicates.sum());
      m.put("blocked", blocked.sum());
      m.put("refused_while_paused", refusedPaused.sum());
      m.put("refused_store_unavailable", refusedStore.sum());
      m.put(
          "last_event_at",
          lastEventMillis < 0 ? null : java.time.Instant.ofEpochMilli(lastEventMillis).toString());
      return m;
    }
  }
}
