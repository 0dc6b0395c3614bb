package dev.weir.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.cluster.ClusterSettings.Role;
import dev.weir.realtime.EventRecords;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.Event;
import dev.weir.testsupport.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store nodes on a real in-process broker: every event produced by ingest is stored exactly once
 * across the group, in the stored topic and in the owners' local stores; a partition that moves is
 * rebuilt from Kafka with the same dedup decisions; a restart with the same node id resumes its
 * local copy; an owner fenced by a newer one cannot write.
 */
class StoreNodeIT {
  private static final int P = 4;
  private static final Duration SESSION = Duration.ofSeconds(6);
  private static final long T0 = 1_780_000_000_000L;

  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private final java.util.Deque<AutoCloseable> open = new java.util.ArrayDeque<>();

  @BeforeEach
  void startKafka() throws Exception {
    kafka = EmbeddedKafka.start();
    try (var admin = kafka.admin()) {
      ClusterTopics.init(admin, settings("ingest", Role.INGEST));
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    kafka.close();
  }

  private ClusterSettings settings(String node, Role role) {
    return ClusterSettings.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .nodeId(node)
        .roles(Set.of(role))
        .partitions(P)
        .replicationFactor(1)
        .minInsyncReplicas(1)
        .ackTimeout(Duration.ofSeconds(5))
        .build();
  }

  private RealtimeStore store(String name) throws Exception {
    RealtimeStore s =
        RealtimeStore.open(
            StoreOptions.builder(dir.resolve(name))
                .partitions(P)
                .fsyncPolicy(StoreOptions.FsyncPolicy.NONE)
                .independentPartitions(true)
                .build());
    open.push(s);
    return s;
  }

  private StoreNode node(String name, RealtimeStore store) {
    StoreNode n = StoreNode.start(settings(name, Role.STORE), store, SESSION);
    open.push(n);
    return n;
  }

  private static List<Event> events(int from, int to) {
    List<Event> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(
          Event.builder()
              .eventType("view")
              .insertId("id-" + i)
              .userId("u" + i % 53)
              .sourceId("web")
              .time(T0 + i)
              .uploadTime(T0 + i)
              .eventProperties(Map.of("n", i))
              .build());
    }
    return out;
  }

  private void produce(List<Event> events) throws Exception {
    try (EventsProducer p = EventsProducer.open(settings("ingest", Role.INGEST))) {
      p.send(events);
    }
  }

  private static long stored(RealtimeStore s, Set<Integer> partitions) {
    return partitions.stream().mapToLong(p -> s.partitionStats(p).stored()).sum();
  }

