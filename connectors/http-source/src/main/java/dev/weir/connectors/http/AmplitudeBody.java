package dev.weir.connectors.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.weir.ingest.AmplitudeFormat;
import dev.weir.ingest.JsonStreams;
import dev.weir.ingest.ParsedEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An Amplitude request body ({@code api_key}, {@code events}, {@code options}) read in one pass of
 * Jackson's streaming parser, each event straight into its compact form ({@link AmplitudeFormat}):
 * no tree of the body is built. The whole body is read before anything is judged, so malformed JSON
 * anywhere is refused as a tree reader would refuse it; a repeated key keeps its last value. Events
 * are read with the {@code options.min_id_length} seen before them (else the default); {@link
 * #minIdLength()} says which, so the caller can read again in the rare case that options came last
 * with another value. Immutable once read.
 */
final class AmplitudeBody {
  /** What the body's {@code events} is. */
  enum Events {
    MISSING,
    NOT_AN_ARRAY,
    ARRAY
  }

  private boolean object;
  private String apiKey;
  private Events events = Events.MISSING;
  private List<ParsedEvent> items = List.of();
  private JsonNode options = MissingNode.getInstance();
  private int minIdLength;

  private AmplitudeBody() {}

  /** Reads the body with the minimum id length of its own options when they come first. */
  static AmplitudeBody read(byte[] body, long now, String remoteIp) throws IOException {
    return read(body, now, remoteIp, -1);
  }

  /**
   * @param minIdLength the minimum id length to read events with, or -1 for the body's own (when
   *     its options come before its events) or else the default
   * @throws IOException when the body is not JSON (the parser's error, as a tree reader gives it)
   */
  static AmplitudeBody read(byte[] body, long now, String remoteIp, int minIdLength)
      throws IOException {
    AmplitudeBody b = new AmplitudeBody();
    try (JsonParser p = Bodies.JSON.createParser(body)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        JsonStreams.skip(p);
        return b;
      }
      b.object = true;
      b.minIdLength = minIdLength >= 0 ? minIdLength : AmplitudeFormat.DEFAULT_MIN_ID_LENGTH;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        t = p.nextToken();
        switch (field) {
          case "api_key" -> {
            b.apiKey = t == JsonToken.VALUE_STRING ? p.getText() : null;
            JsonStreams.skip(p);
          }
          case "events" -> b.events(p, t, now, remoteIp);
          case "options" -> {
            JsonNode o = Bodies.JSON.readTree(p);
            b.options = o == null ? MissingNode.getInstance() : o;
            if (minIdLength < 0 && b.events == Events.MISSING) {
              b.minIdLength = ownMinimum(b.options);
            }
          }
          default -> JsonStreams.skip(p);
        }
      }
    }
    return b;
  }

  private void events(JsonParser p, JsonToken t, long now, String remoteIp) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      events = Events.MISSING;
      items = List.of();
      return;
    }
    if (t != JsonToken.START_ARRAY) {
      JsonStreams.skip(p);
      events = Events.NOT_AN_ARRAY;
      items = List.of();
      return;
    }
    List<ParsedEvent> list = new ArrayList<>();
    JsonToken item;
    while ((item = p.nextToken()) != JsonToken.END_ARRAY && item != null) {
      list.add(AmplitudeFormat.parse(p, minIdLength, now, remoteIp));
    }
    events = Events.ARRAY;
    items = list;
  }

  /** The options' valid minimum, else the default (invalid options are refused by the caller). */
  private static int ownMinimum(JsonNode options) {
    JsonNode min = options.path("min_id_length");
    return min.canConvertToInt() && min.isIntegralNumber() && min.asInt() >= 0
        ? min.asInt()
        : AmplitudeFormat.DEFAULT_MIN_ID_LENGTH;
  }

  /** Whether the body is a JSON object at all. */
  boolean isObject() {
    return object;
  }

  /** The {@code api_key} when it is a string, else null. */
  String apiKey() {
    return apiKey;
  }

  Events events() {
    return events;
  }

  /** One result per element of {@code events} (an element that is not an object is invalid). */
  List<ParsedEvent> items() {
    return items;
  }

  /** The {@code options} value; a missing node when absent. */
  JsonNode options() {
    return options;
  }

  /** The minimum id length the events were read with. */
  int minIdLength() {
    return minIdLength;
  }
}
