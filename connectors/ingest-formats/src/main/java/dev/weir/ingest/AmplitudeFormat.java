package dev.weir.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sdk.Event;
import dev.weir.sdk.Plan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one event in Amplitude's HTTP V2 / Batch shape into the SDK event model, with Amplitude's
 * rules: an {@code event_type} and a user or device id are required, ids shorter than {@code
 * min_id_length} and known junk ids are invalid, {@code time} must be whole milliseconds (default:
 * upload time), {@code ip: "$remote"} takes the request's address, strings are cut at 1024
 * characters and objects nest at most 40 deep. Revenue is read as Amplitude reads it, from the
 * top-level fields or the {@code $price}-style event properties its SDKs send ({@link
 * AmplitudeRevenue}). A bad value makes that event invalid with the field named; no input makes
 * parsing throw.
 *
 * <p>The event is read from Jackson's streaming parser in one pass ({@link AmplitudeFields}): the
 * property objects go straight into the compact form the store writes, with no tree and no map
 * copies; {@link #parse(JsonNode, int, long, String)} walks a tree the same way.
 *
 * <p>Stateless and thread-safe. Unknown top-level fields are ignored, as Amplitude ignores them.
 */
public final class AmplitudeFormat {
  /** Amplitude's default minimum id length. */
  public static final int DEFAULT_MIN_ID_LENGTH = 5;

  /** Ids that Amplitude treats as no id at all; compared case-insensitively. */
  static final Set<String> JUNK_IDS =
      Set.of(
          "anonymous",
          "nil",
          "none",
          "null",
          "n/a",
          "na",
          "undefined",
          "unknown",
          "",
          "00000000-0000-0000-0000-000000000000",
          "{}",
          "lmy47d",
          "0",
          "-1");

  /** The string fields taken as they are (cut), under the model's own names. */
  static final List<Event.Field> STRINGS =
      List.of(
          Event.Field.INSERT_ID,
          Event.Field.APP_VERSION,
          Event.Field.PLATFORM,
          Event.Field.OS_NAME,
          Event.Field.OS_VERSION,
          Event.Field.DEVICE_BRAND,
          Event.Field.DEVICE_MANUFACTURER,
          Event.Field.DEVICE_MODEL,
          Event.Field.CARRIER,
          Event.Field.COUNTRY,
          Event.Field.REGION,
          Event.Field.CITY,
          Event.Field.DMA,
          Event.Field.LANGUAGE,
          Event.Field.IDFA,
          Event.Field.IDFV,
          Event.Field.ADID,
          Event.Field.ANDROID_ID,
          Event.Field.USER_AGENT,
          Event.Field.LIBRARY);

  private static final Event.Field[] OBJECTS = {
    Event.Field.EVENT_PROPERTIES,
    Event.Field.USER_PROPERTIES,
    Event.Field.GROUPS,
    Event.Field.GROUP_PROPERTIES
  };

  private AmplitudeFormat() {}

  /**
   * Maps one element of a request's {@code events} array.
   *
   * @param node the event object
   * @param minIdLength the request's {@code options.min_id_length}, or {@link
   *     #DEFAULT_MIN_ID_LENGTH}
   * @param uploadTime the server receive time in ms; it becomes {@code upload_time} and the default
   *     {@code time}
   * @param remoteIp the client's address, used where the event says {@code "ip": "$remote"}; may be
   *     null
   */
  public static ParsedEvent parse(
      JsonNode node, int minIdLength, long uploadTime, String remoteIp) {
    if (node == null || !node.isObject()) {
      return notAnObject();
    }
    try (JsonParser p = JsonStreams.over(node)) {
      return parse(p, minIdLength, uploadTime, remoteIp);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a tree is never malformed
    }
  }

  /**
   * Maps the event at the parser's current token (an element of {@code events}), consuming it; the
   * parser is left on its last token. Same rules and problems as {@link #parse(JsonNode, int, long,
   * String)}.
   *
   * @throws IOException only when the JSON itself is malformed
   */
  public static ParsedEvent parse(JsonParser p, int minIdLength, long uploadTime, String remoteIp)
      throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      JsonStreams.skip(p);
      return notAnObject();
    }
    return map(AmplitudeFields.read(p), minIdLength, uploadTime, remoteIp);
  }

  private static ParsedEvent notAnObject() {
    return ParsedEvent.rejected(
        List.of(FieldProblem.invalid("event", "each event must be a JSON object")));
  }

  private static ParsedEvent map(
      AmplitudeFields f, int minIdLength, long uploadTime, String remoteIp) {
    List<FieldProblem> problems = new ArrayList<>();
    Event.Builder b = Event.builder().uploadTime(uploadTime);

    String eventType = f.text(AmplitudeFields.EVENT_TYPE, problems);
    if (eventType == null || eventType.isBlank()) {
      if (problems.isEmpty()) {
        problems.add(FieldProblem.missing("event_type"));
      }
    } else {
      b.eventType(JsonConvert.cut(eventType));
    }
    String userId = id(f, AmplitudeFields.USER_ID, minIdLength, problems);
    String deviceId = id(f, AmplitudeFields.DEVICE_ID, minIdLength, problems);
    if (userId == null
        && deviceId == null
        && !f.has(AmplitudeFields.USER_ID)
        && !f.has(AmplitudeFields.DEVICE_ID)) {
      problems.add(
          new FieldProblem(
              FieldProblem.Kind.MISSING, "device_id", "an event needs a user_id or a device_id"));
    }
    b.userId(userId).deviceId(deviceId);

    Object time = f.get(AmplitudeFields.TIME);
    if (time == null) {
      b.time(uploadTime);
    } else if (AmplitudeFields.isWhole(time)
        && AmplitudeFields.asLong(time) >= 0
        && AmplitudeFields.asLong(time) <= Timestamps.MAX_MILLIS) {
      b.time(AmplitudeFields.asLong(time));
    } else {
      problems.add(
          FieldProblem.invalid(
              "time",
              "time must be milliseconds since the epoch (before the year 10000), as a whole number"));
    }

    for (int i = 0; i < STRINGS.size(); i++) {
      String v = f.text(AmplitudeFields.STRINGS + i, problems);
      if (v != null) {
        b.set(STRINGS.get(i), JsonConvert.cut(v));
      }
    }
    int appVersion = AmplitudeFields.STRINGS + STRINGS.indexOf(Event.Field.APP_VERSION);
    if (!f.has(appVersion) && f.get(AmplitudeFields.VERSION_NAME) instanceof String name) {
      b.appVersion(JsonConvert.cut(name));
    }
    Map<String, Object> properties = Map.of();
    for (int i = 0; i < OBJECTS.length; i++) {
      Object v = f.get(AmplitudeFields.EVENT_PROPERTIES + i);
      String field = OBJECTS[i].jsonName();
      if (v == null) {
        continue;
      }
      if (v instanceof AmplitudeFields.Bad bad) {
        problems.add(FieldProblem.invalid(field, field + " " + bad.message()));
      } else if (v instanceof Map<?, ?>) {
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) v;
        b.set(OBJECTS[i], value);
        if (i == 0) {
          properties = value;
        }
      } else {
        problems.add(FieldProblem.invalid(field, field + " must be a JSON object"));
      }
    }

    b.sessionId(f.whole(AmplitudeFields.SESSION_ID, problems));
    b.eventId(f.whole(AmplitudeFields.EVENT_ID, problems));
    AmplitudeRevenue.map(f, properties, b, problems);
    b.locationLat(f.number(AmplitudeFields.LOCATION_LAT, problems));
    b.locationLng(f.number(AmplitudeFields.LOCATION_LNG, problems));

    String ip = f.text(AmplitudeFields.IP, problems);
    b.ip("$remote".equals(ip) ? remoteIp : ip);

    Object plan = f.get(AmplitudeFields.PLAN);
    if (plan instanceof JsonNode node) {
      b.plan(
          new Plan(
              planPart(node, "branch"),
              planPart(node, "source"),
              planPart(node, "version"),
              planPart(node, "versionId")));
    } else if (plan != null) {
      problems.add(FieldProblem.invalid("plan", "plan must be a JSON object"));
    }
    return problems.isEmpty() ? ParsedEvent.of(b.build()) : ParsedEvent.rejected(problems);
  }

  private static String id(
      AmplitudeFields f, int slot, int minIdLength, List<FieldProblem> problems) {
    String field = AmplitudeFields.NAMES[slot];
    Object v = f.get(slot);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String id)) {
      problems.add(FieldProblem.invalid(field, field + " must be a string"));
      return null;
    }
    if (JUNK_IDS.contains(id.trim().toLowerCase(Locale.ROOT))) {
      problems.add(FieldProblem.invalid(field, field + " '" + id + "' is not a real id"));
      return null;
    }
    if (id.length() < minIdLength) {
      problems.add(
          new FieldProblem(
              FieldProblem.Kind.INVALID_ID_LENGTH,
              field,
              field + " must have at least " + minIdLength + " characters"));
      return null;
    }
    return JsonConvert.cut(id);
  }

  private static String planPart(JsonNode plan, String field) {
    JsonNode v = plan.get(field);
    return v == null || v.isNull()
        ? null
        : JsonConvert.cut(v.isTextual() ? v.textValue() : v.toString());
  }
}
