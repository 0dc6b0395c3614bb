package dev.weir.connectors.kafkasource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.sdk.Event;
import dev.weir.testkit.TestContext;
import dev.weir.testkit.TestSourceContext;
import dev.weir.testsupport.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaSourceIT {
  private static EmbeddedKafka kafka;
  private static KafkaProducer<String, String> producer;

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

  private static Map<String, Object> settings(String topic, String group, String format) {
    return Map.of(
        "bootstrap_servers",
        kafka.bootstrapServers(),
        "topics",
        List.of(topic),
        "group_id",
        group,
        "format",
        format,
        "dead_letter_topic",
        topic + "-dlq",
        "retry_backoff_ms",
        50);
  }

  private static TestSourceContext context(Map<String, Object> settings) {
    return TestContext.builder(new KafkaSourceConnector().spec())
        .connectionId("kafka-test")
        .settings(settings)
        .buildSource();
  }

  private static void produce(String topic, long timestamp, String... values) throws Exception {
    for (String v : values) {
      producer.send(new ProducerRecord<>(topic, 0, timestamp, "key", v)).get();
    }
  }

  private static String amplitude(String insertId) {
    return "{\"event_type\":\"Page Viewed\",\"device_id\":\"device-42\",\"insert_id\":\""
        + insertId
        + "\"}";
  }

  private static long committed(String group, String topic) throws Exception {
    try (Admin admin = kafka.admin()) {
      OffsetAndMetadata offset =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS)
              .get(new TopicPartition(topic, 0));
      return offset == null ? 0 : offset.offset();
    }
  }

  @Test
  void recordsBecomeEventsTimedByTheRecordTimestampUploadedAtReceiveTimeAndOffsetsAreCommitted()
      throws Exception {
    kafka.createTopic("plain", 1);
    long recordTime = 1_600_000_000_000L;
    produce("plain", recordTime, amplitude("a"), amplitude("b"), amplitude("c"));
    TestSourceContext context = context(settings("plain", "g-plain", "amplitude"));
    KafkaSourceConnector connector = new KafkaSourceConnector();
    connector.start(context);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> context.stored().size() == 3);
      assertThat(context.stored()).extracting(Event::insertId).containsExactly("a", "b", "c");
      assertThat(context.stored()).extracting(Event::time).containsOnly(recordTime);
      // upload_time is the server's receive time, never a value the producer chose.
      assertThat(context.stored())
          .extracting(Event::uploadTime)
          .allSatisfy(t -> assertThat(t).isGreaterThan(recordTime + 1_000_000L));
      await().atMost(Duration.ofSeconds(30)).until(() -> committed("g-plain", "plain") == 3);
    } finally {
      connector.stop();
    }
  }

  @Test
  void unparseableRecordsGoToTheDeadLetterTopicWithReasonsAndTheirNeighboursGoThrough()
      throws Exception {
    kafka.createTopic("mixed", 1);
    produce(
        "mixed",
        System.currentTimeMillis(),
        amplitude("ok-1"),
        "{not json",
        "{\"event_type\":\"x\"}",
        amplitude("ok-2"));
    TestSourceContext context = context(settings("mixed", "g-mixed", "amplitude"));
    KafkaSourceConnector connector = new KafkaSourceConnector();
    connector.start(context);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> context.stored().size() == 2);
      assertThat(context.stored()).extracting(Event::insertId).containsExactly("ok-1", "ok-2");
      List<ConsumerRecord<String, String>> dead = readAll("mixed-dlq", 2);
      assertThat(dead)
          .extracting(ConsumerRecord::value)
          .containsExactly("{not json", "{\"event_type\":\"x\"}");
      assertThat(header(dead.get(0), ConsumeLoop.HEADER_ERROR)).startsWith("invalid JSON");
      assertThat(header(dead.get(1), ConsumeLoop.HEADER_ERROR)).contains("device_id");
      assertThat(header(dead.get(1), ConsumeLoop.HEADER_TOPIC)).isEqualTo("mixed");
      assertThat(header(dead.get(1), ConsumeLoop.HEADER_PARTITION)).isEqualTo("0");
      assertThat(header(dead.get(1), ConsumeLoop.HEADER_OFFSET)).isEqualTo("2");
      await().atMost(Duration.ofSeconds(30)).until(() -> committed("g-mixed", "mixed") == 4);
    } finally {
      connector.stop();
    }
  }

  @Test
  void offsetsStayUncommittedWhileTheStoreRefusesAndTheRecordsAreReadAgain() throws Exception {
    kafka.createTopic("refused", 1);
    produce("refused", System.currentTimeMillis(), amplitude("r-1"), amplitude("r-2"));
    TestSourceContext context = context(settings("refused", "g-refused", "amplitude"));
    context.failNextSubmits(3);
    KafkaSourceConnector connector = new KafkaSourceConnector();
    connector.start(context);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> context.submissions() >= 1);
      assertThat(committed("g-refused", "refused")).isZero();
      await().atMost(Duration.ofSeconds(30)).until(() -> context.stored().size() == 2);
      assertThat(context.submissions()).as("three refused, then one stored").isEqualTo(4);
      assertThat(context.stored()).extracting(Event::insertId).containsExactly("r-1", "r-2");
      await().atMost(Duration.ofSeconds(30)).until(() -> committed("g-refused", "refused") == 2);
    } finally {
      connector.stop();
    }
  }

  @Test
  void aRestartedConnectorResumesAfterTheCommittedOffset() throws Exception {
    kafka.createTopic("resume", 1);
    produce("resume", System.currentTimeMillis(), amplitude("first"));
    TestSourceContext first = context(settings("resume", "g-resume", "amplitude"));
    KafkaSourceConnector connector = new KafkaSourceConnector();
    connector.start(first);
    await().atMost(Duration.ofSeconds(30)).until(() -> committed("g-resume", "resume") == 1);
    connector.stop();

    produce("resume", System.currentTimeMillis(), amplitude("second"));
    TestSourceContext second = context(settings("resume", "g-resume", "amplitude"));
    KafkaSourceConnector restarted = new KafkaSourceConnector();
    restarted.start(second);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> committed("g-resume", "resume") == 2);
      assertThat(second.stored()).extracting(Event::insertId).containsExactly("second");
    } finally {
      restarted.stop();
    }
  }

  @Test
  void segmentShapedRecordsUseMessageIdAsInsertId() throws Exception {
    kafka.createTopic("segment", 1);
    produce(
        "segment",
        System.currentTimeMillis(),
        "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u-1\",\"messageId\":\"msg-1\"}");
    TestSourceContext context = context(settings("segment", "g-segment", "segment"));
    KafkaSourceConnector connector = new KafkaSourceConnector();
    connector.start(context);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> context.stored().size() == 1);
      assertThat(context.stored().get(0).insertId()).isEqualTo("msg-1");
      assertThat(context.stored().get(0).eventType()).isEqualTo("Signed Up");
    } finally {
      connector.stop();
    }
  }

  private static List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "reader-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
              });
      return out;
    }
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
