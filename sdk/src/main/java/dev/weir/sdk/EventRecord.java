package dev.weir.sdk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An event's compact record, derived from {@link Event.Field}: a format byte ({@link #FORMAT}),
 * then each present field in ordinal order as its ordinal (one byte) and its value. Strings, whole
 * numbers and doubles are written as in {@link Compact}; objects (and the plan) as an object's
 * body, violations as an array's body of objects. Absent fields and empty maps are not written, so
 * no key name is stored twice and a field is found by skipping the ones before it. Stateless.
 */
final class EventRecord {
  private EventRecord() {}

  /** The first byte of every record of this format (never 7, the first byte of the old format). */
  static final int FORMAT = 0xE1;

  private static final Event.Field[] FIELDS = Event.Field.values();

  /** {@code "name":} of each field, as UTF-8. */
  private static final byte[][] KEYS = new byte[FIELDS.length][];

  static {
    for (Event.Field f : FIELDS) {
      KEYS[f.ordinal()] = ("\"" + f.jsonName() + "\":").getBytes(StandardCharsets.US_ASCII);
    }
  }

  // ---------------------------------------------------------------- writing

  /** The record of an event's values (by ordinal, as {@link Event} holds them). */
  static byte[] encode(Object[] values) {
    Compact.Sink out = new Compact.Sink(256);
    out.put(FORMAT);
    for (Event.Field f : FIELDS) {
      Object v = values[f.ordinal()];
      if (!Event.present(v)) {
        continue;
      }
      out.put(f.ordinal());
      switch (f.kind()) {
        case STRING -> out.putString((String) v);
        case LONG, INT -> out.putZigzag(((Number) v).longValue());
        case DOUBLE -> out.putLong(Double.doubleToRawLongBits((Double) v));
        case OBJECT -> Compact.writeBody(out, (Map<?, ?>) v);
        case PLAN -> Compact.writeBody(out, ((Plan) v).toMap());
        case VIOLATIONS -> {
          int at = out.open();
          for (Object o : (List<?>) v) {
            out.put(Compact.OBJECT);
            Compact.writeBody(out, ((Violation) o).toMap());
          }
          out.close(at);
        }
      }
    }
    return out.toByteArray();
  }

  /**
   * The record with {@code source_id} and {@code upload_time} replaced: the bytes before and after
   * them copied as they are (only violations come after them).
   */
  static byte[] withSourceAndUploadTime(
      byte[] b, int off, int len, String sourceId, long uploadTime) {
    int source = Event.Field.SOURCE_ID.ordinal();
    int upload = Event.Field.UPLOAD_TIME.ordinal();
    Compact.Reader r = open(b, off, len);
    int end = off + len;
    int cut = -1;
    int resume = -1;
    int last = -1;
    while (r.more()) {
      int at = r.pos;
      int o = ordinal(r, last);
      last = o;
      if (o >= source && cut < 0) {
        cut = at;
      }
      skip(r, FIELDS[o]);
      if (o == source || o == upload) {
        resume = r.pos;
      }
    }
    if (cut < 0) {
      cut = end;
    }
    if (resume < cut) {
      resume = cut;
    }
    Compact.Sink mid = new Compact.Sink(16 + (sourceId == null ? 0 : sourceId.length() * 3));
    if (sourceId != null) {
      mid.put(source);
      mid.putString(sourceId);
    }
    mid.put(upload);
    mid.putZigzag(uploadTime);
    byte[] out = new byte[(cut - off) + mid.pos + (end - resume)];
    System.arraycopy(b, off, out, 0, cut - off);
    System.arraycopy(mid.buf, 0, out, cut - off, mid.pos);
    System.arraycopy(b, resume, out, cut - off + mid.pos, end - resume);
    return out;
  }

  // ---------------------------------------------------------------- reading

  /** A reader positioned after the format byte; refuses other formats. */
  private static Compact.Reader open(byte[] b, int off, int len) {
    Compact.Reader r = new Compact.Reader(b, off, len);
    if (r.u8() != FORMAT) {
      throw Compact.corrupt("not an event record (format byte " + (b[off] & 0xFF) + ")");
    }
    return r;
  }

  /** Whether the bytes start like a record of this format. */
  static boolean isRecord(byte[] b, int off, int len) {
    return len > 0 && (b[off] & 0xFF) == FORMAT;
  }

  /** The next field's ordinal, checked to ascend after {@code last}. */
  private static int ordinal(Compact.Reader r, int last) {
    int o = r.u8();
    if (o <= last || o >= FIELDS.length) {
      throw Compact.corrupt("field " + o + " out of order or unknown");
    }
    return o;
  }

  private static void skip(Compact.Reader r, Event.Field f) {
    switch (f.kind()) {
      case STRING -> r.skipString();
      case LONG, INT -> r.varint();
      case DOUBLE -> r.skip(8);
      default -> r.skip(r.body());
    }
  }

