package dev.weir.sdk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * One product-analytics event in Weir's canonical model, after Amplitude's event: who did what,
 * when, where, with which properties. Segment-style calls map onto it (see {@code
 * docs/ingestion.md}).
 *
 * <p>Immutable and thread-safe. Optional fields are {@code null} when absent; property maps and the
 * violation list are never null (empty when absent) and hold only JSON-like values: {@code String},
 * {@code Number}, {@code Boolean}, {@code null}, {@code List} and {@code Map<String, Object>}.
 *
 * <p>Every field is declared once, in {@link Field}; the accessors, the builder, {@link #toMap()},
 * {@link #fromMap(Map)}, {@link #toJson()}, {@code equals}/{@code hashCode} and the store's codec
 * all derive from that table ({@link #get(Field)} and {@link Builder#set(Field, Object)} are the
 * generic forms).
 */
public final class Event {
  /** The Java type of a field's value. */
  public enum Kind {
    /** {@code String}. */
    STRING,
    /** {@code Long}. */
    LONG,
    /** {@code Integer}. */
    INT,
    /** {@code Double}, finite. */
    DOUBLE,
    /** An immutable {@code Map<String, Object>} of JSON-like values, never null (empty). */
    OBJECT,
    /** {@link Plan}. */
    PLAN,
    /** An immutable {@code List<Violation>}, never null (empty). */
    VIOLATIONS
  }

  /** The event's fields in canonical order, each with its snake_case JSON name and its kind. */
  public enum Field {
    EVENT_TYPE("event_type", Kind.STRING),
    USER_ID("user_id", Kind.STRING),
    DEVICE_ID("device_id", Kind.STRING),
    TIME("time", Kind.LONG),
    INSERT_ID("insert_id", Kind.STRING),
    SESSION_ID("session_id", Kind.LONG),
    EVENT_ID("event_id", Kind.LONG),
    EVENT_PROPERTIES("event_properties", Kind.OBJECT),
    USER_PROPERTIES("user_properties", Kind.OBJECT),
    GROUPS("groups", Kind.OBJECT),
    GROUP_PROPERTIES("group_properties", Kind.OBJECT),
    APP_VERSION("app_version", Kind.STRING),
    PLATFORM("platform", Kind.STRING),
    OS_NAME("os_name", Kind.STRING),
    OS_VERSION("os_version", Kind.STRING),
    DEVICE_BRAND("device_brand", Kind.STRING),
    DEVICE_MANUFACTURER("device_manufacturer", Kind.STRING),
    DEVICE_MODEL("device_model", Kind.STRING),
    CARRIER("carrier", Kind.STRING),
    COUNTRY("country", Kind.STRING),
    REGION("region", Kind.STRING),
    CITY("city", Kind.STRING),
    DMA("dma", Kind.STRING),
    LANGUAGE("language", Kind.STRING),
    LOCATION_LAT("location_lat", Kind.DOUBLE),
    LOCATION_LNG("location_lng", Kind.DOUBLE),
    IP("ip", Kind.STRING),
    IDFA("idfa", Kind.STRING),
    IDFV("idfv", Kind.STRING),
    ADID("adid", Kind.STRING),
    ANDROID_ID("android_id", Kind.STRING),
    USER_AGENT("user_agent", Kind.STRING),
    LIBRARY("library", Kind.STRING),
    PRICE("price", Kind.DOUBLE),
    QUANTITY("quantity", Kind.INT),
    REVENUE("revenue", Kind.DOUBLE),
    PRODUCT_ID("product_id", Kind.STRING),
    REVENUE_TYPE("revenue_type", Kind.STRING),
    CURRENCY("currency", Kind.STRING),
    PLAN("plan", Kind.PLAN),
    SOURCE_ID("source_id", Kind.STRING),
    UPLOAD_TIME("upload_time", Kind.LONG),
    VIOLATIONS("violations", Kind.VIOLATIONS);

    private static final Map<String, Field> BY_NAME = new HashMap<>();

    static {
      for (Field f : values()) {
        BY_NAME.put(f.jsonName, f);
      }
    }

    private final String jsonName;
    private final Kind kind;

    Field(String jsonName, Kind kind) {
      this.jsonName = jsonName;
      this.kind = kind;
    }

    /** The canonical JSON key, such as {@code event_type}. */
    public String jsonName() {
      return jsonName;
    }

    /** The type of the field's value. */
    public Kind kind() {
      return kind;
    }

    /** The field whose JSON key is {@code jsonName}, or null. */
    public static Field named(String jsonName) {
      return BY_NAME.get(jsonName);
    }
  }

  private static final Field[] FIELDS = Field.values();

  private static final int EVENT_TYPE_ = 0;
  private static final int USER_ID_ = 1;
  private static final int DEVICE_ID_ = 2;
  private static final int TIME_ = 3;
  private static final int INSERT_ID_ = 4;
  private static final int SESSION_ID_ = 5;
  private static final int EVENT_ID_ = 6;
  private static final int EVENT_PROPERTIES_ = 7;
  private static final int USER_PROPERTIES_ = 8;
  private static final int GROUPS_ = 9;
  private static final int GROUP_PROPERTIES_ = 10;
  private static final int APP_VERSION_ = 11;
  private static final int PLATFORM_ = 12;
  private static final int OS_NAME_ = 13;
  private static final int OS_VERSION_ = 14;
  private static final int DEVICE_BRAND_ = 15;
  private static final int DEVICE_MANUFACTURER_ = 16;
  private static final int DEVICE_MODEL_ = 17;
  private static final int CARRIER_ = 18;
  private static final int COUNTRY_ = 19;
  private static final int REGION_ = 20;
  private static final int CITY_ = 21;
  private static final int DMA_ = 22;
  private static final int LANGUAGE_ = 23;
  private static final int LOCATION_LAT_ = 24;
  private static final int LOCATION_LNG_ = 25;
  private static final int IP_ = 26;
  private static final int IDFA_ = 27;
  private static final int IDFV_ = 28;
  private static final int ADID_ = 29;
  private static final int ANDROID_ID_ = 30;
  private static final int USER_AGENT_ = 31;
  private static final int LIBRARY_ = 32;
  private static final int PRICE_ = 33;
  private static final int QUANTITY_ = 34;
  private static final int REVENUE_ = 35;
  private static final int PRODUCT_ID_ = 36;
  private static final int REVENUE_TYPE_ = 37;
  private static final int CURRENCY_ = 38;
  private static final int PLAN_ = 39;
  private static final int SOURCE_ID_ = 40;
  private static final int UPLOAD_TIME_ = 41;
  private static final int VIOLATIONS_ = 42;

  /** The canonical JSON field names, in the order {@link #toMap()} writes them. */
  public static final List<String> FIELD_NAMES =
      Arrays.stream(FIELDS).map(Field::jsonName).toList();

  /**
   * One value per {@link Field}, by ordinal; objects and violations are never null. For an event
   * read from a record, a slot is null until first read, then holds the decoded value ({@link
   * #ABSENT} for a field that is not there): each slot is written once with an immutable value
   * (racy but idempotent, like String's hash; a thread that sees null decodes again). So the array
   * needs no filling when the event is made.
   */
  private final Object[] values;

  /** The record this event was read from ({@link #fromRecord}), or null when it was built. */
  private final byte[] rec;

  private final int recOff;
  private final int recLen;

  /** A decoded field that is absent (null), in an event read from a record. */
  private static final Object ABSENT = new Object();

  /** {@link #toJson()}, computed on first use (racy but idempotent, like String's hash). */
  private String json;

  private Event(Object[] values) {
    this.values = values;
    this.rec = null;
    this.recOff = 0;
    this.recLen = 0;
  }

  private Event(byte[] rec, int off, int len) {
    this.values = new Object[FIELDS.length];
    this.rec = rec;
    this.recOff = off;
    this.recLen = len;
  }

  /**
   * The event whose record ({@link #toRecord()}) is {@code bytes[offset, offset + length)}, read
   * without copying: each field is decoded when first asked for, objects stay encoded until their
   * entries are read, and {@link #toJson()} is written from the bytes. The bytes must not change
   * afterwards.
   *
   * @throws IllegalArgumentException when the bytes are not a valid record
   */
  public static Event fromRecord(byte[] bytes, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
    EventRecord.validate(bytes, offset, length);
    return new Event(bytes, offset, length);
  }

  /** The event read from a record this package wrote (not validated again). */
  static Event ofRecord(byte[] rec) {
    return new Event(rec, 0, rec.length);
  }

  /**
   * This event with {@code source_id} and {@code upload_time} set, whatever it carried (a null
   * source id clears it). An event read from a record ({@link #fromRecord}, {@link RecordWriter})
   * gets a spliced record: the two fields written in their place, the other bytes copied as they
   * are, nothing decoded. Otherwise, as {@code toBuilder().sourceId(..).uploadTime(..).build()}.
   */
  public Event withSourceAndUploadTime(String sourceId, long uploadTime) {
    if (rec == null) {
      return toBuilder().sourceId(sourceId).uploadTime(uploadTime).build();
    }
    return ofRecord(EventRecord.withSourceAndUploadTime(rec, recOff, recLen, sourceId, uploadTime));
  }

  /**
   * The event's record: a compact binary form of its fields (each field by its ordinal in {@link
   * Field}, no key names, variable-length numbers, objects copied as they were parsed) that {@link
   * #fromRecord} reads back equal. The first byte names the format. A new array each call.
   */
  public byte[] toRecord() {
    if (rec != null) {
      return Arrays.copyOfRange(rec, recOff, recOff + recLen);
    }
    return EventRecord.encode(values);
  }

  /** Slot {@code i}'s value, decoded from the record on first use. */
  private Object v(int i) {
    Object x = values[i];
    if (x == null && rec != null) {
      return decode(i);
    }
    return x == ABSENT ? null : x;
  }

  private Object decode(int i) {
    Object x = EventRecord.field(rec, recOff, recLen, FIELDS[i]);
    values[i] = x == null ? ABSENT : x;
    return x;
  }

  /**
   * Every slot, decoded: the event's own array when it was built, a new one (nulls for absent
   * fields) when it was read from a record.
   */
  private Object[] all() {
    if (rec == null) {
      return values;
    }
    Object[] out = values.clone();
    EventRecord.decodeAll(rec, recOff, recLen, out, null);
    for (int i = 0; i < out.length; i++) {
      if (out[i] == ABSENT) {
        out[i] = null;
      } else if (values[i] == null) {
        values[i] = out[i] == null ? ABSENT : out[i];
      }
    }
    return out;
  }

  /** The value of a field that is not set: null, or an empty map or list. */
  static Object absent(Field f) {
    return f.kind == Kind.OBJECT ? Map.of() : f.kind == Kind.VIOLATIONS ? List.of() : null;
  }

  /** A new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this event's values (shares its immutable property maps). */
  public Builder toBuilder() {
    Object[] all = all();
    return new Builder(all == values ? all.clone() : all);
  }

  /**
   * The value of {@code field}: the same object its accessor returns ({@code null} when absent,
   * empty maps and lists for absent objects and violations).
   */
  public Object get(Field field) {
    return v(field.ordinal());
  }

  /** Whether {@code field} is set: not null, and not an empty map or list. */
  public boolean has(Field field) {
    return present(v(field.ordinal()));
  }

  static boolean present(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    if (v instanceof List<?> l) {
      return !l.isEmpty();
    }
    return true;
  }

  /**
   * The event's name, such as {@code Add To Cart}; {@code $identify} and {@code $groupidentify} for
   * identify and group calls.
   */
  public String eventType() {
    return (String) v(EVENT_TYPE_);
  }

  /** The user's id in the customer's system; null for anonymous events. */
  public String userId() {
    return (String) v(USER_ID_);
  }

  /** The device or anonymous id; null when only a user id is known. */
  public String deviceId() {
    return (String) v(DEVICE_ID_);
  }

  /** Event time in milliseconds since the epoch; null until ingestion fills in the upload time. */
  public Long time() {
    return (Long) v(TIME_);
  }

  /** The dedup key (scoped per source); events without one are never deduplicated. */
  public String insertId() {
    return (String) v(INSERT_ID_);
  }

  /** Session start time in milliseconds, or -1 for none. */
  public Long sessionId() {
    return (Long) v(SESSION_ID_);
  }

  /** A counter the client assigns to order its events. */
  public Long eventId() {
    return (Long) v(EVENT_ID_);
  }

  /** Properties of this event (JSON-like values). */
  @SuppressWarnings("unchecked")
  public Map<String, Object> eventProperties() {
    return (Map<String, Object>) v(EVENT_PROPERTIES_);
  }

  /** User properties, including Amplitude's {@code $set}-style operations. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> userProperties() {
    return (Map<String, Object>) v(USER_PROPERTIES_);
  }

  /** Group memberships, group type to group name(s). */
  @SuppressWarnings("unchecked")
  public Map<String, Object> groups() {
    return (Map<String, Object>) v(GROUPS_);
  }

  /** Properties of a group, for {@code $groupidentify}. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> groupProperties() {
    return (Map<String, Object>) v(GROUP_PROPERTIES_);
  }

  /** The {@code app_version} field, or null. */
  public String appVersion() {
    return (String) v(APP_VERSION_);
  }

  /** The {@code platform} field, or null. */
  public String platform() {
    return (String) v(PLATFORM_);
  }

  /** The {@code os_name} field, or null. */
  public String osName() {
    return (String) v(OS_NAME_);
  }

  /** The {@code os_version} field, or null. */
  public String osVersion() {
    return (String) v(OS_VERSION_);
  }

  /** The {@code device_brand} field, or null. */
  public String deviceBrand() {
    return (String) v(DEVICE_BRAND_);
  }

  /** The {@code device_manufacturer} field, or null. */
  public String deviceManufacturer() {
    return (String) v(DEVICE_MANUFACTURER_);
  }

  /** The {@code device_model} field, or null. */
  public String deviceModel() {
    return (String) v(DEVICE_MODEL_);
  }

  /** The {@code carrier} field, or null. */
  public String carrier() {
    return (String) v(CARRIER_);
  }

  /** The {@code country} field, or null. */
  public String country() {
    return (String) v(COUNTRY_);
  }

  /** The {@code region} field, or null. */
  public String region() {
    return (String) v(REGION_);
  }

  /** The {@code city} field, or null. */
  public String city() {
    return (String) v(CITY_);
  }

  /** The {@code dma} field, or null. */
  public String dma() {
    return (String) v(DMA_);
  }

  /** The {@code language} field, or null. */
  public String language() {
    return (String) v(LANGUAGE_);
  }

  /** The {@code location_lat} field, or null. */
  public Double locationLat() {
    return (Double) v(LOCATION_LAT_);
  }

  /** The {@code location_lng} field, or null. */
  public Double locationLng() {
    return (Double) v(LOCATION_LNG_);
  }

  /** The {@code ip} field, or null. */
  public String ip() {
    return (String) v(IP_);
  }

  /** The {@code idfa} field, or null. */
  public String idfa() {
    return (String) v(IDFA_);
  }

  /** The {@code idfv} field, or null. */
  public String idfv() {
    return (String) v(IDFV_);
  }

  /** The {@code adid} field, or null. */
  public String adid() {
    return (String) v(ADID_);
  }

  /** The {@code android_id} field, or null. */
  public String androidId() {
    return (String) v(ANDROID_ID_);
  }

  /** The {@code user_agent} field, or null. */
  public String userAgent() {
    return (String) v(USER_AGENT_);
  }

  /** The SDK or library that sent the event. */
  public String library() {
    return (String) v(LIBRARY_);
  }

  /** The {@code price} field, or null. */
  public Double price() {
    return (Double) v(PRICE_);
  }

  /** The {@code quantity} field, or null. */
  public Integer quantity() {
    return (Integer) v(QUANTITY_);
  }

  /** The {@code revenue} field, or null. */
  public Double revenue() {
    return (Double) v(REVENUE_);
  }

  /** The {@code product_id} field, or null. */
  public String productId() {
    return (String) v(PRODUCT_ID_);
  }

  /** The {@code revenue_type} field, or null. */
  public String revenueType() {
    return (String) v(REVENUE_TYPE_);
  }

  /** The {@code currency} field, or null. */
  public String currency() {
    return (String) v(CURRENCY_);
  }

  /** The tracking-plan coordinates the client named, if any. */
  public Plan plan() {
    return (Plan) v(PLAN_);
  }

  /** The workspace source that received the event; set by the host. */
  public String sourceId() {
    return (String) v(SOURCE_ID_);
  }

  /**
   * Server-assigned receive time in milliseconds: HTTP receive time, or the Kafka record timestamp.
   */
  public Long uploadTime() {
    return (Long) v(UPLOAD_TIME_);
  }

  /** Tracking-plan violations attached by governance when an event is flagged; empty otherwise. */
  @SuppressWarnings("unchecked")
  public List<Violation> violations() {
    return (List<Violation>) v(VIOLATIONS_);
  }

  /**
   * The user id when present, else the device id: the identity that partitions and counts distinct
   * users.
   */
  public String identity() {
    String user = userId();
    return user != null ? user : deviceId();
  }

  /**
   * The canonical JSON object of this event: snake_case keys in {@link #FIELD_NAMES} order, absent
   * fields and empty maps omitted. The result is a new mutable map the caller owns.
   */
  public Map<String, Object> toMap() {
    Object[] values = all();
    Map<String, Object> m = new LinkedHashMap<>();
    for (Field f : FIELDS) {
      Object v = values[f.ordinal()];
      if (!present(v)) {
        continue;
      }
      m.put(f.jsonName, jsonValue(f, v, true));
    }
    return m;
  }

  /**
   * Calls {@code action} with each field of {@link #toMap()}, in the same order, without copying:
   * object fields are passed as this event's own read-only maps (not thawed copies). Runs on the
   * calling thread; the values must not be kept past the call if the caller wants mutable ones.
   */
  public void forEachJsonField(BiConsumer<String, Object> action) {
    Object[] values = all();
    for (Field f : FIELDS) {
      Object v = values[f.ordinal()];
      if (present(v)) {
        action.accept(f.jsonName, jsonValue(f, v, false));
      }
    }
  }

  /** A field's value as a JSON-like value: plans and violations as maps, objects thawed on ask. */
  private static Object jsonValue(Field f, Object v, boolean thaw) {
    return switch (f.kind) {
      case OBJECT -> thaw ? JsonValues.thaw(v) : v;
      case PLAN -> ((Plan) v).toMap();
      case VIOLATIONS -> {
        List<Object> list = new ArrayList<>();
        for (Object o : (List<?>) v) {
          list.add(((Violation) o).toMap());
        }
        yield list;
      }
      default -> v;
    };
  }

  /**
   * The canonical JSON text of {@link #toMap()}, written straight from the fields (no maps are
   * built): the same keys in the same order, strings escaped as Jackson does. Computed once per
   * event, so the delivery engine sizing a batch and the destination sending it share the work.
   */
  public String toJson() {
    String j = json;
    if (j == null) {
      j = rec != null ? EventRecord.toJson(rec, recOff, recLen) : writeJson();
      json = j;
    }
    return j;
  }

  private String writeJson() {
    StringBuilder sb = new StringBuilder(256);
    sb.append('{');
    boolean first = true;
    for (Field f : FIELDS) {
      Object v = values[f.ordinal()];
      if (!present(v)) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      JsonValues.writeString(sb, f.jsonName);
      sb.append(':');
      JsonValues.writeJson(sb, jsonValue(f, v, false));
    }
    return sb.append('}').toString();
  }

  /**
   * Reads a canonical JSON object (as parsed by any JSON library into maps and lists).
   *
   * @throws IllegalArgumentException naming the field, when a key is unknown or a value has the
   *     wrong type
   */
  public static Event fromMap(Map<String, ?> map) {
    Builder b = new Builder();
    for (Map.Entry<String, ?> e : map.entrySet()) {
      Field f = Field.named(e.getKey());
      if (f == null) {
        throw new IllegalArgumentException("unknown event field '" + e.getKey() + "'");
      }
      if (e.getValue() != null) {
        b.set(f, e.getValue());
      }
    }
    return b.build();
  }

  /**
   * Field by field, without copying: two events read from the same record bytes are equal at once;
   * otherwise each field is compared as it is held (property objects kept compact are compared on
   * their bytes), and the comparison stops at the first difference.
   */
  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof Event other)) {
      return false;
    }
    if (rec != null
        && other.rec != null
        && Arrays.equals(
            rec, recOff, recOff + recLen, other.rec, other.recOff, other.recOff + other.recLen)) {
      return true;
    }
    for (int i = 0; i < FIELDS.length; i++) {
      if (!Objects.equals(v(i), other.v(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code Arrays.hashCode} of the field values, without copying (compact property objects hash
   * their bytes).
   */
  @Override
  public int hashCode() {
    int h = 1;
    for (int i = 0; i < FIELDS.length; i++) {
      h = 31 * h + Objects.hashCode(v(i));
    }
    return h;
  }

  @Override
  public String toString() {
    return "Event" + toMap();
  }

  /** Builds an {@link Event}; not thread-safe. Map setters copy their argument. */
  public static final class Builder {
    private final Object[] values;

    private Builder() {
      this(new Object[FIELDS.length]);
      for (Field f : FIELDS) {
        if (f.kind == Kind.OBJECT) {
          values[f.ordinal()] = Map.of();
        } else if (f.kind == Kind.VIOLATIONS) {
          values[f.ordinal()] = List.of();
        }
      }
    }

    private Builder(Object[] values) {
      this.values = values;
    }

    /**
     * Sets {@code field} from a value of its kind or a JSON-like value that converts to it (as
     * {@link Event#fromMap(Map)} converts); null clears it. Objects are deep-copied and frozen.
     *
     * @throws IllegalArgumentException naming the field, when the value has the wrong type
     */
    public Builder set(Field field, Object value) {
      values[field.ordinal()] = coerce(field, value);
      return this;
    }

    private static Object coerce(Field f, Object v) {
      String key = f.jsonName;
      switch (f.kind) {
        case STRING:
          return v == null ? null : JsonValues.asString(key, v);
        case LONG:
          return v == null || v instanceof Long ? v : JsonValues.asLong(key, v);
        case INT:
          return v == null || v instanceof Integer ? v : JsonValues.asInt(key, v);
        case DOUBLE:
          return v == null ? null : JsonValues.asDouble(key, v);
        case OBJECT:
          return v == null ? Map.of() : JsonValues.freezeObject(JsonValues.asObject(key, v));
        case PLAN:
          return v == null || v instanceof Plan ? v : Plan.fromMap(JsonValues.asObject(key, v));
        default:
          if (v == null) {
            return List.of();
          }
          if (v instanceof List<?> l && l.stream().allMatch(Violation.class::isInstance)) {
            return List.copyOf(l);
          }
          return List.copyOf(Violation.listFromJson(key, v));
      }
    }

    public Builder eventType(String value) {
      values[EVENT_TYPE_] = value;
      return this;
    }

    public Builder userId(String value) {
      values[USER_ID_] = value;
      return this;
    }

    public Builder deviceId(String value) {
      values[DEVICE_ID_] = value;
      return this;
    }

    public Builder time(Long value) {
      values[TIME_] = value;
      return this;
    }

    public Builder insertId(String value) {
      values[INSERT_ID_] = value;
      return this;
    }

    public Builder sessionId(Long value) {
      values[SESSION_ID_] = value;
      return this;
    }

    public Builder eventId(Long value) {
      values[EVENT_ID_] = value;
      return this;
    }

    public Builder eventProperties(Map<String, ?> value) {
      return set(Field.EVENT_PROPERTIES, value);
    }

    public Builder userProperties(Map<String, ?> value) {
      return set(Field.USER_PROPERTIES, value);
    }

    public Builder groups(Map<String, ?> value) {
      return set(Field.GROUPS, value);
    }

    public Builder groupProperties(Map<String, ?> value) {
      return set(Field.GROUP_PROPERTIES, value);
    }

    public Builder appVersion(String value) {
      values[APP_VERSION_] = value;
      return this;
    }

    public Builder platform(String value) {
      values[PLATFORM_] = value;
      return this;
    }

    public Builder osName(String value) {
      values[OS_NAME_] = value;
      return this;
    }

    public Builder osVersion(String value) {
      values[OS_VERSION_] = value;
      return this;
    }

    public Builder deviceBrand(String value) {
      values[DEVICE_BRAND_] = value;
      return this;
    }

    public Builder deviceManufacturer(String value) {
      values[DEVICE_MANUFACTURER_] = value;
      return this;
    }

    public Builder deviceModel(String value) {
      values[DEVICE_MODEL_] = value;
      return this;
    }

    public Builder carrier(String value) {
      values[CARRIER_] = value;
      return this;
    }

    public Builder country(String value) {
      values[COUNTRY_] = value;
      return this;
    }

    public Builder region(String value) {
      values[REGION_] = value;
      return this;
    }

    public Builder city(String value) {
      values[CITY_] = value;
      return this;
    }

    public Builder dma(String value) {
      values[DMA_] = value;
      return this;
    }

    public Builder language(String value) {
      values[LANGUAGE_] = value;
      return this;
    }

    public Builder locationLat(Double value) {
      values[LOCATION_LAT_] = value;
      return this;
    }

    public Builder locationLng(Double value) {
      values[LOCATION_LNG_] = value;
      return this;
    }

    public Builder ip(String value) {
      values[IP_] = value;
      return this;
    }

    public Builder idfa(String value) {
      values[IDFA_] = value;
      return this;
    }

    public Builder idfv(String value) {
      values[IDFV_] = value;
      return this;
    }

    public Builder adid(String value) {
      values[ADID_] = value;
      return this;
    }

    public Builder androidId(String value) {
      values[ANDROID_ID_] = value;
      return this;
    }

    public Builder userAgent(String value) {
      values[USER_AGENT_] = value;
      return this;
    }

    public Builder library(String value) {
      values[LIBRARY_] = value;
      return this;
    }

    public Builder price(Double value) {
      values[PRICE_] = value;
      return this;
    }

    public Builder quantity(Integer value) {
      values[QUANTITY_] = value;
      return this;
    }

    public Builder revenue(Double value) {
      values[REVENUE_] = value;
      return this;
    }

    public Builder productId(String value) {
      values[PRODUCT_ID_] = value;
      return this;
    }

    public Builder revenueType(String value) {
      values[REVENUE_TYPE_] = value;
      return this;
    }

    public Builder currency(String value) {
      values[CURRENCY_] = value;
      return this;
    }

    public Builder plan(Plan value) {
      values[PLAN_] = value;
      return this;
    }

    public Builder sourceId(String value) {
      values[SOURCE_ID_] = value;
      return this;
    }

    public Builder uploadTime(Long value) {
      values[UPLOAD_TIME_] = value;
      return this;
    }

    public Builder violations(List<Violation> value) {
      return set(Field.VIOLATIONS, value);
    }

    /** Adds one violation to those already set. */
    public Builder addViolation(Violation value) {
      List<Violation> list = new ArrayList<>(violations());
      list.add(Objects.requireNonNull(value, "violation"));
      values[VIOLATIONS_] = List.copyOf(list);
      return this;
    }

    @SuppressWarnings("unchecked")
    private List<Violation> violations() {
      return (List<Violation>) values[VIOLATIONS_];
    }

    /** The immutable event. */
    public Event build() {
      return new Event(values.clone());
    }
  }
}