  private static void awaitClock(RealtimeStore s, long clock) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                java.util.stream.IntStream.range(0, P)
                    .allMatch(p -> s.partitionStats(p).dataClock() == clock));
  }

  /**
   * The stored topic once it holds {@code records} committed records. A commit returns before its
   * markers reach every partition, so a read right after it may not see them yet.
   */
  private Map<String, Integer> storedTopic(int records) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            this::storedTopic,
            ids -> ids.values().stream().mapToInt(Integer::intValue).sum() >= records);
  }

  /** Insert id of every committed record in the stored topic, counted. */
  private Map<String, Integer> storedTopic() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    Map<String, Integer> ids = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int i = 0; i < P; i++) {
        tps.add(new TopicPartition("weir.stored", i));
      }
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            continue; // a clock step
          }
          Event e = EventRecords.decode(r.value());
          assertThat(r.partition()).isEqualTo(EventRecords.partitionOf(e.identity(), P));
          ids.merge(e.insertId(), 1, Integer::sum);
        }
      }
    }
    return ids;
  }

  @Test
  void twoStoreNodesStoreEveryEventOnceAcrossTheGroupAndCountTheResentOnesAsDuplicates()
      throws Exception {
    RealtimeStore a = store("a");
    RealtimeStore b = store("b");
    StoreNode na = node("a", a);
    StoreNode nb = node("b", b);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                na.ownedPartitions().size() + nb.ownedPartitions().size() == P
                    && !na.ownedPartitions().isEmpty()
                    && !nb.ownedPartitions().isEmpty());

    produce(events(0, 400));
    produce(events(300, 400)); // a client retrying its last 100

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              long stored = 0;
              long duplicates = 0;
              for (int p = 0; p < P; p++) {
                RealtimeStore owner = na.ownedPartitions().contains(p) ? a : b;
                stored += owner.partitionStats(p).stored();
                duplicates += owner.partitionStats(p).duplicates();
              }
              return stored == 400 && duplicates == 100;
            });
    Map<String, Integer> ids = storedTopic(400);
    assertThat(ids).hasSize(400);
    assertThat(ids.values()).containsOnly(1);
  }

  private record Moved(RealtimeStore store, StoreNode node) {}

  /**
   * Hands every partition of {@code from} to a new node with an empty directory and checks that
   * each partition is rebuilt with the same fingerprint and stats.
   */
  private Moved moveEveryPartition(RealtimeStore from, StoreNode fromNode, String to)
      throws Exception {
    List<String> fingerprints = new ArrayList<>();
    for (int p = 0; p < P; p++) {
      fingerprints.add(from.fingerprint(p));
    }
    fromNode.leaveGroup();

    RealtimeStore store = store(to);
    StoreNode node = node(to, store);
    await().atMost(Duration.ofSeconds(60)).until(() -> node.ownedPartitions().size() == P);
    for (int p = 0; p < P; p++) {
      assertThat(store.fingerprint(p)).as("p%d rebuilt", p).isEqualTo(fingerprints.get(p));
      assertThat(store.partitionStats(p)).isEqualTo(from.partitionStats(p));
    }
    return new Moved(store, node);
  }

  @Test
  void aPartitionThatMovesIsRebuiltFromKafkaAndKeepsItsDedupDecisions() throws Exception {
    RealtimeStore a = store("a");
    StoreNode na = node("a", a);
    await().atMost(Duration.ofSeconds(60)).until(() -> na.ownedPartitions().size() == P);
    produce(events(0, 300));
    await().atMost(Duration.ofSeconds(60)).until(() -> stored(a, na.ownedPartitions()) == 300);
    awaitClock(a, T0 + 299); // the producer's last tick reached every partition
    Moved moved = moveEveryPartition(a, na, "b");
    RealtimeStore b = moved.store();
    StoreNode nb = moved.node();
    assertThat(nb.history()).allMatch(h -> h.contains("rebuilt from the stored topic"));

    produce(events(200, 350)); // 100 already stored before the move, 50 new
    await().atMost(Duration.ofSeconds(60)).until(() -> stored(b, nb.ownedPartitions()) == 350);
    long duplicates = 0;
    for (int p = 0; p < P; p++) {
      duplicates += b.partitionStats(p).duplicates();
    }
    assertThat(duplicates).isEqualTo(100);
    assertThat(storedTopic(350)).hasSize(350).allSatisfy((id, n) -> assertThat(n).isOne());
  }

  @Test
  void aNodeRestartedWithTheSameIdResumesItsLocalCopyWithoutReplaying() throws Exception {
    RealtimeStore a = store("a");
    StoreNode na = node("a", a);
    await().atMost(Duration.ofSeconds(60)).until(() -> na.ownedPartitions().size() == P);
    produce(events(0, 200));
    await().atMost(Duration.ofSeconds(60)).until(() -> stored(a, na.ownedPartitions()) == 200);
    na.close();
    a.close();

    RealtimeStore again = store("a");
    StoreNode restarted = node("a", again);
    await().atMost(Duration.ofSeconds(60)).until(() -> restarted.ownedPartitions().size() == P);
    assertThat(restarted.history())
        .hasSize(P)
        .allMatch(h -> h.contains("resumed the local copy"), "resumed");
    produce(events(150, 250));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> stored(again, restarted.ownedPartitions()) == 250);
    assertThat(storedTopic(250)).hasSize(250);
  }

  @Test
  void aQuietPartitionFollowsTheClusterClockThroughTicksAndARebuildTakesTheSameSteps()
      throws Exception {
    RealtimeStore a = store("a");
    StoreNode na = node("a", a);
    await().atMost(Duration.ofSeconds(60)).until(() -> na.ownedPartitions().size() == P);
    produce(events(0, 200)); // one block in every partition
    await().atMost(Duration.ofSeconds(60)).until(() -> stored(a, na.ownedPartitions()) == 200);
    assertThat(a.stats().blocksInMemory()).isEqualTo(P);

    long later = T0 + Duration.ofHours(1).toMillis();
    List<Event> busy = new ArrayList<>();
    for (int i = 0; busy.size() < 50; i++) {
      if (EventRecords.partitionOf("late-" + i, P) == 0) {
        busy.add(
            Event.builder()
                .eventType("view")
                .insertId("late-" + i)
                .userId("late-" + i)
                .sourceId("web")
                .time(later)
                .uploadTime(later + busy.size())
                .build());
      }
    }
    produce(busy); // only partition 0 gets data an hour later; the others hear of it by ticks
    awaitClock(a, later + 49);
    assertThat(a.stats().blocksInMemory()).as("the quiet partitions sealed their blocks").isOne();
    RealtimeStore b = moveEveryPartition(a, na, "b").store();
    assertThat(b.stats().blocksInMemory()).isOne();
  }

  @Test
  void anOwnerFencedByANewerOneCannotWriteAndStoresNothingOfItsBatch() throws Exception {
    RealtimeStore old = store("old");
    RealtimeStore newer = store("newer");
    ClusterSettings s = settings("x", Role.STORE);
    int p = EventRecords.partitionOf("u1", P);
    produce(events(0, 200));
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    Properties c = StoreNode.consumerConfig(settings("reader", Role.STORE), SESSION);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader");
    c.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of("weir.events"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .records("weir.events")
                    .forEach(
                        r -> {
                          if (r.partition() == p) {
                            batch.add(r);
                          }
                        });
                return batch.size() >= 10;
              });
      try (PartitionWriter zombie = PartitionWriter.open(s, old, p);
          PartitionWriter owner = PartitionWriter.open(s, newer, p)) {
        assertThatThrownBy(() -> zombie.write(batch, consumer.groupMetadata()))
            .isInstanceOf(ProducerFencedException.class);
        assertThat(old.partitionStats(p).nextSequence()).isZero();
        assertThat(storedTopic()).isEmpty();
        owner.write(batch, consumer.groupMetadata());
        int events = (int) batch.stream().filter(r -> r.value() != null).count();
        assertThat(newer.partitionStats(p).stored()).isEqualTo(events);
        assertThat(storedTopic(events)).hasSize(events);
      }
    }
  }
}
