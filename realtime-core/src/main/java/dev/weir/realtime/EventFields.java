package dev.weir.realtime;

import dev.weir.sdk.Event;

/** Reads one column (as named in chunks and filters) from a row-oriented event. Stateless. */
final class EventFields {
  private EventFields() {}

  static Object get(Event e, String column) {
    switch (column) {
      case "event_type":
        return e.eventType();
      case "time":
        return e.time();
      case "upload_time":
        return e.uploadTime();
      case "user_id":
        return e.userId();
      case "device_id":
        return e.deviceId();
      case "insert_id":
        return e.insertId();
      case "source_id":
        return e.sourceId();
      case "platform":
        return e.platform();
      case "country":
        return e.country();
      case "city":
        return e.city();
      case "region":
        return e.region();
      case "os_name":
        return e.osName();
      case "app_version":
        return e.appVersion();
      case "language":
        return e.language();
      case "revenue":
        return e.revenue();
      case "price":
        return e.price();
      case "quantity":
        return e.quantity();
      case "session_id":
        return e.sessionId();
      default:
        if (column.startsWith("event_properties.")) {
          return e.eventProperties().get(column.substring("event_properties.".length()));
        }
        if (column.startsWith("user_properties.")) {
          return e.userProperties().get(column.substring("user_properties.".length()));
        }
        Event.Field f = Event.Field.named(column);
        if (f == null || !e.has(f)) {
          return null;
        }
        return f.kind() == Event.Kind.PLAN || f.kind() == Event.Kind.VIOLATIONS
            ? e.toMap().get(column)
            : e.get(f);
    }
  }
}
