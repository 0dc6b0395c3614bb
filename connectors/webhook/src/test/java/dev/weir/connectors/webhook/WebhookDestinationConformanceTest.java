package dev.weir.connectors.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.StreamingDestination;
import dev.weir.testkit.ConnectorHarness;
import dev.weir.testkit.StreamingDestinationConformance;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook destination runs the test kit's conformance suite against the harness's
 * MockWebServer.
 */
class WebhookDestinationConformanceTest extends StreamingDestinationConformance {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected StreamingDestination newDestination() {
    return new WebhookDestination();
  }

  @Override
  protected Map<String, Object> settings(ConnectorHarness harness) {
    return Map.of(
        "url",
        harness.server().url("/hook").toString(),
        "headers",
        Map.of("Authorization", "Bearer wh-s3cr3t-token"),
        "read_timeout_ms",
        5000);
  }

  @Override
  protected Optional<Set<String>> receivedInsertIds(ConnectorHarness harness) throws Exception {
    Set<String> ids = new HashSet<>();
    for (String body : receivedBodies()) {
      for (JsonNode e : JSON.readTree(body).path("events")) {
        ids.add(e.path("insert_id").asText());
      }
    }
    return Optional.of(ids);
  }

  @Override
  protected Map<String, Object> settingsWithTimeout(ConnectorHarness harness, Duration timeout) {
    return Map.of(
        "url",
        harness.server().url("/hook").toString(),
        "headers",
        Map.of("Authorization", "Bearer wh-s3cr3t-token"),
        "read_timeout_ms",
        timeout.toMillis());
  }
}
