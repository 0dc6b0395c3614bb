package dev.weir.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sdk.Event;
import dev.weir.sdk.Plan;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Segment tracking-API calls (track, identify, page, screen, group, alias) into the SDK event
 * model; the mapping is documented in {@code docs/ingestion.md}. {@code messageId} becomes the
 * insert id, and {@code timestamp} is corrected for client clock skew as Segment does: {@code
 * receivedAt - (sentAt - timestamp)}.
 *
 * <p>Stateless and thread-safe.
 */
public final class SegmentFormat {
  /** The call types Segment defines. */
  public static final Set<String> TYPES =
      Set.of("track", "identify", "page", "screen", "group", "alias");

  static final int MAX_MESSAGE_ID = 100;

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
    if (call == null || !call.isObject()) {
      return ParsedEvent.rejected(
          List.of(FieldProblem.invalid("call", "each call must be a JSON object")));
    }
    List<FieldProblem> problems = new ArrayList<>();
    String type = impliedType != null ? impliedType : textOrNull(call, "type");
    if (type == null) {
      return ParsedEvent.rejected(List.of(FieldProblem.missing("type")));
    }
    if (!TYPES.contains(type)) {
      return ParsedEvent.rejected(
          List.of(FieldProblem.invalid("type", "type must be one of " + TYPES)));
    }
    Event.Builder b = Event.builder().uploadTime(receivedAt);
    String userId = string(call, "userId", problems);
    String anonymousId = string(call, "anonymousId", problems);
    if (userId == null && anonymousId == null && problems.isEmpty()) {
      problems.add(
          new FieldProblem(
              FieldProblem.Kind.MISSING, "userId", "a call needs a userId or an anonymousId"));
    }
    b.userId(userId).deviceId(anonymousId);

    String messageId = string(call, "messageId", problems);
    if (messageId != null && messageId.length() >= MAX_MESSAGE_ID) {
      problems.add(
          FieldProblem.invalid("messageId", "messageId must be shorter than " + MAX_MESSAGE_ID));
    }
    b.insertId(messageId);
    b.time(eventTime(call, receivedAt, problems));

