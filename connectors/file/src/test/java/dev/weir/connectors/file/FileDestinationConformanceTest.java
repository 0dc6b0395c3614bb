package dev.weir.connectors.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.StreamingDestination;
import dev.weir.testkit.ConnectorHarness;
import dev.weir.testkit.StreamingDestinationConformance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The file destination passes the test kit's conformance suite (it has no backend to break: that
 * check skips).
 */
class FileDestinationConformanceTest extends StreamingDestinationConformance {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected StreamingDestination newDestination() {
    return new FileDestination();
  }

  @Override
  protected Map<String, Object> settings(ConnectorHarness harness) {
    return Map.of("dir", harness.tempDir().resolve("out").toString(), "prefix", "conformance");
  }

  @Override
  protected boolean breakBackend(ConnectorHarness harness) {
    return false;
  }

  @Override
  protected Optional<Set<String>> receivedInsertIds(ConnectorHarness harness) throws Exception {
    Set<String> ids = new HashSet<>();
    try (Stream<Path> files = Files.list(harness.tempDir().resolve("out"))) {
      for (Path f : files.filter(FileDestination::isComplete).toList()) {
        for (String line : Files.readAllLines(f)) {
          ids.add(JSON.readTree(line).path("insert_id").asText());
        }
      }
    }
    return Optional.of(ids);
  }
}
