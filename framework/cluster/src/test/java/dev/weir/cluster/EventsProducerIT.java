package dev.weir.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.cluster.ClusterSettings.Role;
import dev.weir.realtime.EventRecords;
import dev.weir.sdk.Event;
import dev.weir.testsupport.EmbeddedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class EventsProducerIT {
  private static ClusterSettings settings(EmbeddedKafka kafka, String prefix, int partitions) {
    return ClusterSettings.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .nodeId("ingest-1")
        .roles(Set.of(Role.INGEST))
        .topicPrefix(prefix)
        .partitions(partitions)
        .replicationFactor(1)
        .minInsyncReplicas(1)
        .ackTimeout(Duration.ofSeconds(2))
        .build();
  }

  private static List<Event> events(int n) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Event.Builder b =
          Event.builder()
              .eventType("view")
              .insertId("id-" + i)
              .time(1_700_000_000_000L + i)
              .eventProperties(Map.of("n", i, "name", "caf\u00e9 \uD83D\uDE00"));
      out.add(i % 10 == 9 ? b.deviceId("device-" + i).build() : b.userId("u" + i % 37).build());
    }
    return out;
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(
      EmbeddedKafka kafka, String topic, int partitions, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        tps.add(new TopicPartition(topic, i));
      }
      c.assign(tps);
      c.seekToBeginning(tps);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  @Test
  void everyAcknowledgedEventIsInThePartitionTheStoreWouldPutItInAsItsRecord() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        var admin = kafka.admin()) {
      ClusterSettings s = settings(kafka, "p1", 4);
      ClusterTopics.init(admin, s);
      List<Event> sent = events(200);
      try (EventsProducer producer = EventsProducer.open(s)) {
        producer.send(sent.subList(0, 120));
        producer.send(sent.subList(120, 200));
      }
      List<ConsumerRecord<byte[], byte[]>> got = readAll(kafka, "p1.events", 4, 200);
      assertThat(got).hasSize(200);
      List<Event> decoded = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : got) {
        Event e = EventRecords.decode(r.value());
        decoded.add(e);
        assertThat(r.partition())
            .as("partition of %s", e.identity())
            .isEqualTo(EventRecords.partitionOf(e.identity(), 4));
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.identity());
      }
      assertThat(decoded).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(got.stream().map(ConsumerRecord::partition).distinct()).hasSize(4);
    }
  }

  @Test
  void closingTellsEveryPartitionTheHighestAcknowledgedUploadTimeInATick() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        var admin = kafka.admin()) {
      ClusterSettings s = settings(kafka, "p4", 4);
      ClusterTopics.init(admin, s);
      List<Event> sent = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        sent.add(
            Event.builder()
                .eventType("view")
                .insertId("id-" + i)
                .userId("u" + i)
                .time(1_700_000_000_000L + i)
                .uploadTime(1_700_000_000_000L + (i * 7919L) % 30)
                .build());
      }
      try (EventsProducer producer = EventsProducer.open(s)) {
        producer.send(sent); // all to whichever partitions their users hash to
      }
      List<ConsumerRecord<byte[], byte[]>> got = readAll(kafka, "p4.events", 4, 30 + 4);
      Map<Integer, Long> lastTick = new java.util.HashMap<>();
      int events = 0;
      for (ConsumerRecord<byte[], byte[]> r : got) {
        long tick = PartitionLog.clockOf(r.value(), r.headers());
        if (tick >= 0) {
          lastTick.put(r.partition(), tick);
        } else {
          events++;
        }
      }
      assertThat(events).isEqualTo(30);
      assertThat(lastTick).containsOnlyKeys(0, 1, 2, 3).containsValue(1_700_000_000_029L);
      assertThat(lastTick.values()).containsOnly(1_700_000_000_029L);
    }
  }

  @Test
  void whenKafkaStopsAcknowledgingSendFailsWithinTheAckTimeoutNamingTheEvent() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.start();
    ClusterSettings s = settings(kafka, "p2", 2);
    try (var admin = kafka.admin()) {
      ClusterTopics.init(admin, s);
    }
    try (EventsProducer producer = EventsProducer.open(s)) {
      producer.send(events(5));
      kafka.close();
      long start = System.nanoTime();
      assertThatThrownBy(() -> producer.send(events(5)))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("Kafka did not acknowledge event 0");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(s.ackTimeout().plusSeconds(10));
    }
  }

  @Test
  void aProducerRefusesAnEventsTopicWithAnotherPartitionCount() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopic("p3.events", 3);
      assertThatThrownBy(() -> EventsProducer.open(settings(kafka, "p3", 4)))
          .isInstanceOf(ClusterException.class)
          .hasMessage("topic p3.events has 3 partitions but cluster.partitions is 4");
    }
  }
}
