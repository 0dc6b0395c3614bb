package dev.weir.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.testkit.TestContext;
import dev.weir.testsupport.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaDestinationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static Event event(int i) {
    Event.Builder b =
        Event.builder()
            .eventType("purchase")
            .insertId("ins-" + i)
            .time(1_700_000_000_000L + i)
            .eventProperties(Map.of("n", i));
    return i % 10 == 9
        ? b.deviceId("device-" + (i % 3)).build()
        : b.userId("user-" + (i % 7)).build();
  }

  private static KafkaDestination started(Map<String, Object> settings) {
    KafkaDestination d = new KafkaDestination();
    d.start(TestContext.builder(d.spec()).settings(settings).build());
    return d;
  }

  private static List<ConsumerRecord<String, String>> consume(String topic, int expected) {
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "check-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  @Test
  void everyEventBecomesOneJsonRecordKeyedByUserWithItsInsertIdHeader() throws Exception {
    kafka.createTopic("events", 3);
    KafkaDestination d =
        started(Map.of("bootstrap_servers", kafka.bootstrapServers(), "topic", "events"));
    List<Event> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      batch.add(event(i));
    }
    try {
      List<Outcome> outcomes = d.deliver(batch);
      assertThat(outcomes).hasSize(100).allMatch(o -> o.status() == Outcome.Status.DELIVERED);
    } finally {
      d.stop();
    }
    List<ConsumerRecord<String, String>> records = consume("events", 100);
    assertThat(records).hasSize(100);
    Map<String, Set<Integer>> partitionsByKey = new HashMap<>();
    for (ConsumerRecord<String, String> r : records) {
      Event e =
          Event.fromMap(JSON.readValue(r.value(), new TypeReference<Map<String, Object>>() {}));
      assertThat(r.key()).isEqualTo(e.identity());
      assertThat(new String(r.headers().lastHeader("insert_id").value(), StandardCharsets.UTF_8))
          .isEqualTo(e.insertId());
      assertThat(e).isEqualTo(batch.get(((Number) e.eventProperties().get("n")).intValue()));
      partitionsByKey.computeIfAbsent(r.key(), k -> new java.util.HashSet<>()).add(r.partition());
    }
    assertThat(partitionsByKey).hasSize(10).allSatisfy((k, parts) -> assertThat(parts).hasSize(1));
  }

  @Test
  void recordTooLargeIsRejectedWhileItsNeighboursAreDelivered() throws Exception {
    kafka.createTopic("big", 1);
    KafkaDestination d =
        started(
            Map.of(
                "bootstrap_servers",
                kafka.bootstrapServers(),
                "topic",
                "big",
                "producer_properties",
                Map.of("max.request.size", 4096)));
    try {
      List<Event> batch =
          List.of(
              event(1),
              event(2).toBuilder().eventProperties(Map.of("blob", "x".repeat(10_000))).build(),
              event(3));
      List<Outcome> outcomes = d.deliver(batch);
      assertThat(outcomes)
          .extracting(Outcome::status)
          .containsExactly(
              Outcome.Status.DELIVERED, Outcome.Status.REJECTED, Outcome.Status.DELIVERED);
      assertThat(outcomes.get(1).reason()).contains("RecordTooLarge");
    } finally {
      d.stop();
    }
    assertThat(consume("big", 2).stream().map(ConsumerRecord::key).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(event(1).identity(), event(3).identity());
  }

  @Test
  void unreachableClusterMeansRetryNotRejection() {
    KafkaDestination d =
        started(
            Map.of(
                "bootstrap_servers",
                "127.0.0.1:1",
                "topic",
                "events",
                "send_timeout_ms",
                1500,
                "producer_properties",
                Map.of("max.block.ms", 1000)));
    try {
      List<Outcome> outcomes = d.deliver(List.of(event(1), event(2)));
      assertThat(outcomes).hasSize(2).allMatch(o -> o.status() == Outcome.Status.RETRY);
    } finally {
      d.stop();
    }
  }

  @Test
  void deliveryEngineStreamsTheLogIntoKafkaThroughThisPlugin(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    kafka.createTopic("engine", 3);
    KafkaDestination d =
        started(
            Map.of(
                "bootstrap_servers", kafka.bootstrapServers(), "topic", "engine", "linger_ms", 20));
    dev.weir.delivery.InMemoryDeliveryLog log = new dev.weir.delivery.InMemoryDeliveryLog(2);
    for (int i = 0; i < 500; i++) {
      log.append(event(i));
    }
    try (dev.weir.delivery.DeliveryEngine engine =
        dev.weir.delivery.DeliveryEngine.builder().log(log).stateDir(dir).build()) {
      engine.addDestination(
          dev.weir.delivery.DestinationConfig.builder("kafka").maxBatchEvents(100).build(), d);
      engine.start();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> engine.status("kafka").lagEvents() == 0);
      assertThat(engine.status("kafka").delivered()).isEqualTo(500);
    } finally {
      d.stop();
    }
    List<ConsumerRecord<String, String>> records = consume("engine", 500);
    assertThat(
            records.stream()
                .map(
                    r ->
                        new String(
                            r.headers().lastHeader("insert_id").value(), StandardCharsets.UTF_8))
                .collect(Collectors.toSet()))
        .hasSize(500);
  }
}
