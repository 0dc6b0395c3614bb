package dev.weir.sdk;

import java.util.List;
import java.util.Map;

/**
 * Writes one event's record ({@link Event#toRecord()}) field by field, for parsers that read events
 * straight into their stored form: the fields are written in {@link Event.Field} order, each as its
 * kind, and {@link #build()} hands out the event read from the record (its fields decoded when
 * first asked for, as for {@link Event#fromRecord}). No builder, no value array, no second
 * encoding. Reusable after {@link #build()} or {@link #reset()}; not thread-safe.
 */
public final class RecordWriter {
  private final Compact.Sink out = new Compact.Sink(512);
  private int last;

  public RecordWriter() {
    reset();
  }

  /** Drops whatever was written since the last {@link #build()}. */
  public void reset() {
    out.pos = 0;
    out.put(EventRecord.FORMAT);
    last = -1;
  }

  private void field(Event.Field f, Event.Kind kind) {
    if (f.kind() != kind && !(kind == Event.Kind.LONG && f.kind() == Event.Kind.INT)) {
      throw new IllegalArgumentException(f.jsonName() + " is not of kind " + kind);
    }
    if (f.ordinal() <= last) {
      throw new IllegalStateException(
          f.jsonName() + " written out of order (fields are written in Event.Field order)");
    }
    last = f.ordinal();
    out.put(f.ordinal());
  }

  /** A string field; null leaves it absent. */
  public RecordWriter string(Event.Field f, String value) {
    if (value != null) {
      field(f, Event.Kind.STRING);
      out.putString(value);
    }
    return this;
  }

  /** A whole-number field ({@code LONG}, or {@code INT} within its range). */
  public RecordWriter whole(Event.Field f, long value) {
    field(f, Event.Kind.LONG);
    if (f.kind() == Event.Kind.INT && value != (int) value) {
      throw new IllegalArgumentException(f.jsonName() + " is out of the int range: " + value);
    }
    out.putZigzag(value);
    return this;
  }

  /** A whole-number field; null leaves it absent. */
  public RecordWriter whole(Event.Field f, Long value) {
    return value == null ? this : whole(f, value.longValue());
  }

  /** A double field, finite; null leaves it absent. */
  public RecordWriter number(Event.Field f, Double value) {
    if (value != null) {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException(f.jsonName() + " must be finite");
      }
      field(f, Event.Kind.DOUBLE);
      out.putLong(Double.doubleToRawLongBits(value));
    }
    return this;
  }

  /**
   * An object field of JSON-like values; null or empty leaves it absent. A compact map (as the
   * SDK's {@link JsonObjectWriter} makes) is copied as bytes; any other map is checked as {@link
   * Event.Builder#set} checks it.
   */
  public RecordWriter object(Event.Field f, Map<String, ?> value) {
    if (value != null && !value.isEmpty()) {
      Map<?, ?> m =
          value instanceof CompactMap
              ? value
              : JsonValues.freezeObject(JsonValues.asObject(f.jsonName(), value));
      field(f, Event.Kind.OBJECT);
      Compact.writeBody(out, m);
    }
    return this;
  }

  /** The plan; null leaves it absent. */
  public RecordWriter plan(Plan value) {
    if (value != null) {
      field(Event.Field.PLAN, Event.Kind.PLAN);
      Compact.writeBody(out, value.toMap());
    }
    return this;
  }

  /** Violations; null or empty leaves them absent. */
  public RecordWriter violations(List<Violation> value) {
    if (value != null && !value.isEmpty()) {
      field(Event.Field.VIOLATIONS, Event.Kind.VIOLATIONS);
      int at = out.open();
      for (Violation v : value) {
        out.put(Compact.OBJECT);
        Compact.writeBody(out, v.toMap());
      }
      out.close(at);
    }
    return this;
  }

  /** The event read from what was written (its record a copy); the writer starts over. */
  public Event build() {
    byte[] rec = out.toByteArray();
    reset();
    return Event.ofRecord(rec);
  }
}
