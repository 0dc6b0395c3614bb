package dev.weir.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.cluster.ClusterSettings.Role;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
  private static ClusterSettings.Builder valid() {
    return ClusterSettings.builder()
        .bootstrapServers("k1:9092")
        .nodeId("n1")
        .roles(Set.of(Role.INGEST));
  }

  @Test
  void defaultsAreThreeReplicasTwoInSyncAndTopicsNamedByThePrefix() {
    ClusterSettings s = valid().topicPrefix("acme").build();
    assertThat(s.replicationFactor()).isEqualTo((short) 3);
    assertThat(s.minInsyncReplicas()).isEqualTo(2);
    assertThat(s.group()).isEqualTo("weir");
    assertThat(s.eventsTopic()).isEqualTo("acme.events");
    assertThat(s.storedTopic()).isEqualTo("acme.stored");
    assertThat(s.stateTopic()).isEqualTo("acme.state");
  }

  @Test
  void eachWrongSettingIsNamedByItsKey() {
    assertThatThrownBy(() -> valid().bootstrapServers(" ").build())
        .hasMessage("cluster.bootstrap_servers is required");
    assertThatThrownBy(() -> valid().roles(Set.of()).build()).hasMessageContaining("cluster.roles");
    assertThatThrownBy(() -> valid().replicationFactor(1).build())
        .hasMessageContaining("cluster.min_insync_replicas must be between 1 and")
        .hasMessageContaining("was 2");
    assertThatThrownBy(() -> valid().partitions(0).build())
        .hasMessageContaining("cluster.partitions");
  }
}
