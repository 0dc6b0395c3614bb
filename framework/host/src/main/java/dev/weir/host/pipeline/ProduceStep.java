package dev.weir.host.pipeline;

import dev.weir.cluster.EventsProducer;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult.EventStatus;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The ingest role's {@link StoreStep}: hands what governance kept (and quarantined) to the
 * cluster's events topic and returns once Kafka has acknowledged every event ({@code acks=all}).
 * Each kept event is {@code STORED} (durable in Kafka): duplicates are decided by the partition's
 * store node, so an ingest node never answers {@code DUPLICATE}. Nothing to send: the chain ends
 * here.
 *
 * @throws StoreUnavailableException when Kafka does not acknowledge within the ack timeout (HTTP
 *     sources answer 503 with Retry-After; the client retries, the store nodes deduplicate)
 */
final class ProduceStep implements IngestStep {
  private final EventsProducer producer;
  private final Supplier<Timer> appendTimer;

  ProduceStep(EventsProducer producer, Supplier<Timer> appendTimer) {
    this.producer = producer;
    this.appendTimer = appendTimer;
  }

  @Override
  public void apply(Submission s, Chain chain) {
    if (s.toStore.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    try {
      producer.send(s.toStore);
    } catch (IOException e) {
      throw new StoreUnavailableException("Kafka did not accept the events: " + e.getMessage(), e);
    } finally {
      Timer t = appendTimer.get();
      if (t != null) {
        t.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      }
    }
    for (int j = 0; j < s.toStore.size(); j++) {
      if (!s.quarantined[j]) {
        s.statuses[s.index[j]] = EventStatus.STORED;
      }
    }
    chain.proceed(s);
  }
}
