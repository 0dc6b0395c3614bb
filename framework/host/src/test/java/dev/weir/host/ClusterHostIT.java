package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.cluster.ClusterSettings;
import dev.weir.cluster.ClusterTopics;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoredEvent;
import dev.weir.testsupport.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts in cluster mode on a real in-process broker: an ingest node answers {@code /2/httpapi} only
 * once Kafka has the events, a store node stores each of them exactly once (re-sent ones are
 * duplicates), a stopped broker gives 503 with Retry-After, and a node whose topics disagree with
 * its workspace refuses to start, naming why.
 */
class ClusterHostIT {
  private static final int P = 4;
  private static final String KEY = "cluster-key-1";

  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private boolean kafkaStopped;
  private final OkHttpClient client =
      new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();

  @BeforeEach
  void startKafka() throws Exception {
    kafka = EmbeddedKafka.start();
  }

  @AfterEach
  void stopKafka() {
    if (!kafkaStopped) {
      kafka.close();
    }
  }

  private void initTopics(int partitions) throws Exception {
    try (Admin admin = kafka.admin()) {
      ClusterTopics.init(
          admin,
          ClusterSettings.builder()
              .bootstrapServers(kafka.bootstrapServers())
              .nodeId("init")
              .roles(Set.of(ClusterSettings.Role.STORE))
              .partitions(partitions)
              .replicationFactor(1)
              .minInsyncReplicas(1)
              .build());
    }
  }

  /** A workspace for node {@code node} with {@code roles}; an http source when {@code port > 0}. */
  private Path workspace(String node, String roles, int port) throws Exception {
    String source =
        port > 0
            ? """
            sources:
              - id: web
                type: http
                settings: { host: 127.0.0.1, port: %d, write_keys: [ "%s" ] }
            """
                .formatted(port, KEY)
            : "";
    Path file = dir.resolve(node + ".yaml");
    Files.writeString(
        file,
        """
        store: { dir: "%s/%s", partitions: %d, options: { fsync_policy: none } }
        cluster:
          bootstrap_servers: "%s"
          node_id: %s
          roles: [ %s ]
          replication_factor: 1
          min_insync_replicas: 1
          ack_timeout_ms: 2000
          session_timeout_ms: 6000
        %s"""
            .formatted(dir, node, P, kafka.bootstrapServers(), node, roles, source));
    return file;
  }

  private String[] postHttpApi(int port, String insertPrefix, int from, int to) throws Exception {
    StringBuilder events = new StringBuilder();
    for (int i = from; i < to; i++) {
      events
          .append(events.length() == 0 ? "" : ",")
          .append(
              "{\"event_type\":\"Play\",\"user_id\":\"user-%d\",\"insert_id\":\"%s-%d\",\"time\":%d}"
                  .formatted(i % 7, insertPrefix, i, 1_780_000_000_000L + i));
    }
    String body = "{\"api_key\":\"" + KEY + "\",\"events\":[" + events + "]}";
    Request req =
        new Request.Builder()
            .url("http://127.0.0.1:" + port + "/2/httpapi")
            .post(RequestBody.create(body, MediaType.get("application/json")))
            .build();
    try (Response r = client.newCall(req).execute()) {
      return new String[] {
        String.valueOf(r.code()), r.body().string(), String.valueOf(r.header("Retry-After"))
      };
    }
  }

  /**
   * How many events (records with a value; the producer's clock ticks have none) the events topic
   * holds now, read up to the end offsets it has at the call.
   */
  private long eventsInTopic() throws Exception {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int p = 0; p < P; p++) {
        parts.add(new TopicPartition("weir.events", p));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long events = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("read the events topic to its end").isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null
              && r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            events++;
          }
        }
      }
      return events;
    }
  }

  private static List<String> insertIds(RealtimeStore store) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int p = 0; p < store.partitionCount(); p++) {
      for (StoredEvent e : store.read(p, 0, 10_000)) {
        ids.add(e.event().insertId());
      }
    }
    return ids;
  }

  @Test
  void eventsAcknowledgedByAnIngestNodeAreInKafkaAndStoredOnceByTheStoreNode() throws Exception {
    initTopics(P);
    int port = freePort();
    try (Weir store = Weir.builder().workspace(workspace("store-1", "store", 0)).start();
        Weir ingest = Weir.builder().workspace(workspace("ingest-1", "ingest", port)).start()) {
      String[] r = postHttpApi(port, "a", 0, 30);
      assertThat(r[0]).as(r[1]).isEqualTo("200");
      // answered only after acks=all: the 30 events are in the topic when the client hears 200
      assertThat(eventsInTopic()).isEqualTo(30);
      // re-sent (a client retry) and 10 new ones: the store node decides the duplicates
      assertThat(postHttpApi(port, "a", 20, 40)[0]).isEqualTo("200");
      assertThat(eventsInTopic()).isEqualTo(50);

      await().atMost(Duration.ofSeconds(60)).until(() -> insertIds(store.store()).size() >= 40);
      List<String> ids = insertIds(store.store());
      assertThat(ids).hasSize(40).doesNotHaveDuplicates();
      List<String> want = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        want.add("a-" + i);
      }
      assertThat(ids).containsExactlyInAnyOrderElementsOf(want);
      // the ingest node keeps nothing itself
      assertThat(insertIds(ingest.store())).isEmpty();
    }
  }

  @Test
  void anIngestNodeAnswers503WithRetryAfterWhenKafkaDoesNotAcknowledge() throws Exception {
    initTopics(P);
    int port = freePort();
    try (Weir ingest = Weir.builder().workspace(workspace("ingest-1", "ingest", port)).start()) {
      assertThat(postHttpApi(port, "b", 0, 5)[0]).isEqualTo("200");
      kafka.close();
      kafkaStopped = true;
      String[] r = postHttpApi(port, "b", 5, 10);
      assertThat(r[0]).as(r[1]).isEqualTo("503");
      assertThat(r[2]).isEqualTo("1");
      assertThat(r[1]).contains("Kafka");
    }
  }

  @Test
  void aNodeWhoseTopicsDisagreeWithItsWorkspaceRefusesToStartNamingWhy() throws Exception {
    initTopics(2);
    assertThatThrownBy(() -> Weir.builder().workspace(workspace("store-1", "store", 0)).start())
        .isInstanceOf(Weir.StartException.class)
        .hasMessageContaining("topics disagree with the workspace")
        .hasMessageContaining("topic weir.events has 2 partitions but cluster.partitions is 4");
  }

  @Test
  void aNodeRefusesToStartWhenTheTopicsDoNotExist() throws Exception {
    assertThatThrownBy(() -> Weir.builder().workspace(workspace("ingest-1", "ingest", 0)).start())
        .isInstanceOf(Weir.StartException.class)
        .hasMessageContaining("topic weir.events does not exist: run `weir cluster init`");
  }
}
