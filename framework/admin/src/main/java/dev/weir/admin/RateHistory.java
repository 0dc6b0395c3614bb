package dev.weir.admin;

import dev.weir.delivery.DeliveryEngine;
import dev.weir.realtime.StoreStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Events per second in (stored + duplicates) and out (delivered, all destinations) over the last
 * hour, sampled on a daemon thread every {@code intervalMillis}. Thread-safe; {@link #stop()} ends
 * the sampler.
 */
final class RateHistory {
  private final AdminBackend backend;
  private final long intervalMillis;
  private final int capacity;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {at, in, out}
  private final ScheduledExecutorService timer;

  RateHistory(AdminBackend backend, long intervalMillis) {
    this.backend = backend;
    this.intervalMillis = intervalMillis;
    this.capacity = (int) Math.max(2, 3_600_000L / intervalMillis + 1);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "weir-admin-rates");
              t.setDaemon(true);
              return t;
            });
    sample();
    timer.scheduleAtFixedRate(this::sample, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  private long[] now() {
    long in = 0;
    long out = 0;
    try {
      if (backend.store().isPresent()) {
        StoreStats s = backend.store().get().stats();
        in = s.stored() + s.duplicates();
      }
      if (backend.delivery().isPresent()) {
        DeliveryEngine e = backend.delivery().get();
        for (String id : e.destinations()) {
          out += e.status(id).delivered();
        }
      }
    } catch (RuntimeException e) {
      // a component closing under us: keep the previous totals
    }
    return new long[] {System.currentTimeMillis(), in, out};
  }

  private void sample() {
    long[] s = now();
    synchronized (samples) {
      samples.addLast(s);
      while (samples.size() > capacity) {
        samples.removeFirst();
      }
    }
  }

  /**
   * JSON-ready: {@code points} of {@code {at, in_per_second, out_per_second}} plus current totals.
   */
  Map<String, Object> toMap() {
    List<long[]> copy;
    synchronized (samples) {
      copy = new ArrayList<>(samples);
    }
    copy.add(now());
    List<Map<String, Object>> points = new ArrayList<>();
    for (int i = 1; i < copy.size(); i++) {
      long[] a = copy.get(i - 1);
      long[] b = copy.get(i);
      double secs = Math.max(0.001, (b[0] - a[0]) / 1000.0);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("at", b[0]);
      p.put("in_per_second", Math.max(0, b[1] - a[1]) / secs);
      p.put("out_per_second", Math.max(0, b[2] - a[2]) / secs);
      points.add(p);
    }
    long[] last = copy.get(copy.size() - 1);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("interval_ms", intervalMillis);
    m.put("events_in_total", last[1]);
    m.put("events_out_total", last[2]);
    m.put("points", points);
    return m;
  }

  void stop() {
    timer.shutdownNow();
  }
}
