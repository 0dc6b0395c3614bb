package dev.weir.sdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One product-analytics event in Weir's canonical model, after Amplitude's event: who did what,
 * when, where, with which properties. Segment-style calls map onto it (see {@code
 * docs/ingestion.md}).
 *
 * <p>Immutable and thread-safe. Optional fields are {@code null} when absent; property maps and the
 * violation list are never null (empty when absent) and hold only JSON-like values: {@code String},
 * {@code Number}, {@code Boolean}, {@code null}, {@code List} and {@code Map<String, Object>}.
 *
 * <p>{@link #toMap()} and {@link #fromMap(Map)} convert to and from the canonical JSON object,
 * whose keys are the snake_case names listed in {@link #FIELD_NAMES}.
 */
public final class Event {
  /** The canonical JSON field names, in the order {@link #toMap()} writes them. */
  public static final List<String> FIELD_NAMES =
      List.of(
          "event_type",
          "user_id",
          "device_id",
          "time",
          "insert_id",
          "session_id",
          "event_id",
          "event_properties",
          "user_properties",
          "groups",
          "group_properties",
          "app_version",
          "platform",
          "os_name",
          "os_version",
          "device_brand",
          "device_manufacturer",
          "device_model",
          "carrier",
          "country",
          "region",
          "city",
          "dma",
          "language",
          "location_lat",
          "location_lng",
          "ip",
          "idfa",
          "idfv",
          "adid",
          "android_id",
          "user_agent",
          "library",
          "price",
          "quantity",
          "revenue",
          "product_id",
          "revenue_type",
          "currency",
          "plan",
          "source_id",
          "upload_time",
          "violations");

  private final String eventType;
  private final String userId;
  private final String deviceId;
  private final Long time;
  private final String insertId;
  private final Long sessionId;
  private final Long eventId;
  private final Map<String, Object> eventProperties;
  private final Map<String, Object> userProperties;
  private final Map<String, Object> groups;
  private final Map<String, Object> groupProperties;
  private final String appVersion;
  private final String platform;
  private final String osName;
  private final String osVersion;
  private final String deviceBrand;
  private final String deviceManufacturer;
  private final String deviceModel;
  private final String carrier;
  private final String country;
  private final String region;
  private final String city;
  private final String dma;
  private final String language;
  private final Double locationLat;
  private final Double locationLng;
  private final String ip;
  private final String idfa;
  private final String idfv;
  private final String adid;
  private final String androidId;
  private final String userAgent;
  private final String library;
  private final Double price;
  private final Integer quantity;
  private final Double revenue;
  private final String productId;
  private final String revenueType;
  private final String currency;
  private final Plan plan;
  private final String sourceId;
  private final Long uploadTime;
  private final List<Violation> violations;

  private Event(Builder b) {
    this.eventType = b.eventType;
    this.userId = b.userId;
    this.deviceId = b.deviceId;
    this.time = b.time;
    this.insertId = b.insertId;
    this.sessionId = b.sessionId;
    this.eventId = b.eventId;
    this.eventProperties = JsonValues.freezeObject(b.eventProperties);
    this.userProperties = JsonValues.freezeObject(b.userProperties);
    this.groups = JsonValues.freezeObject(b.groups);
    this.groupProperties = JsonValues.freezeObject(b.groupProperties);
    this.appVersion = b.appVersion;
    this.platform = b.platform;
    this.osName = b.osName;
    this.osVersion = b.osVersion;
    this.deviceBrand = b.deviceBrand;
    this.deviceManufacturer = b.deviceManufacturer;
    this.deviceModel = b.deviceModel;
    this.carrier = b.carrier;
    this.country = b.country;
    this.region = b.region;
    this.city = b.city;
    this.dma = b.dma;
    this.language = b.language;
    this.locationLat = b.locationLat;
    this.locationLng = b.locationLng;
    this.ip = b.ip;
    this.idfa = b.idfa;
    this.idfv = b.idfv;
    this.adid = b.adid;
    this.androidId = b.androidId;
    this.userAgent = b.userAgent;
    this.library = b.library;
    this.price = b.price;
    this.quantity = b.quantity;
    this.revenue = b.revenue;
    this.productId = b.productId;
    this.revenueType = b.revenueType;
    this.currency = b.currency;
    this.plan = b.plan;
    this.sourceId = b.sourceId;
    this.uploadTime = b.uploadTime;
    this.violations = List.copyOf(b.violations);
  }

  /** A new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this event's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.eventType = eventType;
    b.userId = userId;
    b.deviceId = deviceId;
    b.time = time;
    b.insertId = insertId;
    b.sessionId = sessionId;
    b.eventId = eventId;
    b.eventProperties = eventProperties;
    b.userProperties = userProperties;
    b.groups = groups;
    b.groupProperties = groupProperties;
    b.appVersion = appVersion;
    b.platform = platform;
    b.osName = osName;
    b.osVersion = osVersion;
    b.deviceBrand = deviceBrand;
    b.deviceManufacturer = deviceManufacturer;
    b.deviceModel = deviceModel;
    b.carrier = carrier;
    b.country = country;
    b.region = region;
    b.city = city;
    b.dma = dma;
    b.language = language;
    b.locationLat = locationLat;
    b.locationLng = locationLng;
    b.ip = ip;
    b.idfa = idfa;
    b.idfv = idfv;
    b.adid = adid;
    b.androidId = androidId;
    b.userAgent = userAgent;
    b.library = library;
    b.price = price;
    b.quantity = quantity;
    b.revenue = revenue;
    b.productId = productId;
    b.revenueType = revenueType;
    b.currency = currency;
    b.plan = plan;
    b.sourceId = sourceId;
    b.uploadTime = uploadTime;
    b.violations = new ArrayList<>(violations);
    return b;
  }

  /**
   * The event's name, such as {@code Add To Cart}; {@code $identify} and {@code $groupidentify} for
   * identify and group calls.
   */
  public String eventType() {
    return eventType;
  }

  /** The user's id in the customer's system; null for anonymous events. */
  public String userId() {
    return userId;
  }

  /** The device or anonymous id; null when only a user id is known. */
  public String deviceId() {
    return deviceId;
  }

  /** Event time in milliseconds since the epoch; null until ingestion fills in the upload time. */
  public Long time() {
    return time;
  }

  /** The dedup key (scoped per source); events without one are never deduplicated. */
  public String insertId() {
    return insertId;
  }

  /** Session start time in milliseconds, or -1 for none. */
  public Long sessionId() {
    return sessionId;
  }

  /** A counter the client assigns to order its events. */
  public Long eventId() {
    return eventId;
  }

  /** Properties of this event (JSON-like values). */
  public Map<String, Object> eventProperties() {
    return eventProperties;
  }

  /** User properties, including Amplitude's {@code $set}-style operations. */
  public Map<String, Object> userProperties() {
    return userProperties;
  }

  /** Group memberships, group type to group name(s). */
  public Map<String, Object> groups() {
    return groups;
  }

  /** Properties of a group, for {@code $groupidentify}. */
  public Map<String, Object> groupProperties() {
    return groupProperties;
  }

  /** The {@code app_version} field, or null. */
  public String appVersion() {
    return appVersion;
  }

  /** The {@code platform} field, or null. */
  public String platform() {
    return platform;
  }

  /** The {@code os_name} field, or null. */
  public String osName() {
    return osName;
  }

  /** The {@code os_version} field, or null. */
  public String osVersion() {
    return osVersion;
  }

  /** The {@code device_brand} field, or null. */
  public String deviceBrand() {
    return deviceBrand;
  }

  /** The {@code device_manufacturer} field, or null. */
  public String deviceManufacturer() {
    return deviceManufacturer;
  }

  /** The {@code device_model} field, or null. */
  public String deviceModel() {
    return deviceModel;
  }

  /** The {@code carrier} field, or null. */
  public String carrier() {
    return carrier;
  }

  /** The {@code country} field, or null. */
  public String country() {
    return country;
  }

  /** The {@code region} field, or null. */
  public String region() {
    return region;
  }

  /** The {@code city} field, or null. */
  public String city() {
    return city;
  }

  /** The {@code dma} field, or null. */
  public String dma() {
    return dma;
  }

  /** The {@code language} field, or null. */
  public String language() {
    return language;
  }

  /** The {@code location_lat} field, or null. */
  public Double locationLat() {
    return locationLat;
  }

  /** The {@code location_lng} field, or null. */
  public Double locationLng() {
    return locationLng;
  }

  /** The {@code ip} field, or null. */
  public String ip() {
    return ip;
  }

  /** The {@code idfa} field, or null. */
  public String idfa() {
    return idfa;
  }

  /** The {@code idfv} field, or null. */
  public String idfv() {
    return idfv;
  }

  /** The {@code adid} field, or null. */
  public String adid() {
    return adid;
  }

  /** The {@code android_id} field, or null. */
  public String androidId() {
    return androidId;
  }

  /** The {@code user_agent} field, or null. */
  public String userAgent() {
    return userAgent;
  }

  /** The SDK or library that sent the event. */
  public String library() {
    return library;
  }

  /** The {@code price} field, or null. */
  public Double price() {
    return price;
  }

  /** The {@code quantity} field, or null. */
  public Integer quantity() {
    return quantity;
  }

  /** The {@code revenue} field, or null. */
  public Double revenue() {
    return revenue;
  }

  /** The {@code product_id} field, or null. */
  public String productId() {
    return productId;
  }

  /** The {@code revenue_type} field, or null. */
  public String revenueType() {
    return revenueType;
  }

  /** The {@code currency} field, or null. */
  public String currency() {
    return currency;
  }

  /** The tracking-plan coordinates the client named, if any. */
  public Plan plan() {
    return plan;
  }

  /** The workspace source that received the event; set by the host. */
  public String sourceId() {
    return sourceId;
  }

  /**
   * Server-assigned receive time in milliseconds: HTTP receive time, or the Kafka record timestamp.
   */
  public Long uploadTime() {
    return uploadTime;
  }

  /** Tracking-plan violations attached by governance when an event is flagged; empty otherwise. */
  public List<Violation> violations() {
    return violations;
  }

  /**
   * The user id when present, else the device id: the identity that partitions and counts distinct
   * users.
   */
  public String identity() {
    return userId != null ? userId : deviceId;
  }

  /**
   * The canonical JSON object of this event: snake_case keys in {@link #FIELD_NAMES} order, absent
   * fields and empty maps omitted. The result is a new mutable map the caller owns.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (eventType != null) {
      m.put("event_type", eventType);
    }
    if (userId != null) {
      m.put("user_id", userId);
    }
    if (deviceId != null) {
      m.put("device_id", deviceId);
    }
    if (time != null) {
      m.put("time", time);
    }
    if (insertId != null) {
      m.put("insert_id", insertId);
    }
    if (sessionId != null) {
      m.put("session_id", sessionId);
    }
    if (eventId != null) {
      m.put("event_id", eventId);
    }
    if (!eventProperties.isEmpty()) {
      m.put("event_properties", JsonValues.thaw(eventProperties));
    }
    if (!userProperties.isEmpty()) {
      m.put("user_properties", JsonValues.thaw(userProperties));
    }
    if (!groups.isEmpty()) {
      m.put("groups", JsonValues.thaw(groups));
    }
    if (!groupProperties.isEmpty()) {
      m.put("group_properties", JsonValues.thaw(groupProperties));
    }
    if (appVersion != null) {
      m.put("app_version", appVersion);
    }
    if (platform != null) {
      m.put("platform", platform);
    }
    if (osName != null) {
      m.put("os_name", osName);
    }
    if (osVersion != null) {
      m.put("os_version", osVersion);
    }
    if (deviceBrand != null) {
      m.put("device_brand", deviceBrand);
    }
    if (deviceManufacturer != null) {
      m.put("device_manufacturer", deviceManufacturer);
    }
    if (deviceModel != null) {
      m.put("device_model", deviceModel);
    }
    if (carrier != null) {
      m.put("carrier", carrier);
    }
    if (country != null) {
      m.put("country", country);
    }
    if (region != null) {
      m.put("region", region);
    }
    if (city != null) {
      m.put("city", city);
    }
    if (dma != null) {
      m.put("dma", dma);
    }
    if (language != null) {
      m.put("language", language);
    }
    if (locationLat != null) {
      m.put("location_lat", locationLat);
    }
    if (locationLng != null) {
      m.put("location_lng", locationLng);
    }
    if (ip != null) {
      m.put("ip", ip);
    }
    if (idfa != null) {
      m.put("idfa", idfa);
    }
    if (idfv != null) {
      m.put("idfv", idfv);
    }
    if (adid != null) {
      m.put("adid", adid);
    }
    if (androidId != null) {
      m.put("android_id", androidId);
    }
    if (userAgent != null) {
      m.put("user_agent", userAgent);
    }
    if (library != null) {
      m.put("library", library);
    }
    if (price != null) {
      m.put("price", price);
    }
    if (quantity != null) {
      m.put("quantity", quantity);
    }
    if (revenue != null) {
      m.put("revenue", revenue);
    }
    if (productId != null) {
      m.put("product_id", productId);
    }
    if (revenueType != null) {
      m.put("revenue_type", revenueType);
    }
    if (currency != null) {
      m.put("currency", currency);
    }
    if (plan != null) {
      m.put("plan", plan.toMap());
    }
    if (sourceId != null) {
      m.put("source_id", sourceId);
    }
    if (uploadTime != null) {
      m.put("upload_time", uploadTime);
    }
    if (!violations.isEmpty()) {
      List<Object> list = new ArrayList<>();
      for (Violation v : violations) {
        list.add(v.toMap());
      }
      m.put("violations", list);
    }
    return m;
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
      String key = e.getKey();
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      switch (key) {
        case "event_type" -> b.eventType(JsonValues.asString(key, v));
        case "user_id" -> b.userId(JsonValues.asString(key, v));
        case "device_id" -> b.deviceId(JsonValues.asString(key, v));
        case "time" -> b.time(JsonValues.asLong(key, v));
        case "insert_id" -> b.insertId(JsonValues.asString(key, v));
        case "session_id" -> b.sessionId(JsonValues.asLong(key, v));
        case "event_id" -> b.eventId(JsonValues.asLong(key, v));
        case "event_properties" -> b.eventProperties(JsonValues.asObject(key, v));
        case "user_properties" -> b.userProperties(JsonValues.asObject(key, v));
        case "groups" -> b.groups(JsonValues.asObject(key, v));
        case "group_properties" -> b.groupProperties(JsonValues.asObject(key, v));
        case "app_version" -> b.appVersion(JsonValues.asString(key, v));
        case "platform" -> b.platform(JsonValues.asString(key, v));
        case "os_name" -> b.osName(JsonValues.asString(key, v));
        case "os_version" -> b.osVersion(JsonValues.asString(key, v));
        case "device_brand" -> b.deviceBrand(JsonValues.asString(key, v));
        case "device_manufacturer" -> b.deviceManufacturer(JsonValues.asString(key, v));
        case "device_model" -> b.deviceModel(JsonValues.asString(key, v));
        case "carrier" -> b.carrier(JsonValues.asString(key, v));
        case "country" -> b.country(JsonValues.asString(key, v));
        case "region" -> b.region(JsonValues.asString(key, v));
        case "city" -> b.city(JsonValues.asString(key, v));
        case "dma" -> b.dma(JsonValues.asString(key, v));
        case "language" -> b.language(JsonValues.asString(key, v));
        case "location_lat" -> b.locationLat(JsonValues.asDouble(key, v));
        case "location_lng" -> b.locationLng(JsonValues.asDouble(key, v));
        case "ip" -> b.ip(JsonValues.asString(key, v));
        case "idfa" -> b.idfa(JsonValues.asString(key, v));
        case "idfv" -> b.idfv(JsonValues.asString(key, v));
        case "adid" -> b.adid(JsonValues.asString(key, v));
        case "android_id" -> b.androidId(JsonValues.asString(key, v));
        case "user_agent" -> b.userAgent(JsonValues.asString(key, v));
        case "library" -> b.library(JsonValues.asString(key, v));
        case "price" -> b.price(JsonValues.asDouble(key, v));
        case "quantity" -> b.quantity(JsonValues.asInt(key, v));
        case "revenue" -> b.revenue(JsonValues.asDouble(key, v));
        case "product_id" -> b.productId(JsonValues.asString(key, v));
        case "revenue_type" -> b.revenueType(JsonValues.asString(key, v));
        case "currency" -> b.currency(JsonValues.asString(key, v));
        case "plan" -> b.plan(Plan.fromMap(JsonValues.asObject(key, v)));
        case "source_id" -> b.sourceId(JsonValues.asString(key, v));
        case "upload_time" -> b.uploadTime(JsonValues.asLong(key, v));
        case "violations" -> b.violations(Violation.listFromJson(key, v));
        default -> throw new IllegalArgumentException("unknown event field '" + key + "'");
      }
    }
    return b.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event other && toMap().equals(other.toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return "Event" + toMap();
  }

  /** Builds an {@link Event}; not thread-safe. Map setters copy their argument. */
  public static final class Builder {
    private String eventType;
    private String userId;
    private String deviceId;
    private Long time;
    private String insertId;
    private Long sessionId;
    private Long eventId;
    private Map<String, Object> eventProperties = Map.of();
    private Map<String, Object> userProperties = Map.of();
    private Map<String, Object> groups = Map.of();
    private Map<String, Object> groupProperties = Map.of();
    private String appVersion;
    private String platform;
    private String osName;
    private String osVersion;
    private String deviceBrand;
    private String deviceManufacturer;
    private String deviceModel;
    private String carrier;
    private String country;
    private String region;
    private String city;
    private String dma;
    private String language;
    private Double locationLat;
    private Double locationLng;
    private String ip;
    private String idfa;
    private String idfv;
    private String adid;
    private String androidId;
    private String userAgent;
    private String library;
    private Double price;
    private Integer quantity;
    private Double revenue;
    private String productId;
    private String revenueType;
    private String currency;
    private Plan plan;
    private String sourceId;
    private Long uploadTime;
    private List<Violation> violations = new ArrayList<>();

    private Builder() {}

    public Builder eventType(String value) {
      this.eventType = value;
      return this;
    }

    public Builder userId(String value) {
      this.userId = value;
      return this;
    }

    public Builder deviceId(String value) {
      this.deviceId = value;
      return this;
    }

    public Builder time(Long value) {
      this.time = value;
      return this;
    }

    public Builder insertId(String value) {
      this.insertId = value;
      return this;
    }

    public Builder sessionId(Long value) {
      this.sessionId = value;
      return this;
    }

    public Builder eventId(Long value) {
      this.eventId = value;
      return this;
    }

    public Builder eventProperties(Map<String, ?> value) {
      this.eventProperties = value == null ? Map.of() : JsonValues.freezeObject(value);
      return this;
    }

    public Builder userProperties(Map<String, ?> value) {
      this.userProperties = value == null ? Map.of() : JsonValues.freezeObject(value);
      return this;
    }

    public Builder groups(Map<String, ?> value) {
      this.groups = value == null ? Map.of() : JsonValues.freezeObject(value);
      return this;
    }

    public Builder groupProperties(Map<String, ?> value) {
      this.groupProperties = value == null ? Map.of() : JsonValues.freezeObject(value);
      return this;
    }

    public Builder appVersion(String value) {
      this.appVersion = value;
      return this;
    }

    public Builder platform(String value) {
      this.platform = value;
      return this;
    }

    public Builder osName(String value) {
      this.osName = value;
      return this;
    }

    public Builder osVersion(String value) {
      this.osVersion = value;
      return this;
    }

    public Builder deviceBrand(String value) {
      this.deviceBrand = value;
      return this;
    }

    public Builder deviceManufacturer(String value) {
      this.deviceManufacturer = value;
      return this;
    }

    public Builder deviceModel(String value) {
      this.deviceModel = value;
      return this;
    }

    public Builder carrier(String value) {
      this.carrier = value;
      return this;
    }

    public Builder country(String value) {
      this.country = value;
      return this;
    }

    public Builder region(String value) {
      this.region = value;
      return this;
    }

    public Builder city(String value) {
      this.city = value;
      return this;
    }

    public Builder dma(String value) {
      this.dma = value;
      return this;
    }

    public Builder language(String value) {
      this.language = value;
      return this;
    }

    public Builder locationLat(Double value) {
      this.locationLat = value;
      return this;
    }

    public Builder locationLng(Double value) {
      this.locationLng = value;
      return this;
    }

    public Builder ip(String value) {
      this.ip = value;
      return this;
    }

    public Builder idfa(String value) {
      this.idfa = value;
      return this;
    }

    public Builder idfv(String value) {
      this.idfv = value;
      return this;
    }

    public Builder adid(String value) {
      this.adid = value;
      return this;
    }

    public Builder androidId(String value) {
      this.androidId = value;
      return this;
    }

    public Builder userAgent(String value) {
      this.userAgent = value;
      return this;
    }

    public Builder library(String value) {
      this.library = value;
      return this;
    }

    public Builder price(Double value) {
      this.price = value;
      return this;
    }

    public Builder quantity(Integer value) {
      this.quantity = value;
      return this;
    }

    public Builder revenue(Double value) {
      this.revenue = value;
      return this;
    }

    public Builder productId(String value) {
      this.productId = value;
      return this;
    }

    public Builder revenueType(String value) {
      this.revenueType = value;
      return this;
    }

    public Builder currency(String value) {
      this.currency = value;
      return this;
    }

    public Builder plan(Plan value) {
      this.plan = value;
      return this;
    }

    public Builder sourceId(String value) {
      this.sourceId = value;
      return this;
    }

    public Builder uploadTime(Long value) {
      this.uploadTime = value;
      return this;
    }

    public Builder violations(List<Violation> value) {
      this.violations = new ArrayList<>(value == null ? List.of() : value);
      return this;
    }

    /** Adds one violation to those already set. */
    public Builder addViolation(Violation value) {
      this.violations.add(Objects.requireNonNull(value, "violation"));
      return this;
    }

    /** The immutable event. */
    public Event build() {
      return new Event(this);
    }
  }
}
