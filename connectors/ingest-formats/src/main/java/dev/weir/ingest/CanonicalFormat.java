package dev.weir.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sdk.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one event in Weir's canonical JSON (the shape the file destination writes, keys as in
 * {@link Event#FIELD_NAMES}). {@code event_type} is required; a field of the wrong type or an
 * unknown field makes the event invalid, each problem naming its field; so does an event with
 * neither {@code user_id} nor {@code device_id} (reported under {@code device_id}, as Amplitude
 * does). {@link #SERVER_OWNED} fields ({@code upload_time}, {@code source_id}) are set by Weir, so
 * a client's value is ignored. A missing {@code time} is the receive time. No input makes parsing
 * throw.
 *
 * <p>Read from Jackson's streaming parser; the property objects go straight into the compact form
 * the store writes, with no tree and no map copies.
 *
 * <p>Stateless and thread-safe.
 */
public final class CanonicalFormat {
  /** Fields only Weir sets; a value sent by a client is ignored (docs/ingestion.md). */
  public static final Set<String> SERVER_OWNED = Set.of("upload_time", "source_id");

  private CanonicalFormat() {}

  /** A field whose value cannot be taken, with JsonConvert's message. */
  private record Bad(String message) {}

  /**
   * Maps one element of a canonical batch.
   *
   * @param node the event object
   * @param receivedAt the receive time in ms: the default {@code time}
   */
  public static ParsedEvent parse(JsonNode node, long receivedAt) {
    if (node == null || !node.isObject()) {
      return notAnObject();
    }
    try (JsonParser p = JsonStreams.over(node)) {
      return parse(p, receivedAt);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a tree is never malformed
    }
  }

  /**
   * Maps the event at the parser's current token (an element of a batch), consuming it; the parser
   * is left on its last token. Property objects go straight into the compact form the store writes.
   * Same rules and problems as {@link #parse(JsonNode, long)}.
   *
   * @throws IOException only when the JSON itself is malformed
   */
  public static ParsedEvent parse(JsonParser p, long receivedAt) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      JsonStreams.skip(p);
      return notAnObject();
    }
    // First place, last value for a repeated key, as a tree keeps it.
    Map<String, Object> map = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      if (SERVER_OWNED.contains(key)) {
        JsonStreams.skip(p);
        continue;
      }
      Event.Field field = Event.Field.named(key);
      try {
        map.put(
            key,
            field != null
                    && field.kind() == Event.Kind.OBJECT
                    && p.currentToken() == JsonToken.START_OBJECT
                ? JsonCopy.CANONICAL.object(p)
                : JsonCopy.CANONICAL.value(p, 1));
      } catch (JsonConvert.BadValue e) {
        map.put(key, new Bad(e.getMessage()));
      }
    }
    List<FieldProblem> problems = new ArrayList<>();
    for (Iterator<Map.Entry<String, Object>> it = map.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Object> f = it.next();
      if (f.getValue() instanceof Bad bad) {
        problems.add(FieldProblem.invalid(f.getKey(), f.getKey() + " " + bad.message()));
        it.remove();
      }
    }
    Object type = map.get("event_type");
    if (type == null || (type instanceof String s && s.isBlank())) {
      problems.add(FieldProblem.missing("event_type"));
      map.remove("event_type");
    }
    if (blank(map.get("user_id")) && blank(map.get("device_id"))) {
      // as Amplitude's API refuses it (and every destination keyed by user needs one)
      problems.add(
          new FieldProblem(
              FieldProblem.Kind.MISSING, "device_id", "an event needs a user_id or a device_id"));
    }
    Event event = null;
    try {
      event = Event.fromMap(map);
    } catch (RuntimeException e) {
      problems.addAll(fieldByField(map));
    }
    if (!problems.isEmpty()) {
      return ParsedEvent.rejected(problems);
    }
    return ParsedEvent.of(
        event.time() == null ? event.toBuilder().time(receivedAt).build() : event);
  }

  private static ParsedEvent notAnObject() {
    return ParsedEvent.rejected(
        List.of(FieldProblem.invalid("event", "each event must be a JSON object")));
  }

  private static boolean blank(Object id) {
    return id == null || (id instanceof String s && s.isBlank());
  }

  /** Finds every bad field once the whole event failed: slow, only on the error path. */
  private static List<FieldProblem> fieldByField(Map<String, Object> map) {
    List<FieldProblem> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : map.entrySet()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put(e.getKey(), e.getValue());
      try {
        Event.fromMap(one);
      } catch (IllegalArgumentException bad) {
        out.add(FieldProblem.invalid(e.getKey(), message(bad)));
      } catch (RuntimeException bad) {
        out.add(FieldProblem.invalid(e.getKey(), e.getKey() + " cannot be read"));
      }
    }
    if (out.isEmpty()) {
      out.add(FieldProblem.invalid("event", "the event cannot be read"));
    }
    return out;
  }

  private static String message(IllegalArgumentException e) {
    String m = e.getMessage();
    return m == null ? "invalid value" : JsonConvert.cut(m);
  }
}
