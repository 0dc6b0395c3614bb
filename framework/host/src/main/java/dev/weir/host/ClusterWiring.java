package dev.weir.host;

import dev.weir.cluster.ClusterException;
import dev.weir.cluster.ClusterSettings;
import dev.weir.cluster.ClusterSettings.Role;
import dev.weir.cluster.ClusterTopics;
import dev.weir.cluster.EventsProducer;
import dev.weir.cluster.StoreNode;
import dev.weir.host.config.Workspace;
import dev.weir.realtime.RealtimeStore;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's part in a cluster (the workspace's {@code cluster:} section): checks the topics, then
 * opens the ingest role's {@link EventsProducer} and starts the store role's {@link StoreNode} on
 * the host's store. Closed by {@link HostComponents#close}. Not thread-safe.
 */
final class ClusterWiring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Weir.class);

  final ClusterSettings settings;

  /** The ingest role's producer, or null without that role. */
  final EventsProducer producer;

  /** The store role's node, or null without that role. */
  StoreNode storeNode;

  private ClusterWiring(ClusterSettings settings, EventsProducer producer) {
    this.settings = settings;
    this.producer = producer;
  }

  /**
   * Checks the cluster's topics against the workspace and opens the ingest role's producer.
   *
   * @throws Weir.StartException naming every way the topics disagree, or when Kafka cannot be
   *     reached
   */
  static ClusterWiring open(Workspace.ClusterConfig c) throws Weir.StartException {
    ClusterSettings s = c.settings();
    List<String> problems;
    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                s.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000))) {
      problems = ClusterTopics.check(admin, s);
    } catch (ClusterException e) {
      throw new Weir.StartException("cluster: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new Weir.StartException(
          "cluster: cannot reach Kafka at " + s.bootstrapServers() + ": " + e, e);
    }
    if (!problems.isEmpty()) {
      throw new Weir.StartException(
          "cluster: the topics disagree with the workspace ("
              + String.join("; ", problems)
              + "); create or fix them with `weir cluster init`, see docs/cluster.md",
          null);
    }
    EventsProducer producer = null;
    if (s.has(Role.INGEST)) {
      try {
        producer = EventsProducer.open(s);
      } catch (ClusterException e) {
        throw new Weir.StartException("cluster: " + e.getMessage(), e);
      }
    }
    LOG.info(
        "Cluster '{}' node '{}' roles {} at {}",
        s.group(),
        s.nodeId(),
        s.roles(),
        s.bootstrapServers());
    return new ClusterWiring(s, producer);
  }

  /** Starts the store role on {@code store}, when this node has it. */
  void startStore(RealtimeStore store, Workspace.ClusterConfig c) throws Weir.StartException {
    if (!settings.has(Role.STORE)) {
      return;
    }
    try {
      storeNode = StoreNode.start(settings, store, c.sessionTimeout());
    } catch (RuntimeException e) {
      throw new Weir.StartException("cluster: the store node did not start: " + e.getMessage(), e);
    }
  }

  /** Stops the store node (its partitions move) and the producer; never throws. */
  @Override
  public void close() {
    if (storeNode != null) {
      try {
        storeNode.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        LOG.warn("Cluster store node did not stop cleanly: {}", e.toString());
      }
    }
    if (producer != null) {
      try {
        producer.close();
      } catch (RuntimeException e) {
        LOG.warn("Cluster producer did not close cleanly: {}", e.toString());
      }
    }
  }
}
