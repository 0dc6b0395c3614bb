package dev.weir.testkit;

import dev.weir.sdk.StreamingDestination;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

class SampleHttpDestinationConformanceTest extends StreamingDestinationConformance {
  @Override
  protected StreamingDestination newDestination() {
    return new SampleHttpDestination();
  }

  @Override
  protected Map<String, Object> settings(ConnectorHarness harness) {
    return Map.of("url", harness.server().url("/ingest").toString(), "api_token", "tok-s3cr3t-123");
  }

  @Override
  protected Optional<Set<String>> receivedInsertIds(ConnectorHarness harness) {
    Set<String> ids = new HashSet<>();
    for (String body : receivedBodies()) {
      Arrays.stream(body.replaceAll("[\\[\\]\"]", "").split(","))
          .filter(s -> !s.isEmpty())
          .forEach(ids::add);
    }
    return Optional.of(ids);
  }

  @Override
  protected Map<String, Object> settingsWithTimeout(
      ConnectorHarness harness, java.time.Duration timeout) {
    return null; // the sample has no timeout setting: the check is skipped
  }
}
