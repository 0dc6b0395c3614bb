package dev.weir.connectors.http;

import dev.weir.sdk.Event;
import dev.weir.sdk.SourceContext;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One http source as its listener sees it: its limits, its Amplitude throttles, an admission gate
 * for stopping, and a blocking submit into its {@link SourceContext}. Thread-safe.
 */
final class Ingest {
  private final SourceContext context;
  private final Throttle httpApiThrottle;
  private final Throttle batchThrottle;
  private final int maxEvents;
  private final Duration submitTimeout;
  private final Object gate = new Object();
  private int inFlight;
  private boolean closing;

  Ingest(
      SourceContext context,
      int maxEvents,
      Duration submitTimeout,
      Throttle httpApiThrottle,
      Throttle batchThrottle) {
    this.context = context;
    this.httpApiThrottle = httpApiThrottle;
    this.batchThrottle = batchThrottle;
    this.maxEvents = maxEvents;
    this.submitTimeout = submitTimeout;
  }

  String sourceId() {
    return context.connectionId();
  }

  /**
   * The per-device/user events-per-second limit of Amplitude's {@code /batch} or {@code
   * /2/httpapi}.
   */
  Throttle throttle(boolean batch) {
    return batch ? batchThrottle : httpApiThrottle;
  }

  int maxEvents() {
    return maxEvents;
  }

  SourceContext context() {
    return context;
  }

  /**
   * Admits one request; false once the source is stopping (answer 503 then). Pair with {@link
   * #exit()}.
   */
  boolean enter() {
    synchronized (gate) {
      if (closing) {
        return false;
      }
      inFlight++;
      return true;
    }
  }

  void exit() {
    synchronized (gate) {
      inFlight--;
      gate.notifyAll();
    }
  }

  /**
   * Refuses new requests and waits (at most {@code timeout}) for admitted ones to finish; false on
   * timeout.
   */
  boolean closeAndAwaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (gate) {
      closing = true;
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        gate.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /**
   * Submits and waits until the events are in the store.
   *
   * @throws StoreUnavailableException when the store refuses or does not answer in time
   */
  SubmitResult submit(List<Event> events) throws InterruptedException {
    if (events.isEmpty()) {
      return new SubmitResult(List.of());
    }
    try {
      return context
          .submit(events)
          .toCompletableFuture()
          .get(submitTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StoreUnavailableException su) {
        throw su;
      }
      throw new StoreUnavailableException("the store could not take the events", e.getCause());
    } catch (TimeoutException e) {
      throw new StoreUnavailableException(
          "store did not answer within " + submitTimeout.toMillis() + " ms", e);
    }
  }
}
