package dev.weir.realtime;

import dev.weir.sdk.Event;
import dev.weir.sdk.Plan;
import dev.weir.sdk.Violation;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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
      Object v = e.get(f);
      switch (f.kind()) {
        case PLAN -> ValueCodec.write(out, ((Plan) v).toMap());
        case VIOLATIONS -> {
          List<Object> list = new ArrayList<>();
          for (Object o : (List<?>) v) {
            list.add(((Violation) o).toMap());
          }
          ValueCodec.write(out, list);
        }
        default -> ValueCodec.write(out, v);
      }
    }
  }
}
