package dev.weir.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sdk.EventFormat;
import java.util.List;

/**
 * {@code segment}: one call ({@code track}, {@code identify}, ...) or a {@code /v1/batch} body,
 * read by {@link SegmentFormat} as the HTTP source reads it.
 */
public final class SegmentEventFormat implements EventFormat {
  @Override
  public String name() {
    return "segment";
  }

  @Override
  public List<Parsed> parse(String json, long receivedAtMillis) {
    JsonNode n = EventFormats.object(json);
    if (n.has("batch")) {
      return SegmentFormat.parseBatch(n, receivedAtMillis).stream()
          .map(EventFormats::parsed)
          .toList();
    }
    return List.of(EventFormats.parsed(SegmentFormat.parse(n, null, receivedAtMillis)));
  }
}
