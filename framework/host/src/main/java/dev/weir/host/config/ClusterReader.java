package dev.weir.host.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.cluster.ClusterSettings;
import dev.weir.cluster.ClusterSettings.Role;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the workspace's {@code cluster:} section into {@link Workspace.ClusterConfig}. Stateless.
 */
final class ClusterReader {
  /** The roles a node can take today ({@code query} is not built yet). */
  private static final Set<String> ROLES = Set.of("ingest", "store");

  private ClusterReader() {}

  /** The section, or null when there is none or it has errors (each added to {@code p}). */
  static Workspace.ClusterConfig read(
      ObjectNode root, Node top, Problems p, Workspace.StoreConfig store) {
    ObjectNode c = p.object(root, top, "cluster");
    if (c == null) {
      return null;
    }
    Node at = top.key("cluster");
    int before = p.list().size();
    String servers = p.string(c, at, "bootstrap_servers", true);
    String nodeId = p.string(c, at, "node_id", true);
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    List<String> names = p.strings(c, at, "roles");
    if (!c.has("roles")) {
      p.add(at.key("roles"), "required key missing (name ingest, store or both)");
    } else if (names.isEmpty()) {
      p.add(at.key("roles"), "name at least one of ingest, store");
    }
    for (int i = 0; i < names.size(); i++) {
      String r = names.get(i).toLowerCase(Locale.ROOT);
      if (!ROLES.contains(r)) {
        p.add(at.key("roles").index(i), "unknown role '" + names.get(i) + "' (ingest or store)");
      } else {
        roles.add(Role.valueOf(r.toUpperCase(Locale.ROOT)));
      }
    }
    int partitions = p.integer(c, at, "partitions", store.partitions(), 1, 1024);
    if (partitions != store.partitions()) {
      p.add(
          at.key("partitions"),
          "must equal store.partitions ("
              + store.partitions()
              + "): a Kafka partition is a store partition");
    }
    int rf = p.integer(c, at, "replication_factor", 3, 1, Short.MAX_VALUE);
    int isr = p.integer(c, at, "min_insync_replicas", Math.min(2, rf), 1, Short.MAX_VALUE);
    if (isr > rf) {
      p.add(
          at.key("min_insync_replicas"),
          "must not be above replication_factor (" + rf + "), not " + isr);
    }
    long ack = p.whole(c, at, "ack_timeout_ms", 10_000, 1, Integer.MAX_VALUE);
    long session = p.whole(c, at, "session_timeout_ms", 10_000, 1, Integer.MAX_VALUE);
    String group = WorkspaceLoader.orElse(p.string(c, at, "group", false), "weir");
    String prefix = WorkspaceLoader.orElse(p.string(c, at, "topic_prefix", false), "weir");
    if (p.list().size() > before) {
      return null;
    }
    try {
      ClusterSettings s =
          ClusterSettings.builder()
              .bootstrapServers(servers)
              .group(group)
              .topicPrefix(prefix)
              .nodeId(nodeId)
              .roles(roles)
              .partitions(partitions)
              .replicationFactor(rf)
              .minInsyncReplicas(isr)
              .ackTimeout(Duration.ofMillis(ack))
              .build();
      return new Workspace.ClusterConfig(s, Duration.ofMillis(session));
    } catch (IllegalArgumentException e) {
      p.add(at, e.getMessage().replaceFirst("^cluster\\.", ""));
      return null;
    }
  }
}
