package dev.weir.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sdk.Event;
import dev.weir.sdk.Plan;
import dev.weir.sdk.RecordWriter;
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

  private static final Event.Field[] FIELDS = Event.Field.values();

  /** Each thread's record writer: events are written straight into their records. */
  private static final ThreadLocal<RecordWriter> WRITER =
      ThreadLocal.withInitial(RecordWriter::new);

  private static ParsedEvent map(
      AmplitudeFields f, int minIdLength, long uploadTime, String remoteIp) {
    List<FieldProblem> problems = new ArrayList<>();
    // The mapped values by field ordinal (null: absent), checked in the order problems are
    // reported, then written into the record in field order.
    Object[] out = new Object[FIELDS.length];
    out[UPLOAD_TIME] = uploadTime;

    String eventType = f.text(AmplitudeFields.EVENT_TYPE, problems);
    if (eventType == null || eventType.isBlank()) {
      if (problems.isEmpty()) {
        problems.add(FieldProblem.missing("event_type"));
      }
    } else {
      out[Event.Field.EVENT_TYPE.ordinal()] = JsonConvert.cut(eventType);
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
    out[Event.Field.USER_ID.ordinal()] = userId;
    out[Event.Field.DEVICE_ID.ordinal()] = deviceId;

    Object time = f.get(AmplitudeFields.TIME);
    if (time == null) {
      out[Event.Field.TIME.ordinal()] = uploadTime;
    } else if (AmplitudeFields.isWhole(time)
        && AmplitudeFields.asLong(time) >= 0
        && AmplitudeFields.asLong(time) <= Timestamps.MAX_MILLIS) {
      out[Event.Field.TIME.ordinal()] = AmplitudeFields.asLong(time);
    } else {
      problems.add(
          FieldProblem.invalid(
              "time",
              "time must be milliseconds since the epoch (before the year 10000), as a whole number"));
    }

    for (int i = 0; i < STRINGS.size(); i++) {
      String v = f.text(AmplitudeFields.STRINGS + i, problems);
      if (v != null) {
        out[STRINGS.get(i).ordinal()] = JsonConvert.cut(v);
      }
    }
    int appVersion = AmplitudeFields.STRINGS + STRINGS.indexOf(Event.Field.APP_VERSION);
    if (!f.has(appVersion) && f.get(AmplitudeFields.VERSION_NAME) instanceof String name) {
      out[Event.Field.APP_VERSION.ordinal()] = JsonConvert.cut(name);
    }
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
        out[OBJECTS[i].ordinal()] = value;
      } else {
        problems.add(FieldProblem.invalid(field, field + " must be a JSON object"));
      }
    }

    out[Event.Field.SESSION_ID.ordinal()] = f.whole(AmplitudeFields.SESSION_ID, problems);
    out[Event.Field.EVENT_ID.ordinal()] = f.whole(AmplitudeFields.EVENT_ID, problems);
    AmplitudeRevenue.map(f, out, problems);
    out[Event.Field.LOCATION_LAT.ordinal()] = f.number(AmplitudeFields.LOCATION_LAT, problems);
    out[Event.Field.LOCATION_LNG.ordinal()] = f.number(AmplitudeFields.LOCATION_LNG, problems);

    String ip = f.text(AmplitudeFields.IP, problems);
    out[Event.Field.IP.ordinal()] = "$remote".equals(ip) ? remoteIp : ip;

    Object plan = f.get(AmplitudeFields.PLAN);
    if (plan instanceof JsonNode node) {
      out[Event.Field.PLAN.ordinal()] =
          new Plan(
              planPart(node, "branch"),
              planPart(node, "source"),
              planPart(node, "version"),
              planPart(node, "versionId"));
    } else if (plan != null) {
      problems.add(FieldProblem.invalid("plan", "plan must be a JSON object"));
    }
    return problems.isEmpty() ? ParsedEvent.of(write(out)) : ParsedEvent.rejected(problems);
  }

  private static final int UPLOAD_TIME = Event.Field.UPLOAD_TIME.ordinal();

  /** The event of the mapped values, written in field order straight into its record. */
  @SuppressWarnings("unchecked")
  private static Event write(Object[] out) {
    RecordWriter w = WRITER.get();
    w.reset();
    for (int i = 0; i < out.length; i++) {
      Object v = out[i];
      if (v == null) {
        continue;
      }
      Event.Field field = FIELDS[i];
      switch (field.kind()) {
        case STRING -> w.string(field, (String) v);
        case LONG -> w.whole(field, ((Long) v).longValue());
        case INT -> w.whole(field, ((Integer) v).longValue());
        case DOUBLE -> w.number(field, (Double) v);
        case OBJECT -> w.object(field, (Map<String, Object>) v);
        case PLAN -> w.plan((Plan) v);
        default -> throw new IllegalStateException("not mapped from Amplitude: " + field);
      }
    }
    return w.build();
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
    if (isJunk(id)) {
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

  /** The longest junk id's length. */
  private static final int JUNK_MAX = JUNK_IDS.stream().mapToInt(String::length).max().orElse(0);

  private static final String[] JUNK = JUNK_IDS.toArray(new String[0]);

  /**
   * {@code JUNK_IDS.contains(id.trim().toLowerCase(Locale.ROOT))}, without lowering the case of ids
   * that cannot be junk: lowering never shortens a string, so a trimmed id longer than the longest
   * junk id is real; an ASCII one is compared ignoring case (exactly what lowering does to ASCII);
   * any other takes the exact check.
   */
  static boolean isJunk(String id) {
    int from = 0;
    int to = id.length();
    while (from < to && id.charAt(from) <= ' ') {
      from++;
    }
    while (to > from && id.charAt(to - 1) <= ' ') {
      to--;
    }
    int n = to - from;
    if (n > JUNK_MAX) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (id.charAt(i) >= 0x80) {
        return JUNK_IDS.contains(id.trim().toLowerCase(Locale.ROOT));
      }
    }
    for (String junk : JUNK) {
      if (junk.length() == n && id.regionMatches(true, from, junk, 0, n)) {
        return true;
      }
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
