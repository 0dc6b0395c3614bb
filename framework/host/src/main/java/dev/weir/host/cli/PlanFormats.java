package dev.weir.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.governance.PlanCheckCommand.LineFormat;
import dev.weir.governance.PlanCheckCommand.Read;
import dev.weir.ingest.AmplitudeFormat;
import dev.weir.ingest.ParsedEvent;
import dev.weir.ingest.SegmentFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The payload formats {@code weir plan check --format} reads besides Weir's own, through the same
 * parsers the HTTP source uses: {@code amplitude} (an {@code /2/httpapi} or {@code /batch} body, or
 * one event object) and {@code segment} (one call, or a {@code /v1/batch} body). Stateless.
 */
final class PlanFormats {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PlanFormats() {}

  static Map<String, LineFormat> all() {
    return Map.of("amplitude", PlanFormats::amplitude, "segment", PlanFormats::segment);
  }

  private static JsonNode tree(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not valid JSON: "
              + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                  ? j.getOriginalMessage()
                  : e.getMessage()),
          e);
    }
  }

  private static List<Read> amplitude(String line) {
    JsonNode n = tree(line);
    long now = System.currentTimeMillis();
    int minId =
        n.path("options").path("min_id_length").asInt(AmplitudeFormat.DEFAULT_MIN_ID_LENGTH);
    List<Read> out = new ArrayList<>();
    if (n.has("events")) {
      n.get("events").forEach(e -> out.add(read(AmplitudeFormat.parse(e, minId, now, null))));
    } else {
      out.add(read(AmplitudeFormat.parse(n, minId, now, null)));
    }
    return out;
  }

  private static List<Read> segment(String line) {
    JsonNode n = tree(line);
    long now = System.currentTimeMillis();
    if (n.has("batch")) {
      return SegmentFormat.parseBatch(n, now).stream().map(PlanFormats::read).toList();
    }
    return List.of(read(SegmentFormat.parse(n, null, now)));
  }

  private static Read read(ParsedEvent p) {
    return p.ok() ? new Read(p.event(), null) : new Read(null, p.reason());
  }
}
