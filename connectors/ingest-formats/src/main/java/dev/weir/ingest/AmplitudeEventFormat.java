package dev.weir.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sdk.EventFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code amplitude}: an {@code /2/httpapi} or {@code /batch} body (its {@code events}, with its
 * {@code options.min_id_length}), or one event object, read by {@link AmplitudeFormat} as the HTTP
 * source reads it.
 */
public final class AmplitudeEventFormat implements EventFormat {
  @Override
  public String name() {
    return "amplitude";
  }

  @Override
  public List<Parsed> parse(String json, long receivedAtMillis) {
    JsonNode n = EventFormats.object(json);
    int minId =
        n.path("options").path("min_id_length").asInt(AmplitudeFormat.DEFAULT_MIN_ID_LENGTH);
    List<Parsed> out = new ArrayList<>();
    if (n.has("events")) {
      n.get("events")
          .forEach(
              e ->
                  out.add(
                      EventFormats.parsed(
                          AmplitudeFormat.parse(e, minId, receivedAtMillis, null))));
    } else {
      out.add(EventFormats.parsed(AmplitudeFormat.parse(n, minId, receivedAtMillis, null)));
    }
    return out;
  }
}
