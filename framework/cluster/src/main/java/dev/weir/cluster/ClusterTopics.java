package dev.weir.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The cluster's three topics: what {@code weir cluster init} creates and what a node checks before
 * it starts. Every topic has the cluster's partition count (a Kafka partition is a store partition,
 * so it never changes), the configured replication factor and {@code min.insync.replicas}, and no
 * unclean leader election; {@code .state} is compacted. Stateless.
 */
public final class ClusterTopics {
  static final long EVENTS_RETENTION_MS = TimeUnit.DAYS.toMillis(2);
  static final long STORED_RETENTION_MS = TimeUnit.DAYS.toMillis(4);
  private static final long TIMEOUT_S = 30;
  private static final String MISSING = " does not exist: run `weir cluster init`";

  private ClusterTopics() {}

  /** Topic name to its configuration, in creation order. */
  static Map<String, Map<String, String>> wanted(ClusterSettings s) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    out.put(s.eventsTopic(), configs(s, TopicConfig.CLEANUP_POLICY_DELETE, EVENTS_RETENTION_MS));
    out.put(s.storedTopic(), configs(s, TopicConfig.CLEANUP_POLICY_DELETE, STORED_RETENTION_MS));
    out.put(s.stateTopic(), configs(s, TopicConfig.CLEANUP_POLICY_COMPACT, -1));
    return out;
  }

  private static Map<String, String> configs(ClusterSettings s, String cleanup, long retentionMs) {
    Map<String, String> c = new HashMap<>();
    c.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanup);
    c.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(s.minInsyncReplicas()));
    c.put(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false");
    if (retentionMs > 0) {
      c.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
    }
    return c;
  }

  /**
   * Creates the topics that do not exist and checks the ones that do. Running it again is safe.
   *
   * @return one line per topic: created, or already there
   * @throws ClusterException when Kafka cannot be reached, or an existing topic disagrees (the
   *     message lists every disagreement)
   */
  public static List<String> init(Admin admin, ClusterSettings s) {
    List<String> report = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> t : wanted(s).entrySet()) {
      NewTopic topic =
          new NewTopic(t.getKey(), s.partitions(), s.replicationFactor()).configs(t.getValue());
      try {
        admin.createTopics(List.of(topic)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        report.add(
            "created "
                + t.getKey()
                + " ("
                + s.partitions()
                + " partitions, replication factor "
                + s.replicationFactor()
                + ", "
                + t.getValue().get(TopicConfig.CLEANUP_POLICY_CONFIG)
                + ")");
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new ClusterException("creating topic " + t.getKey() + ": " + e.getCause(), e);
        }
        report.add("exists  " + t.getKey());
      } catch (InterruptedException | TimeoutException e) {
        throw unreachable(s, e);
      }
    }
    List<String> problems = check(admin, s);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (problems.stream().anyMatch(p -> p.endsWith(MISSING)) && System.nanoTime() < deadline) {
      // a topic just created reaches the metadata every broker serves a moment later
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw unreachable(s, e);
      }
      problems = check(admin, s);
    }
    if (!problems.isEmpty()) {
      throw new ClusterException(String.join("\n", problems));
    }
    return report;
  }

  /**
   * What is wrong with the cluster's topics for these settings; empty when a node may start.
   *
   * @throws ClusterException when Kafka cannot be reached
   */
  public static List<String> check(Admin admin, ClusterSettings s) {
    Map<String, Map<String, String>> wanted = wanted(s);
    List<String> problems = new ArrayList<>();
    try {
      for (String name : wanted.keySet()) {
        TopicDescription d;
        try {
          d =
              admin
                  .describeTopics(List.of(name))
                  .allTopicNames()
                  .get(TIMEOUT_S, TimeUnit.SECONDS)
                  .get(name);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof UnknownTopicOrPartitionException) {
            problems.add("topic " + name + MISSING);
            continue;
          }
          throw new ClusterException("describing topic " + name + ": " + e.getCause(), e);
        }
        int n = d.partitions().size();
        if (n != s.partitions()) {
          problems.add(
              "topic "
                  + name
                  + " has "
                  + n
                  + " partitions but cluster.partitions is "
                  + s.partitions()
                  + " (a Kafka partition is a store partition: the count is fixed when the"
                  + " cluster is created)");
        }
        int rf = d.partitions().get(0).replicas().size();
        if (rf < s.replicationFactor()) {
          problems.add(
              "topic "
                  + name
                  + " has replication factor "
                  + rf
                  + " but cluster.replication_factor is "
                  + s.replicationFactor());
        }
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, name);
        Config c = admin.describeConfigs(List.of(r)).all().get(TIMEOUT_S, TimeUnit.SECONDS).get(r);
        String want = wanted.get(name).get(TopicConfig.CLEANUP_POLICY_CONFIG);
        String have = c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!want.equals(have)) {
          problems.add("topic " + name + " has cleanup.policy=" + have + " but must have " + want);
        }
        int isr = Integer.parseInt(c.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
        if (isr < s.minInsyncReplicas()) {
          problems.add(
              "topic "
                  + name
                  + " has min.insync.replicas="
                  + isr
                  + " but cluster.min_insync_replicas is "
                  + s.minInsyncReplicas());
        }
      }
    } catch (ExecutionException e) {
      throw new ClusterException("reading topic configs: " + e.getCause(), e);
    } catch (InterruptedException | TimeoutException e) {
      throw unreachable(s, e);
    }
    return problems;
  }

  private static ClusterException unreachable(ClusterSettings s, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new ClusterException(
        "Kafka at " + s.bootstrapServers() + " did not answer within " + TIMEOUT_S + " s", e);
  }
}
