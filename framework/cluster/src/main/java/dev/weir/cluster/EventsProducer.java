package dev.weir.cluster;

import dev.weir.realtime.EventRecords;
import dev.weir.sdk.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ingest role's hand-off: governed events to the events topic, each to the partition the store
 * would put it in ({@link EventRecords#partitionOf} of its identity), as the store's record bytes
 * keyed by identity, with an idempotent {@code acks=all} producer. {@link #send} returns only when
 * Kafka has acknowledged every event, so an ingest node answers a client only once its events are
 * replicated. Thread-safe (one producer shared by all request threads, batching across them).
 */
public final class EventsProducer implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final ClusterSettings settings;

  private EventsProducer(KafkaProducer<byte[], byte[]> producer, ClusterSettings settings) {
    this.producer = producer;
    this.settings = settings;
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
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
