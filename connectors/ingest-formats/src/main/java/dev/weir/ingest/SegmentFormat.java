package dev.weir.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sdk.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Segment tracking-API calls (track, identify, page, screen, group, alias) into the SDK event
 * model; the mapping is documented in {@code docs/ingestion.md}. {@code messageId} becomes the
 * insert id, and {@code timestamp} is corrected for client clock skew as Segment does: {@code
 * receivedAt - (sentAt - timestamp)}, with the call's {@code sentAt} or else the batch's. Whatever
 * a call carries that has no model field is kept under the event property {@link #KEPT} (the write
 * key excepted): nothing is dropped silently. A bad value makes that call invalid with the field
 * named; no input makes parsing throw.
 *
 * <p>Stateless and thread-safe.
 */
public final class SegmentFormat {
  /** The call types Segment defines. */
  public static final Set<String> TYPES =
      Set.of("track", "identify", "page", "screen", "group", "alias");

  /** The event property under which the unmapped parts of a call are kept. */
  public static final String KEPT = "$segment";

  static final int MAX_MESSAGE_ID = 100;

  /** Top-level fields every call type maps (or, for writeKey, deliberately never keeps). */
  private static final Set<String> COMMON =
      Set.of(
          "type",
          "userId",
          "anonymousId",
          "messageId",
          "timestamp",
          "originalTimestamp",
          "sentAt",
          "context",
          "writeKey");

  private static final Map<String, Set<String>> MAPPED =
      Map.of(
          "track", Set.of("event", "properties"),
          "identify", Set.of("traits"),
          "page", Set.of("name", "category", "properties"),
          "screen", Set.of("name", "category", "properties"),
          "group", Set.of("groupId", "traits"),
          "alias", Set.of("previousId"));

  private SegmentFormat() {}

  /**
   * Maps one call.
   *
   * @param call the call object
   * @param impliedType the type the endpoint implies ({@code /v1/track} → {@code track}), or null
   *     to read it from the call's {@code type}
   * @param receivedAt the server receive time in ms
   */
  public static ParsedEvent parse(JsonNode call, String impliedType, long receivedAt) {
    return parse(call, impliedType, receivedAt, null);
  }

  /**
   * Maps the {@code batch} array of a {@code /v1/batch} or {@code /v1/import} body, one result per
   * item. The body's top-level {@code context} and {@code integrations} are merged under each
   * item's own, and its {@code sentAt} stands for the items' own, as Segment does.
   */
  public static List<ParsedEvent> parseBatch(JsonNode body, long receivedAt) {
    JsonNode batch = body.path("batch");
    if (!batch.isArray()) {
      return List.of();
    }
    JsonNode sharedContext = body.path("context");
    JsonNode sharedIntegrations = body.path("integrations");
    JsonNode sentAt = body.get("sentAt");
    List<ParsedEvent> out = new ArrayList<>(batch.size());
    for (JsonNode item : batch) {
      if (item.isObject() && (sharedContext.isObject() || sharedIntegrations.isObject())) {
        ObjectNode merged = ((ObjectNode) item).deepCopy();
        mergeUnder(merged, "context", sharedContext);
        mergeUnder(merged, "integrations", sharedIntegrations);
        item = merged;
      }
      out.add(parse(item, null, receivedAt, sentAt));
    }
    return out;
  }

  private static void mergeUnder(ObjectNode item, String field, JsonNode shared) {
    if (!shared.isObject()) {
      return;
    }
    JsonNode own = item.get(field);
    if (own != null && !own.isNull() && !own.isObject()) {
      return; // the item's own wrong value is reported as it is
    }
    ObjectNode merged = shared.deepCopy();
    if (own != null && own.isObject()) {
      merged.setAll((ObjectNode) own);
    }
    item.set(field, merged);
  }

