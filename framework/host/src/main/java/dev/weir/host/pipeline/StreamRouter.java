package dev.weir.host.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link DestinationWorker} thread per streaming destination; releases log entries every worker has passed.
 * Thread-safe.
 */
final class StreamRouter implements Router {
  private static final Logger LOG = LoggerFactory.getLogger(StreamRouter.class);

  private final EventLog log;
  private final List<DestinationWorker> workers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  StreamRouter(EventLog log, List<StreamRoute> routes, MeterRegistry meters) {
    this.log = log;
    for (StreamRoute r : routes) {
      workers.add(new DestinationWorker(log, r, meters, this::released));
    }
  }

  @Override
  public void start() {
    for (DestinationWorker w : workers) {
      Thread t = new Thread(w, "weir-deliver-" + w.route().destinationId());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  @Override
  public boolean hasConsumers() {
    return !workers.isEmpty();
  }

  /** A worker has delivered everything before {@code seq} in {@code partition}. */
  private void released(int partition) {
    long min = Long.MAX_VALUE;
    for (DestinationWorker w : workers) {
      min = Math.min(min, w.committed(partition));
    }
    log.release(partition, min);
  }

  @Override
  public void close(Duration drainTimeout) {
    for (DestinationWorker w : workers) {
      w.drain();
    }
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    boolean clean = true;
    for (int i = 0; i < threads.size(); i++) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try {
        threads.get(i).join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (threads.get(i).isAlive()) {
        clean = false;
        LOG.warn("Destination '{}' did not finish delivering within {} ms; giving up on what is left",
            workers.get(i).route().destinationId(), drainTimeout.toMillis());
        workers.get(i).abort();
        threads.get(i).interrupt();
      }
    }
    for (int i = 0; i < threads.size(); i++) {
      DestinationWorker w = workers.get(i);
      try {
        threads.get(i).join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (threads.get(i).isAlive()) {
        LOG.error("Destination '{}' is stuck in deliver(); not calling stop()", w.route().destinationId());
        continue;
      }
      try {
        w.route().destination().stop();
      } catch (Exception e) {
        w.route().logger().warn("stop() failed: {}", e.toString());
      }
    }
    if (clean) {
      LOG.debug("All destinations drained");
    }
  }
}
