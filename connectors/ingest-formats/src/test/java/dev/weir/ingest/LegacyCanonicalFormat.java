package dev.weir.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sdk.Event;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tree-based {@link CanonicalFormat} as it was before parsing went straight into compact
 * events: kept as the oracle that StreamingParsersMatchTreeParsersTest holds the streaming parser
 * to.
 *
 * <p>Original documentation follows.
 *
 * <p>Reads one event in Weir's canonical JSON (the shape the file destination writes, keys as in
 * {@link Event#FIELD_NAMES}). {@code event_type} is required; a field of the wrong type or an
 * unknown field makes the event invalid, each problem naming its field. {@link #SERVER_OWNED}
 * fields ({@code upload_time}, {@code source_id}) are set by Weir, so a client's value is ignored.
 * A missing {@code time} is the receive time. No input makes parsing throw.
 *
 * <p>Stateless and thread-safe.
 */
final class LegacyCanonicalFormat {
  /** Fields only Weir sets; a value sent by a client is ignored (docs/ingestion.md). */
  static final Set<String> SERVER_OWNED = Set.of("upload_time", "source_id");

  private LegacyCanonicalFormat() {}

  /**
   * Maps one element of a canonical batch.
   *
   * @param node the event object
   * @param receivedAt the receive time in ms: the default {@code time}
   */
  static ParsedEvent parse(JsonNode node, long receivedAt) {
    if (node == null || !node.isObject()) {
      return ParsedEvent.rejected(
          List.of(FieldProblem.invalid("event", "each event must be a JSON object")));
    }
    List<FieldProblem> problems = new ArrayList<>();
    Map<String, Object> map = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (SERVER_OWNED.contains(f.getKey())) {
        continue;
      }
      try {
        map.put(f.getKey(), JsonConvert.CANONICAL.value(f.getValue(), 1));
      } catch (JsonConvert.BadValue e) {
        problems.add(FieldProblem.invalid(f.getKey(), f.getKey() + " " + e.getMessage()));
      }
    }
    Object type = map.get("event_type");
    if (type == null || (type instanceof String s && s.isBlank())) {
      problems.add(FieldProblem.missing("event_type"));
      map.remove("event_type");
    }
    if (blank(map.get("user_id")) && blank(map.get("device_id"))) {
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

  private static boolean blank(Object id) {
    return id == null || (id instanceof String s && s.isBlank());
  }
}
