package dev.weir.cluster;

import dev.weir.cluster.PartitionLog.Batch;
import dev.weir.cluster.PartitionLog.Checkpoint;
import dev.weir.realtime.AppendResult;
import dev.weir.realtime.PartitionStats;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StagedAppend;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The single, fenced writer of one owned partition. {@link #open} takes the partition over: its
 * transactional producer ({@code transactional.id = <group>-p<N>}) fences any earlier owner and
 * aborts that owner's open transaction, then the local copy is resumed, caught up or rebuilt from
 * the stored topic to the partition's checkpoint. {@link #write} stages a polled batch, commits the
 * stored records, the checkpoint and the consumed offset in one transaction, and only then applies
 * the stage to the local store, so the local copy is never ahead of Kafka. Used by one thread (the
 * store node's poll loop).
 */
final class PartitionWriter implements AutoCloseable {
  private final ClusterSettings settings;
  private final RealtimeStore store;
  private final int partition;
  private final KafkaProducer<byte[], byte[]> producer;

  /** First sequence of a batch that created a block → its first record's offset in stored/p. */
  private final TreeMap<Long, Long> anchors = new TreeMap<>();

  private final String restore;

  private PartitionWriter(
      ClusterSettings settings,
      RealtimeStore store,
      int partition,
      KafkaProducer<byte[], byte[]> producer,
      String restore) {
    this.settings = settings;
    this.store = store;
    this.partition = partition;
    this.producer = producer;
    this.restore = restore;
  }

  static String transactionalId(ClusterSettings s, int partition) {
    return s.group() + "-p" + partition;
  }

  /**
   * Fences the partition's previous writer and brings the local copy to the partition's last
   * committed state.
   *
   * @throws ProducerFencedException when a newer owner took the partition meanwhile
   */
  static PartitionWriter open(ClusterSettings s, RealtimeStore store, int partition)
      throws IOException {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "weir-store-" + s.nodeId() + "-p" + partition);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(s, partition));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
    try {
      producer.initTransactions();
      Checkpoint cp = readCheckpoint(s, partition);
      PartitionWriter w =
          new PartitionWriter(s, store, partition, producer, takeOver(s, store, partition, cp));
      if (cp == null) {
        w.anchors.put(0L, PartitionLog.FROM_START);
      } else {
        w.anchors.put(cp.replayFromSequence(), cp.replayFromOffset());
      }
      return w;
    } catch (IOException | RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
  }

  /** How the local copy was brought up to date, for the node's status and the log. */
  String restore() {
    return restore;
  }

  int partition() {
    return partition;
  }

  private static String takeOver(ClusterSettings s, RealtimeStore store, int p, Checkpoint cp)
      throws IOException {
    long local = store.nextSequence(p);
    if (cp == null) {
      if (local == 0) {
        return "new";
      }
      store.resetPartition(p);
      return "reset: the log is empty but the local copy held " + local + " events";
    }
    if (local == cp.nextSequence()) {
      store.restoreCounters(p, cp.stored(), cp.duplicates());
      store.followClock(p, cp.clock()); // a local copy recovers its clock from its events only
      return "resumed the local copy at sequence " + local;
    }
    String how;
    if (local > cp.nextSequence() || local < cp.replayFromSequence()) {
      store.resetPartition(p);
      how = "rebuilt";
    } else if (local == 0) {
      how = "rebuilt";
    } else {
      how = "caught up from sequence " + local;
    }
    int n = replay(s, store, p, cp.replayFromOffset());
    if (store.nextSequence(p) != cp.nextSequence()) {
      throw new IOException(
          "p"
              + p
              + ": the stored topic ends at sequence "
              + store.nextSequence(p)
              + " but the checkpoint says "
              + cp.nextSequence());
    }
    store.restoreCounters(p, cp.stored(), cp.duplicates());
    store.followClock(p, cp.clock());
    return how
        + " from the stored topic (offset "
        + cp.replayFromOffset()
        + ", "
        + n
        + " events applied) to sequence "
        + cp.nextSequence();
  }

  private static Properties readerConfig(ClusterSettings s) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  /** Reads state/p to its end (read committed) and returns the partition's last checkpoint. */
  static Checkpoint readCheckpoint(ClusterSettings s, int p) {
    byte[] key = PartitionLog.checkpointKey(p);
    Checkpoint last = null;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(readerConfig(s))) {
      TopicPartition tp = new TopicPartition(s.stateTopic(), p);
      for (ConsumerRecord<byte[], byte[]> r : readToEnd(c, tp, PartitionLog.FROM_START)) {
        if (Arrays.equals(r.key(), key) && r.value() != null) {
          last = Checkpoint.parse(r.value());
        }
      }
    }
    return last;
  }

  /** Applies stored/p from {@code fromOffset} to its end, batch by batch, as it was applied. */
  private static int replay(ClusterSettings s, RealtimeStore store, int p, long fromOffset)
      throws IOException {
    int applied = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(readerConfig(s))) {
      TopicPartition tp = new TopicPartition(s.storedTopic(), p);
      Batch batch = null;
      List<byte[]> records = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : readToEnd(c, tp, fromOffset)) {
        long step = PartitionLog.clockOf(r.value(), r.headers());
        if (step >= 0) {
          store.followClock(p, step); // written after its transaction's batch, so it is complete
          continue;
        }
        Batch starts = PartitionLog.batchOf(r.headers());
        if (starts != null) {
          batch = starts;
          records.clear();
        }
        if (batch == null) {
          continue; // the tail of a batch that began before the replay's start
        }
        records.add(r.value());
        if (records.size() == batch.records()) {
          applied +=
              store.replay(p, batch.clockBefore(), batch.firstSequence(), List.copyOf(records));
          batch = null;
        }
      }
    }
    return applied;
  }

  /** Every committed record of one topic partition from an offset to the end it had on entry. */
  private static List<ConsumerRecord<byte[], byte[]>> readToEnd(
      KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long fromOffset) {
    c.assign(List.of(tp));
    if (fromOffset == PartitionLog.FROM_START) {
      c.seekToBeginning(List.of(tp));
    } else {
      c.seek(tp, fromOffset);
    }
    long end = c.endOffsets(List.of(tp)).get(tp);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    while (c.position(tp) < end) {
      c.poll(Duration.ofMillis(200)).records(tp).forEach(out::add);
    }
    return out;
  }

  /**
   * Stores one polled batch of the partition: stage its events, one transaction (stored records, a
   * clock step when the batch's ticks move the partition's clock beyond its events, checkpoint,
   * consumed offset), then apply. On any failure nothing of the batch is stored locally; the caller
   * gives the partition up on {@link ProducerFencedException} and otherwise re-reads the batch.
   *
   * @return the events' results (stored with sequence, or duplicate), in input order, ticks left
   *     out
   */
  List<AppendResult> write(List<ConsumerRecord<byte[], byte[]>> polled, ConsumerGroupMetadata group)
      throws IOException {
    List<byte[]> values = new ArrayList<>(polled.size());
    long tick = -1;
    for (ConsumerRecord<byte[], byte[]> r : polled) {
      long clock = PartitionLog.clockOf(r.value(), r.headers());
      if (clock >= 0) {
        tick = Math.max(tick, clock);
      } else if (r.value() != null) {
        values.add(r.value());
      }
    }
    PartitionStats before = store.partitionStats(partition);
    long scope = store.scopeSequence(partition);
    StagedAppend stage = values.isEmpty() ? null : store.stage(partition, values);
    long clock = stage == null ? store.clock(partition) : stage.clockAfter();
    boolean step = tick > clock;
    Future<RecordMetadata> first = null;
    try {
      producer.beginTransaction();
      List<byte[]> stored = stage == null ? List.of() : stage.storedRecords();
      for (int i = 0; i < stored.size(); i++) {
        RecordHeaders headers = new RecordHeaders();
        if (i == 0) {
          headers.add(
              PartitionLog.BATCH,
              PartitionLog.batchHeader(stage.firstSequence(), stage.clockBefore(), stored.size()));
        }
        Future<RecordMetadata> f =
            producer.send(
                new ProducerRecord<>(
                    settings.storedTopic(), partition, (byte[]) null, stored.get(i), headers));
        if (i == 0) {
          first = f;
        }
      }
      if (step) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(PartitionLog.CLOCK, PartitionLog.clockHeader(tick));
        producer.send(
            new ProducerRecord<>(
                settings.storedTopic(), partition, (byte[]) null, (byte[]) null, headers));
      }
      Map.Entry<Long, Long> anchor = anchors.floorEntry(scope);
      Checkpoint cp =
          new Checkpoint(
              stage == null ? before.nextSequence() : stage.nextSequence(),
              anchor.getKey(),
              anchor.getValue(),
              before.stored() + stored.size(),
              before.duplicates() + (stage == null ? 0 : stage.duplicates()),
              Math.max(clock, tick));
      producer.send(
          new ProducerRecord<>(
              settings.stateTopic(), partition, PartitionLog.checkpointKey(partition), cp.bytes()));
      long next = polled.get(polled.size() - 1).offset() + 1;
      producer.sendOffsetsToTransaction(
          Map.of(
              new TopicPartition(settings.eventsTopic(), partition), new OffsetAndMetadata(next)),
          group);
      producer.commitTransaction();
    } catch (ProducerFencedException e) {
      discard(stage);
      throw e;
    } catch (InvalidProducerEpochException e) {
      // Since KIP-588 a producer whose epoch was bumped by a newer owner's initTransactions can
      // learn it from a send as this exception instead: it is the same fencing.
      discard(stage);
      throw new ProducerFencedException("p" + partition + " has a newer owner: " + e.getMessage());
    } catch (KafkaException e) {
      discard(stage);
      producer.abortTransaction();
      throw e;
    }
    if (stage != null) {
      stage.apply();
      if (first != null && stage.createsBlock()) {
        try {
          anchors.put(stage.firstSequence(), first.get().offset());
        } catch (InterruptedException | ExecutionException e) {
          throw new IllegalStateException("a committed send has no offset", e);
        }
      }
    }
    if (step) {
      store.followClock(partition, tick);
    }
    anchors.headMap(anchors.floorKey(store.scopeSequence(partition))).clear();
    return stage == null ? List.of() : stage.results();
  }

  private static void discard(StagedAppend stage) {
    if (stage != null) {
      stage.discard();
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
