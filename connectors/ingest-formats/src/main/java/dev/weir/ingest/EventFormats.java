package dev.weir.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.EventFormat.Parsed;
import java.io.IOException;

/** What the {@link dev.weir.sdk.EventFormat}s of this library share. Stateless. */
final class EventFormats {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EventFormats() {}

  /** {@code json} as a JSON object. */
  static JsonNode object(String json) {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not valid JSON: "
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
          e);
    }
  }

  static Parsed parsed(ParsedEvent p) {
    return p.ok()
        ? new Parsed(p.event(), java.util.List.of())
        : new Parsed(null, p.problems().stream().map(FieldProblem::toString).toList());
  }
}