  private static ParsedEvent parse(
      JsonNode call, String impliedType, long receivedAt, JsonNode batchSentAt) {
    if (call == null || !call.isObject()) {
      return ParsedEvent.rejected(
          List.of(FieldProblem.invalid("call", "each call must be a JSON object")));
    }
    String type = impliedType != null ? impliedType : textOrNull(call, "type");
    if (type == null) {
      return ParsedEvent.rejected(List.of(FieldProblem.missing("type")));
    }
    if (!TYPES.contains(type)) {
      return ParsedEvent.rejected(
          List.of(FieldProblem.invalid("type", "type must be one of " + TYPES)));
    }
    List<FieldProblem> problems = new ArrayList<>();
    Event.Builder b = Event.builder().uploadTime(receivedAt);
    Map<String, Object> kept = new LinkedHashMap<>();
    String userId = SegmentFields.string(call, "userId", problems);
    String anonymousId = SegmentFields.string(call, "anonymousId", problems);
    if (userId == null && anonymousId == null && problems.isEmpty()) {
      problems.add(
          new FieldProblem(
              FieldProblem.Kind.MISSING, "userId", "a call needs a userId or an anonymousId"));
    }
    b.userId(userId).deviceId(anonymousId);

    String messageId = SegmentFields.string(call, "messageId", problems);
    if (messageId != null && messageId.length() >= MAX_MESSAGE_ID) {
      problems.add(
          FieldProblem.invalid("messageId", "messageId must be shorter than " + MAX_MESSAGE_ID));
    }
    b.insertId(messageId);
    SegmentFields.time(call, batchSentAt, receivedAt, b, kept, problems);

    Map<String, Object> properties = SegmentFields.object(call, "properties", problems);
    Map<String, Object> eventProps = Map.of();
    boolean hasTraits = call.hasNonNull("traits");
    Map<String, Object> traits = SegmentFields.object(call, "traits", problems);
    switch (type) {
      case "track" -> {
        String event = SegmentFields.string(call, "event", problems);
        if (event == null || event.isBlank()) {
          problems.add(FieldProblem.missing("event"));
        } else {
          b.eventType(JsonConvert.cut(event));
        }
        eventProps = properties;
        SegmentFields.revenue(b, properties);
      }
      case "identify" ->
          b.eventType("$identify")
              .userProperties(traits.isEmpty() ? Map.of() : Map.of("$set", traits));
      case "page", "screen" -> {
        String name = SegmentFields.string(call, "name", problems);
        String category = SegmentFields.string(call, "category", problems);
        String kind = type.equals("page") ? "Page" : "Screen";
        b.eventType(
            name == null ? "Loaded a " + kind : "Viewed " + JsonConvert.cut(name) + " " + kind);
        Map<String, Object> props = new LinkedHashMap<>(properties);
        if (name != null) {
          props.putIfAbsent("name", JsonConvert.cut(name));
        }
        if (category != null) {
          props.putIfAbsent("category", JsonConvert.cut(category));
        }
        eventProps = props;
      }
      case "group" -> {
        String groupId = SegmentFields.string(call, "groupId", problems);
        if (groupId == null) {
          problems.add(FieldProblem.missing("groupId"));
        } else {
          Object groupType = traits.getOrDefault("group_type", "group");
          b.eventType("$groupidentify")
              .groups(Map.of(String.valueOf(groupType), JsonConvert.cut(groupId)))
              .groupProperties(traits);
        }
      }
      case "alias" -> {
        String previousId = SegmentFields.string(call, "previousId", problems);
        if (previousId == null) {
          problems.add(FieldProblem.missing("previousId"));
        }
        b.eventType("$alias");
        eventProps =
            previousId == null ? Map.of() : Map.of("previous_id", JsonConvert.cut(previousId));
      }
      default -> throw new IllegalStateException(type);
    }
    SegmentFields.context(call, b, type.equals("identify") && !hasTraits, kept, problems);
    SegmentFields.keepOthers(call, COMMON, MAPPED.get(type), kept, problems);
    if (!problems.isEmpty()) {
      return ParsedEvent.rejected(problems);
    }
    return ParsedEvent.of(b.eventProperties(withKept(eventProps, kept)).build());
  }

  /**
   * Adds the kept parts under {@link #KEPT}; a {@code $segment} object the client sent itself is
   * merged, its own entries first.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withKept(Map<String, Object> props, Map<String, Object> kept) {
    if (kept.isEmpty()) {
      return props;
    }
    Map<String, Object> out = new LinkedHashMap<>(props);
    Object own = out.get(KEPT);
    if (own instanceof Map<?, ?> m) {
      Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) m);
      kept.forEach(merged::putIfAbsent);
      out.put(KEPT, merged);
    } else if (own == null) {
      out.put(KEPT, kept);
    } else {
      Map<String, Object> merged = new LinkedHashMap<>(kept);
      merged.put(KEPT, own);
      out.put(KEPT, merged);
    }
    return out;
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }
}
