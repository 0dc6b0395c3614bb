package dev.weir.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.realtime.StoreStats;
import dev.weir.testsupport.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka replay of a 6-hour-old range through the host, against a real (in-process) broker, made
 * as an operator makes one: Weir stopped, the consumer group's offsets reset to a time six hours
 * back, Weir started again: the store's 24-hour dedup window recognises every replayed record,
 * though its keys left the cached blocks hours of data time ago, stores the records never seen
 * before, and the destination receives each event once. Time moves on the host's clock (upload
 * time, the store's data clock), not by waiting.
 */
class KafkaReplayDedupIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Seven hours ago: the replayed range is six hours old in data time while every upload time stays
   * inside the destination's retention (measured on the wall clock).
   */
  private static final long T0 = System.currentTimeMillis() - Duration.ofHours(7).toMillis();

  @TempDir Path dir;

  /** A clock tests move by hand. */
  static final class MovableClock extends Clock {
    final AtomicLong now = new AtomicLong(T0);

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  }

  private static String record(String insertId) {
    return "{\"event_type\":\"Order Placed\",\"user_id\":\"u-"
        + insertId.hashCode() % 50
        + "\",\"insert_id\":\""
        + insertId
        + "\"}";
  }

  private static void produce(KafkaProducer<String, String> p, long at, int from, int to)
      throws Exception {
    for (int i = from; i < to; i++) {
      p.send(new ProducerRecord<>("events", 0, at, "r-" + i, record("r-" + i)));
    }
    p.flush();
  }

  @Test
  void aReplayOfASixHourOldRangeIsDeduplicatedExactlyAndDeliveredOnce() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        KafkaProducer<String, String> producer =
            new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
      kafka.createTopic("events", 1);
      Files.writeString(
          dir.resolve("workspace.yaml"),
          """
          store: { dir: "%s/store", partitions: 2 }
          sources:
            - id: bus
              type: kafka-source
              settings:
                bootstrap_servers: "%s"
                topics: [ events ]
                group_id: weir-replay-it
                format: canonical
                dead_letter_topic: events-dlq
                retry_backoff_ms: 50
          destinations:
            - id: files
              type: file
              settings: { dir: "%s/out" }
              delivery: { max_batch_delay_ms: 0 }
          routes:
            - { from: bus, to: [ files ] }
          """
              .formatted(dir, kafka.bootstrapServers(), dir));
      MovableClock clock = new MovableClock();
      try (Weir weir =
          Weir.builder().workspace(dir.resolve("workspace.yaml")).clock(clock).start()) {
        // T0: the range that will be replayed
        produce(producer, T0, 0, 500);
        await().atMost(Duration.ofSeconds(60)).until(() -> weir.store().stats().stored() == 500);

        // T0 + 6 h 1 min: new traffic seals the old blocks out of memory
        clock.now.set(T0 + Duration.ofHours(6).plusMinutes(1).toMillis());
        produce(producer, clock.millis(), 500, 1000);
        await().atMost(Duration.ofSeconds(60)).until(() -> weir.store().stats().stored() == 1000);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> weir.store().stats().indexedKeys() >= 500);
      }

      // T0 + 6 h 2 min: the operator rewinds the stopped consumer group to T0, as
      // `kafka-consumer-groups --reset-offsets --to-datetime` does, so the bus replays every
      // record since T0 (the six-hour-old range and the recent one); then 100 records never seen
      clock.now.addAndGet(Duration.ofMinutes(1).toMillis());
      try (Admin admin =
          Admin.create(
              Map.<String, Object>of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        TopicPartition events = new TopicPartition("events", 0);
        long atT0 =
            admin
                .listOffsets(Map.of(events, OffsetSpec.forTimestamp(T0)))
                .partitionResult(events)
                .get()
                .offset();
        assertThat(atT0).isZero();
        // the group may still list the stopped consumer for a moment: retry until it is empty
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  try {
                    admin
                        .alterConsumerGroupOffsets(
                            "weir-replay-it", Map.of(events, new OffsetAndMetadata(atT0)))
                        .all()
                        .get();
                    return true;
                  } catch (java.util.concurrent.ExecutionException notEmptyYet) {
                    return false;
                  }
                });
      }
      produce(producer, clock.millis(), 1000, 1100);
      try (Weir weir =
          Weir.builder().workspace(dir.resolve("workspace.yaml")).clock(clock).start()) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  StoreStats s = weir.store().stats();
                  return s.stored() + s.duplicates() >= 2100;
                });
        StoreStats s = weir.store().stats();
        assertThat(s.duplicates())
            .as("every replayed record, six hours old or recent, is a duplicate")
            .isEqualTo(1000);
        assertThat(s.stored()).as("every new record is stored").isEqualTo(1100);

        // the destination receives each of the 1,100 events once
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> delivered(dir.resolve("out")).size() == 1100);
        Map<String, Integer> times = new HashMap<>();
        delivered(dir.resolve("out")).forEach(id -> times.merge(id, 1, Integer::sum));
        assertThat(times).hasSize(1100);
        assertThat(times.values()).containsOnly(1);
      }
    }
  }

  /** The insert ids in every file the file destination wrote, finished or still open. */
  private static List<String> delivered(Path out) throws Exception {
    List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(out)) {
      return ids;
    }
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.toList()) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            try {
              ids.add(JSON.readTree(line).path("insert_id").asText());
            } catch (java.io.IOException torn) {
              // a line being written
            }
          }
        }
      }
    }
    return ids;
  }
}
