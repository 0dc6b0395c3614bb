package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Writes an event exactly as {@code ValueCodec.write(out, event.toMap())} would, straight from the
 * SDK's field table ({@link Event.Field}) without building the map and deep-copying the property
 * maps first (the hot part of the append path). Stateless.
 */
final class EventCodec {
  private EventCodec() {}

  private static final Event.Field[] FIELDS = Event.Field.values();

  static void write(DataOutput out, Event e) throws IOException {
    int count = 0;
    for (Event.Field f : FIELDS) {
      if (e.has(f)) {
        count++;
      }
    }
    ValueCodec.writeMapHeader(out, count);
    for (Event.Field f : FIELDS) {
      if (!e.has(f)) {
        continue;
      }
      ValueCodec.writeString(out, f.jsonName());
      if (f.kind() == Event.Kind.PLAN || f.kind() == Event.Kind.VIOLATIONS) {
        ValueCodec.write(out, e.toMap().get(f.jsonName())); // their JSON form; rare
      } else {
        ValueCodec.write(out, e.get(f));
      }
    }
  }
}
