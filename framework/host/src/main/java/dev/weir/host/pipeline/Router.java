package dev.weir.host.pipeline;

import java.time.Duration;

/**
 * Reads the {@link EventLog} and hands events to destinations. The small built-in {@link #streaming} router runs one
 * thread per streaming destination; the fuller delivery engine (framework/delivery) replaces it behind this
 * interface. Thread-safe.
 */
public interface Router {
  /** Starts delivering; called once, after the destinations have started. */
  void start();

  /** Whether anything reads the log (if not, the pipeline releases events as soon as they are appended). */
  boolean hasConsumers();

  /**
   * Delivers everything already in the log (the log must be closed to appends first), waiting at most
   * {@code drainTimeout}, then stops every destination. Called once.
   */
  void close(Duration drainTimeout);

  /** The built-in router over {@code log} for these routes. */
  static Router streaming(EventLog log, java.util.List<StreamRoute> routes,
      io.micrometer.core.instrument.MeterRegistry meters) {
    return new StreamRouter(log, routes, meters);
  }
}
