package dev.weir.connectors.kafka;

import dev.weir.sdk.StreamingDestination;
import dev.weir.testkit.ConnectorHarness;
import dev.weir.testkit.StreamingDestinationConformance;
import dev.weir.testsupport.EmbeddedKafka;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The kafka destination runs the test kit's conformance suite against a real in-process broker. */
class KafkaDestinationConformanceIT extends StreamingDestinationConformance {
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
  }

  @Override
  protected StreamingDestination newDestination() {
    return new KafkaDestination();
  }

  @Override
  protected Map<String, Object> settings(ConnectorHarness harness) {
    return Map.of(
        "bootstrap_servers",
        kafka.bootstrapServers(),
        "topic",
        "conformance",
        "request_timeout_ms",
        2000,
        "delivery_timeout_ms",
        2500,
        "send_timeout_ms",
        3000,
        "producer_properties",
        Map.of("weir.conformance.secret", "kafka-s3cr3t-value"));
  }

  /**
   * Not broken here: shutting the in-process broker down under a connected producer takes minutes,
   * and a running producer cannot be pointed elsewhere.
   * KafkaDestinationIT#unreachableClusterMeansRetryNotRejection covers the outage (an unreachable
   * cluster is reported as RETRY).
   */
  @Override
  protected boolean breakBackend(ConnectorHarness harness) {
    return false;
  }
}
