package dev.weir.host.pipeline;

import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Delivers one destination's events: reads each partition from its own cursor, keeps the events routed to it,
 * batches them by count and linger time, and retries {@link Outcome.Status#RETRY} outcomes with exponential backoff
 * (at least any {@code Retry-After}). Rejected events are logged (the dead-letter store comes later). Runs on its own
 * thread; {@link #committed} may be read from any thread.
 */
final class DestinationWorker implements Runnable {
  private static final Duration IDLE_WAIT = Duration.ofMillis(500);

  private final EventLog log;
  private final StreamRoute route;
  private final IntConsumer onCommit;
  private final long[] readCursor;
  private final long[] committed;
  private final CountDownLatch aborted = new CountDownLatch(1);
  private final Counter delivered;
  private final Counter rejected;
  private final Counter retried;
  private final Counter lost;
  private volatile boolean draining;
  private int nextPartition;

  DestinationWorker(EventLog log, StreamRoute route, MeterRegistry meters, IntConsumer onCommit) {
    this.log = log;
    this.route = route;
    this.onCommit = onCommit;
    this.readCursor = new long[log.partitions()];
    this.committed = new long[log.partitions()];
    String id = route.destinationId();
    this.delivered = meters.counter("weir.delivery.events", "destination", id, "outcome", "delivered");
    this.rejected = meters.counter("weir.delivery.events", "destination", id, "outcome", "rejected");
    this.retried = meters.counter("weir.delivery.events", "destination", id, "outcome", "retried");
    this.lost = meters.counter("weir.delivery.events", "destination", id, "outcome", "abandoned");
  }

  StreamRoute route() {
    return route;
  }

  synchronized long committed(int partition) {
    return committed[partition];
  }

  /** Deliver what is in the log, then return. */
  void drain() {
    draining = true;
  }

  /** Stop now, abandoning what is not delivered. */
  void abort() {
    draining = true;
    aborted.countDown();
  }

  private boolean isAborted() {
    return aborted.getCount() == 0;
  }

  @Override
  public void run() {
    try {
      while (!isAborted()) {
        long seen = log.appendCount();
        List<Event> batch = new ArrayList<>();
        boolean advanced = collect(batch);
        if (!batch.isEmpty() && batch.size() < route.delivery().batchSize() && route.delivery().lingerMs() > 0
            && !draining) {
          long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(route.delivery().lingerMs());
          while (batch.size() < route.delivery().batchSize() && !draining) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              break;
            }
            seen = log.appendCount();
            advanced |= collect(batch);
            if (batch.size() < route.delivery().batchSize()) {
              log.awaitAppend(seen, Duration.ofNanos(left));
            }
          }
        }
        if (!batch.isEmpty()) {
          deliver(batch);
        }
        if (advanced) {
          commit();
          continue;
        }
        if (draining && caughtUp()) {
          return;
        }
        log.awaitAppend(seen, draining ? Duration.ofMillis(10) : IDLE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      route.logger().error("Delivery loop failed; this destination stops receiving events", e);
    }
  }

  /** Reads entries into {@code batch} up to the batch size; true when any cursor moved. */
  private boolean collect(List<Event> batch) {
    boolean moved = false;
    int parts = readCursor.length;
    for (int k = 0; k < parts && batch.size() < route.delivery().batchSize(); k++) {
      int p = (nextPartition + k) % parts;
      List<EventLog.Entry> entries = log.read(p, readCursor[p], route.delivery().batchSize() - batch.size());
      for (EventLog.Entry e : entries) {
        readCursor[p] = e.seq() + 1;
        moved = true;
        if (route.wants(e.event())) {
          batch.add(e.event());
        }
      }
    }
    nextPartition = (nextPartition + 1) % parts;
    return moved;
  }

  private boolean caughtUp() {
    for (int p = 0; p < readCursor.length; p++) {
      if (readCursor[p] < log.endSeq(p)) {
        return false;
      }
    }
    return true;
  }

  private void commit() {
    synchronized (this) {
      System.arraycopy(readCursor, 0, committed, 0, readCursor.length);
    }
    for (int p = 0; p < readCursor.length; p++) {
      onCommit.accept(p);
    }
  }

  private void deliver(List<Event> batch) throws InterruptedException {
    List<Event> toSend = batch;
    int attempt = 0;
    while (!toSend.isEmpty()) {
      List<Outcome> outcomes;
      try {
        outcomes = route.destination().deliver(toSend);
        if (outcomes == null || outcomes.size() != toSend.size()) {
          outcomes = Collections.nCopies(toSend.size(), Outcome.retry("connector returned "
              + (outcomes == null ? "null" : outcomes.size()) + " outcomes for " + toSend.size() + " events"));
        }
      } catch (Exception e) {
        outcomes = Collections.nCopies(toSend.size(), Outcome.retry("deliver threw " + e));
      }
      List<Event> again = new ArrayList<>();
      Duration hint = null;
      String reason = "";
      for (int i = 0; i < outcomes.size(); i++) {
        Outcome o = outcomes.get(i);
        switch (o.status()) {
          case DELIVERED -> delivered.increment();
          case REJECTED -> {
            rejected.increment();
            Event e = toSend.get(i);
            route.logger().warn("Rejected event {} (insert_id {}): {}", e.eventType(), e.insertId(), o.reason());
          }
          case RETRY -> {
            again.add(toSend.get(i));
            reason = o.reason();
            if (o.retryAfter() != null && (hint == null || o.retryAfter().compareTo(hint) > 0)) {
              hint = o.retryAfter();
            }
          }
        }
      }
      if (again.isEmpty()) {
        return;
      }
      retried.increment(again.size());
      attempt++;
      long backoff = Math.min(route.delivery().maxBackoffMs(),
          route.delivery().initialBackoffMs() << Math.min(20, attempt - 1));
      if (hint != null) {
        backoff = Math.max(backoff, hint.toMillis());
      }
      route.logger().warn("{} event(s) to retry in {} ms (attempt {}): {}", again.size(), backoff, attempt, reason);
      if (aborted.await(backoff, TimeUnit.MILLISECONDS)) {
        lost.increment(again.size());
        route.logger().error("Shutting down: abandoned {} undelivered event(s)", again.size());
        return;
      }
      toSend = again;
    }
  }
}
