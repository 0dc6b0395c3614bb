package dev.weir.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import dev.weir.sdk.Plan;
import java.nio.file.Path;
import java.util.Map;

/** Shared test data: the example plans shipped in portal-config-examples. */
final class Fixtures {
  static final Path EXAMPLES =
      Path.of("../../portal-config-examples/tracking-plans").toAbsolutePath().normalize();
  static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  static Event event(String type, Map<String, ?> props) {
    return Event.builder()
        .eventType(type)
        .userId("u-1")
        .insertId("i-" + type)
        .eventProperties(props)
        .build();
  }

  static Event withPlanVersion(Event e, String version) {
    return e.toBuilder().plan(new Plan(null, null, version, null)).build();
  }

  @SuppressWarnings("unchecked")
  static Event parse(String json) throws Exception {
    return Event.fromMap(JSON.readValue(json, Map.class));
  }
}
