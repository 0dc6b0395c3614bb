package ${package};

import dev.weir.sdk.StreamingDestination;
import dev.weir.testkit.ConnectorHarness;
import dev.weir.testkit.StreamingDestinationConformance;
import java.time.Duration;
import java.util.Map;

/**
 * Runs the Weir conformance suite against this destination: schema completeness, start/stop, retry on outage,
 * one outcome per event, no secret in logs or outcomes, thread-safe deliver. Add your own tests beside it.
 */
class PluginDestinationConformanceTest extends StreamingDestinationConformance {
  @Override
  protected StreamingDestination newDestination() {
    return new PluginDestination();
  }

  @Override
  protected Map<String, Object> settings(ConnectorHarness harness) {
    return Map.of("url", harness.server().url("/events").toString(), "api_key", "test-api-key-123");
  }

  /** Lets the suite check that a server that stops answering is reported as RETRY. */
  @Override
  protected Map<String, Object> settingsWithTimeout(ConnectorHarness harness, Duration timeout) {
    return Map.of("url", harness.server().url("/events").toString(), "api_key", "test-api-key-123",
        "timeout_ms", timeout.toMillis());
  }
}
