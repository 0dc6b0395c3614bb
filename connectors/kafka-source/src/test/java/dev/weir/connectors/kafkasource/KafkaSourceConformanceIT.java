package dev.weir.connectors.kafkasource;

import dev.weir.sdk.SourceConnector;
import dev.weir.testkit.ConnectorHarness;
import dev.weir.testkit.SourceConformance;
import dev.weir.testsupport.EmbeddedKafka;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kafka-source runs the test kit's source conformance suite against an in-process Kafka broker:
 * a fresh topic and consumer group per check, records in the Amplitude format. The secret-bearing
 * {@code consumer_properties} carry a harmless consumer setting so the secret check has a value to
 * look for.
 */
class KafkaSourceConformanceIT extends SourceConformance {
  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static EmbeddedKafka kafka;
  private static KafkaProducer<String, String> producer;
  private String topic;
  private int records;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = EmbeddedKafka.start();
    producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer());
  }

  @AfterAll
  static void stopBroker() {
    producer.close();
    kafka.close();
  }

  @BeforeEach
  void freshTopic() throws Exception {
    topic = "conformance-" + TOPICS.incrementAndGet();
    kafka.createTopic(topic, 1);
  }

  @Override
  protected SourceConnector newSource() {
    return new KafkaSourceConnector();
  }

  @Override
  protected Map<String, Object> settings(ConnectorHarness harness) {
    return Map.of(
        "bootstrap_servers",
        kafka.bootstrapServers(),
        "topics",
        List.of(topic),
        "group_id",
        "g-" + topic,
        "format",
        "amplitude",
        "retry_backoff_ms",
        50,
        "consumer_properties",
        Map.of("client.rack", "rack-s3cr3t-value"));
  }

  @Override
  protected void addRecords(ConnectorHarness harness, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      int k = records++;
      producer
          .send(
              new ProducerRecord<>(
                  topic,
                  "key-" + k,
                  "{\"event_type\":\"Page Viewed\",\"device_id\":\"device-42\",\"insert_id\":\"k-"
                      + k
                      + "\"}"))
          .get();
    }
  }
}
