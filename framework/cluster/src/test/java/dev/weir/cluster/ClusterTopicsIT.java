package dev.weir.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.cluster.ClusterSettings.Role;
import dev.weir.testsupport.EmbeddedKafka;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClusterTopicsIT {
  static EmbeddedKafka kafka;
  static Admin admin;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    admin = kafka.admin();
  }

  @AfterAll
  static void stop() {
    admin.close();
    kafka.close();
  }

  static ClusterSettings settings(String prefix, int partitions) {
    return ClusterSettings.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .nodeId("n1")
        .roles(Set.of(Role.INGEST, Role.STORE))
        .topicPrefix(prefix)
        .partitions(partitions)
        .replicationFactor(1)
        .minInsyncReplicas(1)
        .build();
  }

  private static Config config(String topic) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
  }

  @Test
  void initCreatesTheThreeTopicsWithTheClusterPartitionCountAndACompactedStateTopic()
      throws Exception {
    ClusterSettings s = settings("t1", 4);
    assertThat(ClusterTopics.init(admin, s))
        .containsExactly(
            "created t1.events (4 partitions, replication factor 1, delete)",
            "created t1.stored (4 partitions, replication factor 1, delete)",
            "created t1.state (4 partitions, replication factor 1, compact)");
    Map<String, TopicDescription> d =
        admin
            .describeTopics(List.of("t1.events", "t1.stored", "t1.state"))
            .allTopicNames()
            .get(30, TimeUnit.SECONDS);
    assertThat(d.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(4));
    assertThat(config("t1.state").get("cleanup.policy").value()).isEqualTo("compact");
    assertThat(config("t1.events").get("retention.ms").value()).isEqualTo("172800000");
    assertThat(config("t1.stored").get("unclean.leader.election.enable").value())
        .isEqualTo("false");

    assertThat(ClusterTopics.init(admin, s))
        .as("running init again changes nothing")
        .containsExactly("exists  t1.events", "exists  t1.stored", "exists  t1.state");
    assertThat(ClusterTopics.check(admin, s)).isEmpty();
  }

  @Test
  void aNodeIsToldExactlyHowTheTopicsDisagreeWithItsSettings() throws Exception {
    kafka.createTopic("t2.events", 3);
    ClusterSettings s = settings("t2", 4);
    assertThat(ClusterTopics.check(admin, s))
        .containsExactly(
            "topic t2.events has 3 partitions but cluster.partitions is 4 (a Kafka partition is a"
                + " store partition: the count is fixed when the cluster is created)",
            "topic t2.stored does not exist: run `weir cluster init`",
            "topic t2.state does not exist: run `weir cluster init`");
    assertThatThrownBy(() -> ClusterTopics.init(admin, s))
        .isInstanceOf(ClusterException.class)
        .hasMessage(
            "topic t2.events has 3 partitions but cluster.partitions is 4 (a Kafka partition is a"
                + " store partition: the count is fixed when the cluster is created)");
  }
}