  private static Object read(Compact.Reader r, Event.Field f) {
    switch (f.kind()) {
      case STRING:
        return r.string();
      case LONG:
        return r.zigzag();
      case INT:
        return (int) r.zigzag();
      case DOUBLE:
        return Double.longBitsToDouble(r.int64());
      case OBJECT:
        {
          int n = r.body();
          CompactMap m = new CompactMap(r.b, r.pos, n);
          r.pos += n;
          return m;
        }
      case PLAN:
        {
          int n = r.body();
          return Plan.fromMap(r.entries(r.pos, n));
        }
      default:
        {
          int n = r.body();
          int stop = r.pos + n;
          List<Object> items = new ArrayList<>();
          while (r.pos < stop) {
            items.add(r.value());
          }
          return List.copyOf(Violation.listFromJson(f.jsonName(), items));
        }
    }
  }

  /** The value of one field, or its absent value (null, an empty map or list). */
  static Object field(byte[] b, int off, int len, Event.Field want) {
    Compact.Reader r = open(b, off, len);
    int last = -1;
    while (r.more()) {
      int o = ordinal(r, last);
      last = o;
      if (o == want.ordinal()) {
        return read(r, want);
      }
      if (o > want.ordinal()) {
        break;
      }
      skip(r, FIELDS[o]);
    }
    return Event.absent(want);
  }

  /** Decodes every field into {@code slots} (by ordinal) whose value is still {@code undecoded}. */
  static void decodeAll(byte[] b, int off, int len, Object[] slots, Object undecoded) {
    Compact.Reader r = open(b, off, len);
    int last = -1;
    int next = 0;
    while (r.more()) {
      int o = ordinal(r, last);
      for (; next < o; next++) {
        if (slots[next] == undecoded) {
          slots[next] = Event.absent(FIELDS[next]);
        }
      }
      next = o + 1;
      last = o;
      if (slots[o] == undecoded) {
        slots[o] = read(r, FIELDS[o]);
      } else {
        skip(r, FIELDS[o]);
      }
    }
    for (; next < FIELDS.length; next++) {
      if (slots[next] == undecoded) {
        slots[next] = Event.absent(FIELDS[next]);
      }
    }
  }

  /**
   * Checks the record's structure all the way down (tags, lengths, field order) without building
   * anything.
   *
   * @throws IllegalArgumentException when the bytes are not a valid record
   */
  static void validate(byte[] b, int off, int len) {
    Compact.Reader r = open(b, off, len);
    int last = -1;
    while (r.more()) {
      int o = ordinal(r, last);
      last = o;
      Event.Field f = FIELDS[o];
      switch (f.kind()) {
        case STRING, LONG, INT, DOUBLE -> skip(r, f);
        case VIOLATIONS -> checkItems(r, r.body());
        default -> checkEntries(r, r.body());
      }
    }
  }

  private static void checkEntries(Compact.Reader r, int n) {
    int stop = r.pos + n;
    while (r.pos < stop) {
      r.skipString();
      checkValue(r);
    }
    if (r.pos != stop) {
      throw Compact.corrupt("object overruns its length");
    }
  }

  private static void checkItems(Compact.Reader r, int n) {
    int stop = r.pos + n;
    while (r.pos < stop) {
      checkValue(r);
    }
    if (r.pos != stop) {
      throw Compact.corrupt("array overruns its length");
    }
  }

  private static void checkValue(Compact.Reader r) {
    int tag = r.b[r.pos] & 0xFF;
    if (tag == Compact.OBJECT) {
      r.pos++;
      checkEntries(r, r.body());
    } else if (tag == Compact.ARRAY) {
      r.pos++;
      checkItems(r, r.body());
    } else {
      r.skipValue();
    }
  }

  /** The event's canonical JSON text, written from the record (the same text as Event.toJson). */
  static String toJson(byte[] b, int off, int len) {
    Compact.Reader r = open(b, off, len);
    Compact.Sink out = new Compact.Sink(Math.max(64, len + len / 2 + 64));
    out.put('{');
    int last = -1;
    while (r.more()) {
      int o = ordinal(r, last);
      if (last >= 0) {
        out.put(',');
      }
      last = o;
      out.put(KEYS[o], 0, KEYS[o].length);
      Event.Field f = FIELDS[o];
      switch (f.kind()) {
        case STRING -> Compact.jsonString(r, out);
        case LONG, INT -> {
          String s = Long.toString(r.zigzag());
          byte[] d = s.getBytes(StandardCharsets.US_ASCII);
          out.put(d, 0, d.length);
        }
        case DOUBLE -> {
          StringBuilder sb = new StringBuilder(24);
          JsonValues.writeDouble(sb, Double.longBitsToDouble(r.int64()));
          byte[] d = sb.toString().getBytes(StandardCharsets.US_ASCII);
          out.put(d, 0, d.length);
        }
        case OBJECT, PLAN -> Compact.writeJsonObject(r, r.body(), out);
        case VIOLATIONS -> {
          int stop = r.pos + r.body();
          out.put('[');
          boolean first = true;
          while (r.pos < stop) {
            if (!first) {
              out.put(',');
            }
            first = false;
            Compact.writeJson(r, out);
          }
          out.put(']');
        }
      }
    }
    out.put('}');
    return new String(out.buf, 0, out.pos, StandardCharsets.UTF_8);
  }
}
