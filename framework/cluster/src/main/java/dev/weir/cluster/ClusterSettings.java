package dev.weir.cluster;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the workspace's {@code cluster:} section says: where Kafka is, which group and node this is,
 * the node's roles, and the shape of the cluster's topics. Immutable; build with {@link #builder}.
 */
public final class ClusterSettings {
  /** What a node does; any combination, one jar. */
  public enum Role {
    /** Runs the HTTP APIs and governance and produces to the events topic; holds no data. */
    INGEST,
    /** Owns partitions: deduplicates, stores, delivers and exports them. */
    STORE,
    /** Answers queries by scattering them to the partitions' owners. */
    QUERY
  }

  private final String bootstrapServers;
  private final String group;
  private final String nodeId;
  private final Set<Role> roles;
  private final String topicPrefix;
  private final int partitions;
  private final short replicationFactor;
  private final int minInsyncReplicas;
  private final Duration ackTimeout;

  private ClusterSettings(Builder b) {
    this.bootstrapServers = require(b.bootstrapServers, "bootstrap_servers");
    this.group = require(b.group, "group");
    this.nodeId = require(b.nodeId, "node_id");
    this.roles = Set.copyOf(b.roles);
    this.topicPrefix = require(b.topicPrefix, "topic_prefix");
    this.partitions = b.partitions;
    this.replicationFactor = b.replicationFactor;
    this.minInsyncReplicas = b.minInsyncReplicas;
    this.ackTimeout = b.ackTimeout;
    if (roles.isEmpty()) {
      throw new IllegalArgumentException(
          "cluster.roles: name at least one of ingest, store, query");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "cluster.partitions must be at least 1, was " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "cluster.replication_factor must be at least 1, was " + replicationFactor);
    }
    if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
      throw new IllegalArgumentException(
          "cluster.min_insync_replicas must be between 1 and replication_factor ("
              + replicationFactor
              + "), was "
              + minInsyncReplicas);
    }
    if (ackTimeout.isNegative() || ackTimeout.isZero()) {
      throw new IllegalArgumentException("cluster.ack_timeout_ms must be positive");
    }
  }

  private static String require(String value, String key) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("cluster." + key + " is required");
    }
    return value;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Kafka's {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The cluster's name: its consumer group and the prefix of its transactional ids. */
  public String group() {
    return group;
  }

  /** This node's stable id (its static group membership). */
  public String nodeId() {
    return nodeId;
  }

  public Set<Role> roles() {
    return roles;
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public String topicPrefix() {
    return topicPrefix;
  }

  /** Partitions of every cluster topic: the store's partitions; fixed at {@code cluster init}. */
  public int partitions() {
    return partitions;
  }

  public short replicationFactor() {
    return replicationFactor;
  }

  public int minInsyncReplicas() {
    return minInsyncReplicas;
  }

  /** How long ingest waits for Kafka's {@code acks=all} before it answers 503. */
  public Duration ackTimeout() {
    return ackTimeout;
  }

  /** {@code <prefix>.events}: governed events, keyed and partitioned by identity. */
  public String eventsTopic() {
    return topicPrefix + ".events";
  }

  /** {@code <prefix>.stored}: the deduplicated events, each partition's log. */
  public String storedTopic() {
    return topicPrefix + ".stored";
  }

  /** {@code <prefix>.state} (compacted): checkpoints, cursors, dead letters, owners. */
  public String stateTopic() {
    return topicPrefix + ".state";
  }

  /** Builds {@link ClusterSettings}; defaults: group and prefix {@code weir}, RF 3, ISR 2, 10 s. */
  public static final class Builder {
    private String bootstrapServers;
    private String group = "weir";
    private String nodeId;
    private Set<Role> roles = EnumSet.noneOf(Role.class);
    private String topicPrefix = "weir";
    private int partitions = 12;
    private short replicationFactor = 3;
    private int minInsyncReplicas = 2;
    private Duration ackTimeout = Duration.ofSeconds(10);

    private Builder() {}

    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = servers;
      return this;
    }

    public Builder group(String group) {
      this.group = group;
      return this;
    }

    public Builder nodeId(String nodeId) {
      this.nodeId = nodeId;
      return this;
    }

    public Builder roles(Set<Role> roles) {
      this.roles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
      return this;
    }

    public Builder topicPrefix(String prefix) {
      this.topicPrefix = prefix;
      return this;
    }

    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    public Builder replicationFactor(int replicationFactor) {
      this.replicationFactor = (short) replicationFactor;
      return this;
    }

    public Builder minInsyncReplicas(int minInsyncReplicas) {
      this.minInsyncReplicas = minInsyncReplicas;
      return this;
    }

    public Builder ackTimeout(Duration timeout) {
      this.ackTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the {@code cluster.} key that is wrong
     */
    public ClusterSettings build() {
      return new ClusterSettings(this);
    }
  }
}
