package dev.weir.cluster;

import dev.weir.realtime.EventRecords;
import dev.weir.sdk.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ingest role's hand-off: governed events to the events topic, each to the partition the store
 * would put it in ({@link EventRecords#partitionOf} of its identity), as the store's record bytes
 * keyed by identity, with an idempotent {@code acks=all} producer. {@link #send} returns only when
 * Kafka has acknowledged every event, so an ingest node answers a client only once its events are
 * replicated. Thread-safe (one producer shared by all request threads, batching across them).
 */
public final class EventsProducer implements AutoCloseable {
  /** How often the producer tells every partition the highest upload time Kafka acknowledged. */
  static final Duration TICK_INTERVAL = Duration.ofSeconds(1);

  private final KafkaProducer<byte[], byte[]> producer;
  private final ClusterSettings settings;
  private final AtomicLong acknowledged = new AtomicLong(-1);
  private final ScheduledExecutorService ticker;
  private long ticked = -1;

  private EventsProducer(KafkaProducer<byte[], byte[]> producer, ClusterSettings settings) {
    this.producer = producer;
    this.settings = settings;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "weir-clock-ticks-" + settings.nodeId());
              t.setDaemon(true);
              return t;
            });
    long ms = TICK_INTERVAL.toMillis();
    ticker.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Sends a tick (no key, no value, header {@value PartitionLog#CLOCK}: the highest upload time
   * acknowledged so far) to every partition when it moved since the last one, so that a partition
   * no event reaches still follows the cluster's data clock and seals its blocks (the single
   * store's store-wide clock). A lost tick is made up by the next one.
   */
  synchronized void tick() {
    long t = acknowledged.get();
    if (t <= ticked) {
      return;
    }
    try {
      for (int p = 0; p < settings.partitions(); p++) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(PartitionLog.CLOCK, PartitionLog.clockHeader(t));
        producer.send(
            new ProducerRecord<>(settings.eventsTopic(), p, (byte[]) null, (byte[]) null, headers));
      }
      ticked = t;
    } catch (RuntimeException e) {
      // Kafka does not take records now; the next tick tries again
    }
  }

  /** The producer settings: what "acknowledged" means for an ingest node. */
  static Properties config(ClusterSettings s) {
    long ack = s.ackTimeout().toMillis();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "weir-ingest-" + s.nodeId());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(500, ack / 2)));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(ack, 5 + 500)));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ack));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  /**
   * Connects and checks that the events topic has the cluster's partition count.
   *
   * @throws ClusterException when it does not, or Kafka does not answer within the ack timeout
   */
  public static EventsProducer open(ClusterSettings s) {
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config(s));
    try {
      int n = producer.partitionsFor(s.eventsTopic()).size();
      if (n != s.partitions()) {
        throw new ClusterException(
            "topic "
                + s.eventsTopic()
                + " has "
                + n
                + " partitions but cluster.partitions is "
                + s.partitions());
      }
    } catch (RuntimeException e) {
      producer.close();
      throw e instanceof ClusterException c
          ? c
          : new ClusterException(
              "cannot reach topic " + s.eventsTopic() + " at " + s.bootstrapServers() + ": " + e,
              e);
    }
    return new EventsProducer(producer, s);
  }

  /** The partition (of the events topic and of the store) an event goes to. */
  public int partitionOf(Event e) {
    return EventRecords.partitionOf(e.identity(), settings.partitions());
  }

  /**
   * Sends the events and waits until Kafka has acknowledged all of them ({@code acks=all}).
   *
   * @throws IOException when an event was not acknowledged within the ack timeout, naming the first
   *     one by index; others may have been written (the client retries, and the store nodes
   *     deduplicate by insert id)
   */
  public void send(List<Event> events) throws IOException {
    List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
    try {
      for (Event e : events) {
        String identity = e.identity();
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    settings.eventsTopic(),
                    partitionOf(e),
                    identity == null ? null : identity.getBytes(StandardCharsets.UTF_8),
                    EventRecords.encode(e))));
      }
    } catch (RuntimeException e) {
      throw new IOException("Kafka did not take event " + acks.size() + ": " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + settings.ackTimeout().toNanos() + 1_000_000_000L;
    for (int i = 0; i < acks.size(); i++) {
      try {
        acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        throw new IOException(
            "Kafka did not acknowledge event " + i + ": " + e.getCause().getMessage(), e);
      } catch (TimeoutException e) {
        throw new IOException(
            "Kafka did not acknowledge event " + i + " within " + settings.ackTimeout(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Kafka's acknowledgement", e);
      }
    }
    long latest = -1;
    for (Event e : events) {
      Long upload = e.uploadTime();
      if (upload != null) {
        latest = Math.max(latest, upload);
      }
    }
    acknowledged.accumulateAndGet(latest, Math::max);
  }

  /** Sends a last tick for what was acknowledged, then flushes and closes the producer. */
  @Override
  public void close() {
    ticker.shutdownNow();
    tick();
    producer.close(Duration.ofSeconds(5));
  }
}
