package dev.weir.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sdk.Event;
import dev.weir.sdk.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The tree-based {@link AmplitudeFormat} as it was before parsing went straight into compact
 * events: kept as the oracle that StreamingParsersMatchTreeParsersTest holds the streaming parser
 * to.
 *
 * <p>Original documentation follows.
 *
 * <p>Reads one event in Amplitude's HTTP V2 / Batch shape into the SDK event model, with
 * Amplitude's rules: an {@code event_type} and a user or device id are required, ids shorter than
 * {@code min_id_length} and known junk ids are invalid, {@code time} must be whole milliseconds
 * (default: upload time), {@code ip: "$remote"} takes the request's address, strings are cut at
 * 1024 characters and objects nest at most 40 deep. Revenue is read as Amplitude reads it, from the
 * top-level fields or the {@code $price}-style event properties its SDKs send ({@link
 * AmplitudeRevenue}). A bad value makes that event invalid with the field named; no input makes
 * parsing throw.
 *
 * <p>Stateless and thread-safe. Unknown top-level fields are ignored, as Amplitude ignores them.
 */
final class LegacyAmplitudeFormat {
  /** Amplitude's default minimum id length. */
  static final int DEFAULT_MIN_ID_LENGTH = 5;

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

  private static final Map<String, BiConsumer<Event.Builder, String>> STRINGS =
      Map.ofEntries(
          Map.entry("insert_id", Event.Builder::insertId),
          Map.entry("app_version", Event.Builder::appVersion),
          Map.entry("platform", Event.Builder::platform),
          Map.entry("os_name", Event.Builder::osName),
          Map.entry("os_version", Event.Builder::osVersion),
          Map.entry("device_brand", Event.Builder::deviceBrand),
          Map.entry("device_manufacturer", Event.Builder::deviceManufacturer),
          Map.entry("device_model", Event.Builder::deviceModel),
          Map.entry("carrier", Event.Builder::carrier),
          Map.entry("country", Event.Builder::country),
          Map.entry("region", Event.Builder::region),
          Map.entry("city", Event.Builder::city),
          Map.entry("dma", Event.Builder::dma),
          Map.entry("language", Event.Builder::language),
          Map.entry("idfa", Event.Builder::idfa),
          Map.entry("idfv", Event.Builder::idfv),
          Map.entry("adid", Event.Builder::adid),
          Map.entry("android_id", Event.Builder::androidId),
          Map.entry("user_agent", Event.Builder::userAgent),
          Map.entry("library", Event.Builder::library));

  private static final Map<String, BiConsumer<Event.Builder, Map<String, Object>>> OBJECTS =
      Map.of(
          "event_properties", Event.Builder::eventProperties,
          "user_properties", Event.Builder::userProperties,
          "groups", Event.Builder::groups,
          "group_properties", Event.Builder::groupProperties);

  private LegacyAmplitudeFormat() {}

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
  static ParsedEvent parse(JsonNode node, int minIdLength, long uploadTime, String remoteIp) {
    if (node == null || !node.isObject()) {
      return ParsedEvent.rejected(
          List.of(FieldProblem.invalid("event", "each event must be a JSON object")));
    }
    List<FieldProblem> problems = new ArrayList<>();
    Event.Builder b = Event.builder().uploadTime(uploadTime);

    String eventType = text(node, "event_type", problems);
    if (eventType == null || eventType.isBlank()) {
      if (problems.isEmpty()) {
        problems.add(FieldProblem.missing("event_type"));
      }
    } else {
      b.eventType(JsonConvert.cut(eventType));
    }
    String userId = id(node, "user_id", minIdLength, problems);
    String deviceId = id(node, "device_id", minIdLength, problems);
    if (userId == null
        && deviceId == null
        && !node.hasNonNull("user_id")
        && !node.hasNonNull("device_id")) {
      problems.add(
          new FieldProblem(
              FieldProblem.Kind.MISSING, "device_id", "an event needs a user_id or a device_id"));
    }
    b.userId(userId).deviceId(deviceId);

    JsonNode time = node.get("time");
    if (time == null || time.isNull()) {
      b.time(uploadTime);
    } else if (isWholeNumber(time)
        && time.asLong() >= 0
        && time.asLong() <= Timestamps.MAX_MILLIS) {
      b.time(time.asLong());
    } else {
      problems.add(
          FieldProblem.invalid(
              "time",
              "time must be milliseconds since the epoch (before the year 10000), as a whole number"));
    }

    STRINGS.forEach(
        (field, setter) -> {
          String v = text(node, field, problems);
          if (v != null) {
            setter.accept(b, JsonConvert.cut(v));
          }
        });
    if (!node.hasNonNull("app_version") && node.path("version_name").isTextual()) {
      b.appVersion(JsonConvert.cut(node.get("version_name").textValue()));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object>[] properties = new Map[] {Map.of()};
    OBJECTS.forEach(
        (field, setter) -> {
          JsonNode v = node.get(field);
          if (v == null || v.isNull()) {
            return;
          }
          if (!v.isObject()) {
            problems.add(FieldProblem.invalid(field, field + " must be a JSON object"));
            return;
          }
          try {
            Map<String, Object> value = JsonConvert.object(v);
            setter.accept(b, value);
            if (field.equals("event_properties")) {
              properties[0] = value;
            }
          } catch (JsonConvert.BadValue e) {
            problems.add(FieldProblem.invalid(field, field + " " + e.getMessage()));
          }
        });

    Long sessionId = whole(node, "session_id", problems);
    b.sessionId(sessionId);
    b.eventId(whole(node, "event_id", problems));
    LegacyAmplitudeRevenue.map(node, properties[0], b, problems);
    b.locationLat(number(node, "location_lat", problems));
    b.locationLng(number(node, "location_lng", problems));

    String ip = text(node, "ip", problems);
    b.ip("$remote".equals(ip) ? remoteIp : ip);

    JsonNode plan = node.get("plan");
    if (plan != null && !plan.isNull()) {
      if (plan.isObject()) {
        b.plan(
            new Plan(
                planPart(plan, "branch"),
                planPart(plan, "source"),
                planPart(plan, "version"),
                planPart(plan, "versionId")));
      } else {
        problems.add(FieldProblem.invalid("plan", "plan must be a JSON object"));
      }
    }
    return problems.isEmpty() ? ParsedEvent.of(b.build()) : ParsedEvent.rejected(problems);
  }

  private static String id(
      JsonNode node, String field, int minIdLength, List<FieldProblem> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      problems.add(FieldProblem.invalid(field, field + " must be a string"));
      return null;
    }
    String id = v.textValue();
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

  static String text(JsonNode node, String field, List<FieldProblem> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    problems.add(FieldProblem.invalid(field, field + " must be a string"));
    return null;
  }

  static Long whole(JsonNode node, String field, List<FieldProblem> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (isWholeNumber(v)) {
      return v.asLong();
    }
    problems.add(FieldProblem.invalid(field, field + " must be a whole number"));
    return null;
  }

  static Double number(JsonNode node, String field, List<FieldProblem> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber() && Double.isFinite(v.doubleValue())) {
      return v.doubleValue();
    }
    problems.add(FieldProblem.invalid(field, field + " must be a number"));
    return null;
  }

  private static boolean isWholeNumber(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.canConvertToLong();
    }
    if (v.isFloatingPointNumber()) {
      double d = v.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 9.0e15;
    }
    return false;
  }

  private static String planPart(JsonNode plan, String field) {
    JsonNode v = plan.get(field);
    return v == null || v.isNull()
        ? null
        : JsonConvert.cut(v.isTextual() ? v.textValue() : v.toString());
  }
}
