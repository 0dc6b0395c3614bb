package dev.weir.connectors.kafka;

import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Health;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.Settings;
import dev.weir.sdk.StreamingDestination;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pf4j.Extension;

/**
 * The {@code kafka} destination: writes each event as one JSON record (the canonical event object)
 * to a topic with an idempotent producer ({@code enable.idempotence=true}, {@code acks=all}). The
 * record key is the user id (the device id when there is none), so a user's events stay in one
 * partition, in order; the {@code insert_id} header carries the event's insert id for consumers to
 * deduplicate redeliveries.
 *
 * <p>Outcomes per event: acknowledged is delivered; retriable broker errors, timeouts and
 * authorization or authentication failures (a configuration problem, not the event's) are retried;
 * a record too large, or one the broker refuses as invalid, is rejected. Thread-safe after {@link
 * #start}: {@link #deliver} may run concurrently, sharing one producer.
 */
@Extension
public final class KafkaDestination extends StreamingDestination {

  private KafkaProducer<String, byte[]> producer;
  private String topic;
  private long sendTimeoutMillis;

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder("kafka")
        .version("0.1.0")
        .displayName("Kafka")
        .description(
            "Writes events as JSON records to a Kafka topic with an idempotent producer, keyed by user id.")
        .settingsSchemaResource(KafkaDestination.class, "/weir-kafka-settings.schema.json")
        .build();
  }

  @Override
  public void start(ConnectorContext context) {
    Settings s = context.settings();
    topic = s.requireString("topic");
    sendTimeoutMillis = s.longValue("send_timeout_ms", 130_000);
    Properties p = new Properties();
    for (Map.Entry<String, Object> e : s.section("producer_properties").asMap().entrySet()) {
      p.put(e.getKey(), String.valueOf(e.getValue()));
    }
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.requireString("bootstrap_servers"));
    p.put(
        ProducerConfig.CLIENT_ID_CONFIG,
        s.string("client_id", "weir") + "-" + context.connectionId());
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, s.string("compression_type", "none"));
    p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(s.longValue("linger_ms", 5)));
    p.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        Long.toString(s.longValue("request_timeout_ms", 30_000)));
    p.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        Long.toString(s.longValue("delivery_timeout_ms", 120_000)));
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    // Only the non-secret settings are logged.
    context
        .logger()
        .info("Producing to topic {} on {}", topic, s.requireString("bootstrap_servers"));
  }

  @Override
  public List<Outcome> deliver(List<Event> batch) {
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    List<Future<RecordMetadata>> futures = new ArrayList<>(batch.size());
    for (Event e : batch) {
      try {
        ProducerRecord<String, byte[]> record =
            new ProducerRecord<>(topic, e.identity(), e.toJson().getBytes(StandardCharsets.UTF_8));
        if (e.insertId() != null) {
          record.headers().add("insert_id", e.insertId().getBytes(StandardCharsets.UTF_8));
        }
        futures.add(producer.send(record));
        outcomes.add(null);
      } catch (RuntimeException ex) {
        futures.add(null);
        outcomes.add(classify(ex));
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sendTimeoutMillis);
    for (int i = 0; i < futures.size(); i++) {
      Future<RecordMetadata> f = futures.get(i);
      if (f == null) {
        continue;
      }
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        outcomes.set(i, Outcome.delivered());
      } catch (ExecutionException ex) {
        outcomes.set(i, classify(ex.getCause()));
      } catch (TimeoutException ex) {
        outcomes.set(
            i, Outcome.retry("no acknowledgement from Kafka within " + sendTimeoutMillis + " ms"));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        outcomes.set(i, Outcome.retry("interrupted while waiting for Kafka"));
      }
    }
    return outcomes;
  }

  /**
   * Maps a producer failure to an outcome: permanent only when the record itself can never be
   * accepted.
   */
  static Outcome classify(Throwable t) {
    String reason = t.getClass().getSimpleName() + ": " + t.getMessage();
    if (t instanceof RecordTooLargeException
        || t instanceof RecordBatchTooLargeException
        || t instanceof SerializationException
        || t instanceof InvalidTopicException) {
      return Outcome.rejected(reason);
    }
    if (t instanceof RetriableException) {
      return Outcome.retry(reason);
    }
    if (t instanceof AuthorizationException || t instanceof AuthenticationException) {
      return Outcome.retry("check the kafka destination's credentials and ACLs: " + reason);
    }
    // unknown failures are retried: the engine dead-letters after its attempt and age limits,
    // losing nothing
    return Outcome.retry(reason);
  }

  @Override
  public void stop() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
  }

  @Override
  public Health health() {
    return producer == null ? Health.down("not started") : Health.up();
  }
}
