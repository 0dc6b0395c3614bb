package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes an event exactly as {@code ValueCodec.write(out, event.toMap())} would, without building
 * the map and deep-copying the property maps first (the hot part of the append path). Events with a
 * plan or violations take the map path. Stateless.
 */
final class EventCodec {
  private EventCodec() {}

  private record Field(String name, Function<Event, Object> get) {}

  private static final List<Field> FIELDS =
      List.of(
          new Field("event_type", Event::eventType),
          new Field("user_id", Event::userId),
          new Field("device_id", Event::deviceId),
          new Field("time", Event::time),
          new Field("insert_id", Event::insertId),
          new Field("session_id", Event::sessionId),
          new Field("event_id", Event::eventId),
          new Field("event_properties", Event::eventProperties),
          new Field("user_properties", Event::userProperties),
          new Field("groups", Event::groups),
          new Field("group_properties", Event::groupProperties),
          new Field("app_version", Event::appVersion),
          new Field("platform", Event::platform),
          new Field("os_name", Event::osName),
          new Field("os_version", Event::osVersion),
          new Field("device_brand", Event::deviceBrand),
          new Field("device_manufacturer", Event::deviceManufacturer),
          new Field("device_model", Event::deviceModel),
          new Field("carrier", Event::carrier),
          new Field("country", Event::country),
          new Field("region", Event::region),
          new Field("city", Event::city),
          new Field("dma", Event::dma),
          new Field("language", Event::language),
          new Field("location_lat", Event::locationLat),
          new Field("location_lng", Event::locationLng),
          new Field("ip", Event::ip),
          new Field("idfa", Event::idfa),
          new Field("idfv", Event::idfv),
          new Field("adid", Event::adid),
          new Field("android_id", Event::androidId),
          new Field("user_agent", Event::userAgent),
          new Field("library", Event::library),
          new Field("price", Event::price),
          new Field("quantity", Event::quantity),
          new Field("revenue", Event::revenue),
          new Field("product_id", Event::productId),
          new Field("revenue_type", Event::revenueType),
          new Field("currency", Event::currency),
          new Field("source_id", Event::sourceId),
          new Field("upload_time", Event::uploadTime));

  static void write(DataOutput out, Event e) throws IOException {
    if (e.plan() != null || !e.violations().isEmpty()) {
      ValueCodec.write(out, e.toMap());
      return;
    }
    Object[] values = new Object[FIELDS.size()];
    int count = 0;
    for (int i = 0; i < values.length; i++) {
      Object v = FIELDS.get(i).get.apply(e);
      if (v instanceof Map<?, ?> m && m.isEmpty()) {
        v = null;
      }
      values[i] = v;
      if (v != null) {
        count++;
      }
    }
    ValueCodec.writeMapHeader(out, count);
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        ValueCodec.writeString(out, FIELDS.get(i).name);
        ValueCodec.write(out, values[i]);
      }
    }
  }
}