    Map<String, Object> properties = object(call, "properties", problems);
    Map<String, Object> traits = object(call, "traits", problems);
    switch (type) {
      case "track" -> {
        String event = string(call, "event", problems);
        if (event == null || event.isBlank()) {
          problems.add(FieldProblem.missing("event"));
        } else {
          b.eventType(JsonConvert.cut(event));
        }
        b.eventProperties(properties);
        revenue(b, properties);
      }
      case "identify" ->
          b.eventType("$identify")
              .userProperties(traits.isEmpty() ? Map.of() : Map.of("$set", traits));
      case "page", "screen" -> {
        String name = textOrNull(call, "name");
        String kind = type.equals("page") ? "Page" : "Screen";
        b.eventType(
            name == null ? "Loaded a " + kind : "Viewed " + JsonConvert.cut(name) + " " + kind);
        Map<String, Object> props = new LinkedHashMap<>(properties);
        if (name != null) {
          props.putIfAbsent("name", JsonConvert.cut(name));
        }
        b.eventProperties(props);
      }
      case "group" -> {
        String groupId = string(call, "groupId", problems);
        if (groupId == null) {
          problems.add(FieldProblem.missing("groupId"));
        } else {
          Object groupType = traits.getOrDefault("group_type", "group");
          b.eventType("$groupidentify")
              .groups(Map.of(String.valueOf(groupType), groupId))
              .groupProperties(traits);
        }
      }
      case "alias" -> {
        String previousId = string(call, "previousId", problems);
        if (previousId == null) {
          problems.add(FieldProblem.missing("previousId"));
        }
        b.eventType("$alias")
            .eventProperties(previousId == null ? Map.of() : Map.of("previous_id", previousId));
      }
      default -> throw new IllegalStateException(type);
    }
    context(b, call.path("context"), problems);
    return problems.isEmpty() ? ParsedEvent.of(b.build()) : ParsedEvent.rejected(problems);
  }

  /**
   * Maps the {@code batch} array of a {@code /v1/batch} or {@code /v1/import} body, one result per
   * item. The body's top-level {@code context} is merged under each item's own context, as Segment
   * does.
   */
  public static List<ParsedEvent> parseBatch(JsonNode body, long receivedAt) {
    JsonNode batch = body.path("batch");
    JsonNode shared = body.path("context");
    List<ParsedEvent> out = new ArrayList<>(batch.size());
    for (JsonNode item : batch) {
      if (item.isObject() && shared.isObject()) {
        ObjectNode merged = ((ObjectNode) item).deepCopy();
        ObjectNode context = shared.deepCopy();
        if (item.path("context").isObject()) {
          context.setAll((ObjectNode) item.get("context"));
        }
        merged.set("context", context);
        item = merged;
      }
      out.add(parse(item, null, receivedAt));
    }
    return out;
  }

  private static long eventTime(JsonNode call, long receivedAt, List<FieldProblem> problems) {
    Instant timestamp = instant(call, "timestamp", problems);
    if (timestamp == null) {
      timestamp = instant(call, "originalTimestamp", problems);
    }
    Instant sentAt = instant(call, "sentAt", problems);
    if (timestamp == null) {
      return receivedAt;
    }
    if (sentAt == null) {
      return timestamp.toEpochMilli();
    }
    return receivedAt - (sentAt.toEpochMilli() - timestamp.toEpochMilli());
  }

  private static Instant instant(JsonNode call, String field, List<FieldProblem> problems) {
    String text = string(call, field, problems);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e2) {
        problems.add(
            FieldProblem.invalid(
                field,
                field + " must be an ISO-8601 date-time, got '" + JsonConvert.cut(text) + "'"));
        return null;
      }
    }
  }

  private static void revenue(Event.Builder b, Map<String, Object> props) {
    if (props.get("revenue") instanceof Number n) {
      b.revenue(n.doubleValue());
    }
    if (props.get("price") instanceof Number n) {
      b.price(n.doubleValue());
    }
    if (props.get("quantity") instanceof Number n && Math.abs(n.longValue()) <= Integer.MAX_VALUE) {
      b.quantity(n.intValue());
    }
    Object productId =
        props.containsKey("productId") ? props.get("productId") : props.get("product_id");
    if (productId instanceof String s) {
      b.productId(s);
    }
    if (props.get("currency") instanceof String s) {
      b.currency(s);
    }
    if (props.get("revenueType") instanceof String s) {
      b.revenueType(s);
    }
  }

  private static void context(Event.Builder b, JsonNode ctx, List<FieldProblem> problems) {
    if (ctx.isMissingNode() || ctx.isNull()) {
      return;
    }
    if (!ctx.isObject()) {
      problems.add(FieldProblem.invalid("context", "context must be a JSON object"));
      return;
    }
    b.ip(textAt(ctx, "ip"));
    b.userAgent(textAt(ctx, "userAgent"));
    b.language(textAt(ctx, "locale"));
    b.appVersion(textAt(ctx, "app", "version"));
    b.osName(textAt(ctx, "os", "name"));
    b.osVersion(textAt(ctx, "os", "version"));
    b.deviceManufacturer(textAt(ctx, "device", "manufacturer"));
    b.deviceModel(textAt(ctx, "device", "model"));
    b.deviceBrand(textAt(ctx, "device", "brand"));
    b.carrier(textAt(ctx, "network", "carrier"));
    b.country(textAt(ctx, "location", "country"));
    b.region(textAt(ctx, "location", "region"));
    b.city(textAt(ctx, "location", "city"));
    JsonNode lat = ctx.path("location").path("latitude");
    JsonNode lng = ctx.path("location").path("longitude");
    b.locationLat(lat.isNumber() ? lat.doubleValue() : null);
    b.locationLng(lng.isNumber() ? lng.doubleValue() : null);
    String platform = textAt(ctx, "device", "type");
    b.platform(platform);
    String advertisingId = textAt(ctx, "device", "advertisingId");
    if (advertisingId != null) {
      if ("ios".equalsIgnoreCase(platform)) {
        b.idfa(advertisingId);
      } else {
        b.adid(advertisingId);
      }
    }
    String library = textAt(ctx, "library", "name");
    if (library != null) {
      String version = textAt(ctx, "library", "version");
      b.library(version == null ? library : library + "/" + version);
    }
    JsonNode eventVersion = ctx.path("protocols").path("event_version");
    if (eventVersion.isNumber() || eventVersion.isTextual()) {
      b.plan(new Plan(null, "segment-protocols", eventVersion.asText(), null));
    }
  }

  private static String textAt(JsonNode node, String... path) {
    JsonNode v = node;
    for (String p : path) {
      v = v.path(p);
    }
    return v.isTextual() ? JsonConvert.cut(v.textValue()) : null;
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  private static String string(JsonNode node, String field, List<FieldProblem> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isNumber() && (field.equals("userId") || field.equals("anonymousId"))) {
      return v.asText(); // Segment's libraries coerce numeric ids to strings
    }
    problems.add(FieldProblem.invalid(field, field + " must be a string"));
    return null;
  }

  private static Map<String, Object> object(
      JsonNode node, String field, List<FieldProblem> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Map.of();
    }
    if (!v.isObject()) {
      problems.add(FieldProblem.invalid(field, field + " must be a JSON object"));
      return Map.of();
    }
    try {
      return JsonConvert.object(v);
    } catch (JsonConvert.TooDeep e) {
      problems.add(FieldProblem.invalid(field, field + " is " + e.getMessage()));
      return Map.of();
    }
  }
}
