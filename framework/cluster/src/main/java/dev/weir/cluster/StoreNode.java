package dev.weir.cluster;

import dev.weir.cluster.ClusterSettings.Role;
import dev.weir.realtime.RealtimeStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store role: this node's share of the events topic, deduplicated and stored exactly as the
 * single-node store would, one fenced writer per owned partition ({@link PartitionWriter}). Store
 * nodes form one consumer group ({@code <group>-store}) with static membership ({@code
 * group.instance.id} = node id) and cooperative sticky assignment, so a restart with the same id
 * keeps its partitions and a move touches only the partitions that move. One poll thread does all
 * the work; the store must be opened with independent partitions and the cluster's partition count.
 */
public final class StoreNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreNode.class);

  private final ClusterSettings settings;
  private final RealtimeStore store;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<Integer, PartitionWriter> owned = new ConcurrentHashMap<>();

  /** Assigned, paused until their writer is open (taken over outside the rebalance callback). */
  private final Set<Integer> pending = ConcurrentHashMap.newKeySet();

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closing;
  private volatile boolean leave;

  private StoreNode(ClusterSettings settings, RealtimeStore store, Duration sessionTimeout) {
    this.settings = settings;
    this.store = store;
    this.consumer = new KafkaConsumer<>(consumerConfig(settings, sessionTimeout));
    this.thread = new Thread(this::run, "weir-store-node-" + settings.nodeId());
  }

  static Properties consumerConfig(ClusterSettings s, Duration sessionTimeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, storeGroup(s));
    p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, s.nodeId());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "weir-store-" + s.nodeId());
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionTimeout.toMillis()));
    p.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        Long.toString(Math.max(100, sessionTimeout.toMillis() / 5)));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  /** The store nodes' consumer group. */
  static String storeGroup(ClusterSettings s) {
    return s.group() + "-store";
  }

  /**
   * Joins the store nodes' group and starts taking partitions.
   *
   * @param sessionTimeout how long the group waits for a silent node (a crashed or paused one)
   *     before its partitions move; a restart within it keeps them
   * @throws IllegalArgumentException when this node has no store role or the store does not match
   *     the cluster's partition count
   */
  public static StoreNode start(ClusterSettings s, RealtimeStore store, Duration sessionTimeout) {
    if (!s.has(Role.STORE)) {
      throw new IllegalArgumentException("cluster.roles has no store role");
    }
    if (store.partitionCount() != s.partitions()) {
      throw new IllegalArgumentException(
          "the store has "
              + store.partitionCount()
              + " partitions but cluster.partitions is "
              + s.partitions());
    }
    StoreNode node = new StoreNode(s, store, sessionTimeout);
    node.thread.start();
    return node;
  }

  /** The partitions this node owns and writes now (taken over, not still restoring). */
  public Set<Integer> ownedPartitions() {
    return new TreeSet<>(owned.keySet());
  }

  /**
   * What happened to partitions on this node, oldest first: each take-over (resumed, caught up or
   * rebuilt, from which offset) and each loss.
   */
  public List<String> history() {
    return List.copyOf(events);
  }

  private void note(String line) {
    events.add(line);
    log.info("store node {}: {}", settings.nodeId(), line);
  }

  private final ConsumerRebalanceListener listener =
      new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> parts) {
          consumer.pause(parts);
          parts.forEach(tp -> pending.add(tp.partition()));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> parts) {
          for (TopicPartition tp : parts) {
            drop(tp.partition(), "revoked");
          }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> parts) {
          for (TopicPartition tp : parts) {
            drop(tp.partition(), "lost");
          }
        }
      };

  private void drop(int p, String why) {
    pending.remove(p);
    PartitionWriter w = owned.remove(p);
    if (w != null) {
      w.close();
      note("p" + p + " " + why);
    }
  }

  private void run() {
    try {
      consumer.subscribe(List.of(settings.eventsTopic()), listener);
      while (!closing) {
        takeOverPending();
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(100));
        for (TopicPartition tp : polled.partitions()) {
          write(tp, polled);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("store node {} stopped", settings.nodeId(), e);
      note("stopped: " + e);
    } finally {
      for (Integer p : List.copyOf(owned.keySet())) {
        drop(p, "closed");
      }
      consumer.close(
          leave
              ? CloseOptions.groupMembershipOperation(
                  CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              : CloseOptions.groupMembershipOperation(
                  CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
      stopped.countDown();
    }
  }

  private void takeOverPending() {
    for (Integer p : List.copyOf(pending)) {
      TopicPartition tp = new TopicPartition(settings.eventsTopic(), p);
      try {
        PartitionWriter w = PartitionWriter.open(settings, store, p);
        if (pending.remove(p)) {
          owned.put(p, w);
          note("p" + p + " taken over: " + w.restore());
          consumer.resume(List.of(tp));
        } else {
          w.close(); // revoked while it was being taken over
        }
      } catch (ProducerFencedException e) {
        pending.remove(p);
        note("p" + p + " fenced during take-over");
      } catch (IOException | KafkaException | IllegalStateException e) {
        note("p" + p + " take-over failed, retrying: " + e);
      }
    }
  }

  private void write(TopicPartition tp, ConsumerRecords<byte[], byte[]> polled) {
    int p = tp.partition();
    PartitionWriter w = owned.get(p);
    if (w == null) {
      return; // dropped during this poll
    }
    try {
      w.write(polled.records(tp), consumer.groupMetadata());
    } catch (ProducerFencedException e) {
      // a newer owner holds the partition: stop writing it; the group revokes it from us
      drop(p, "fenced by a newer owner");
      consumer.pause(List.of(tp));
    } catch (IOException | KafkaException e) {
      // nothing of the batch is stored here; take the partition over again from Kafka's state
      drop(p, "write failed, taking over again: " + e);
      consumer.pause(List.of(tp));
      rewind(tp);
      pending.add(p);
    }
  }

  /** Moves the consumer back to the partition's last committed offset. */
  private void rewind(TopicPartition tp) {
    OffsetAndMetadata committed = consumer.committed(Set.of(tp)).get(tp);
    if (committed == null) {
      consumer.seekToBeginning(List.of(tp));
    } else {
      consumer.seek(tp, committed.offset());
    }
  }

  /**
   * Stops and leaves the group, so its partitions move to the other store nodes at once (a node
   * being removed). {@link #close} instead keeps its membership until the session timeout, so a
   * restart with the same node id gets its partitions back without a move.
   */
  public void leaveGroup() throws InterruptedException {
    leave = true;
    close();
  }

  @Override
  public void close() throws InterruptedException {
    if (stopped.getCount() == 0) {
      return;
    }
    closing = true;
    consumer.wakeup();
    stopped.await();
  }

  @Override
  public String toString() {
    return "StoreNode " + settings.nodeId() + " owning " + new ArrayList<>(owned.keySet());
  }
}
