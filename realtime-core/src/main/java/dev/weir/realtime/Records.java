package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads the encoded event records the store keeps without decoding them whole, so recovery, dedup
 * and queries look at a few fields of a record and never build its maps. Records are the SDK's
 * compact event records ({@link Event#toRecord()}, what the store writes); records of the first
 * format (an event's canonical map in {@link ValueCodec} form, first byte 7), written by earlier
 * versions, are read too. Stateless.
 */
final class Records {
  private Records() {}

  private static final int MAP = 7;

  /** Whether the record is in the first format (a {@link ValueCodec} map). */
  static boolean legacy(byte[] b, int off, int len) {
    return len > 0 && b[off] == MAP;
  }

  /** The whole event; a record of the current format is read in place, decoded on use. */
  static Event decode(byte[] b, int off, int len) {
    if (!legacy(b, off, len)) {
      try {
        return Event.fromRecord(b, off, len);
      } catch (IllegalArgumentException e) {
        throw new UncheckedIOException(
            "undecodable stored record", new IOException(e.getMessage()));
      }
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, ?> map = (Map<String, ?>) ValueCodec.read(new BytesInput(b, off, len));
      return Event.fromMap(map);
    } catch (IOException e) {
      throw new UncheckedIOException("undecodable stored record", e);
    }
  }

  /**
   * The value of the top-level field {@code name} (as {@link ValueCodec#read} gives it), or null
   * when absent; {@code event_properties.x} and {@code user_properties.x} reach one level down.
   */
  static Object field(byte[] b, int off, int len, String name) {
    if (!legacy(b, off, len)) {
      return EventFields.get(decode(b, off, len), name);
    }
    try {
      BytesInput in = new BytesInput(b, off, len);
      int dot = name.indexOf('.');
      if (dot > 0
          && (name.startsWith("event_properties.") || name.startsWith("user_properties."))) {
        if (!seek(in, utf8(name.substring(0, dot)))) {
          return null;
        }
        return seek(in, utf8(name.substring(dot + 1))) ? ValueCodec.read(in) : null;
      }
      return seek(in, utf8(name)) ? ValueCodec.read(in) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("undecodable stored record", e);
    }
  }

  /** The field's key as it is stored, for repeated lookups of the same name. */
  static byte[] utf8(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Positions {@code in} at the value of key {@code key} of the map that starts at its position;
   * false (position undefined) when the value there is not a map or has no such key.
   */
  static boolean seek(BytesInput in, byte[] key) throws IOException {
    if (in.readUnsignedByte() != MAP) {
      return false;
    }
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      in.readKey();
      if (in.keyIs(key)) {
        return true;
      }
      ValueCodec.skip(in);
    }
    return false;
  }

  /** The three fields the store itself needs of a record: dedup key parts and upload time. */
  record Header(String sourceId, String insertId, long uploadTime, long time) {}

  private static final byte[] SOURCE_ID = utf8("source_id");
  private static final byte[] INSERT_ID = utf8("insert_id");
  private static final byte[] UPLOAD_TIME = utf8("upload_time");
  private static final byte[] TIME = utf8("time");

  /** One pass over the top-level keys; values other than the four are skipped, not decoded. */
  static Header header(byte[] b, int off, int len) throws IOException {
    if (!legacy(b, off, len)) {
      Event e;
      try {
        e = Event.fromRecord(b, off, len); // checks the structure; fields below decoded alone
      } catch (IllegalArgumentException bad) {
        throw new IOException(bad.getMessage());
      }
      Long upload = e.uploadTime();
      Long time = e.time();
      long u = upload == null ? 0 : upload;
      return new Header(e.sourceId(), e.insertId(), u, time == null ? u : time);
    }
    BytesInput in = new BytesInput(b, off, len);
    if (in.readUnsignedByte() != MAP) {
      throw new IOException("a stored record must be a map");
    }
    int n = in.readInt();
    String source = null;
    String insert = null;
    long upload = 0;
    long time = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      in.readKey();
      if (in.keyIs(SOURCE_ID)) {
        source = (String) ValueCodec.read(in);
      } else if (in.keyIs(INSERT_ID)) {
        insert = (String) ValueCodec.read(in);
      } else if (in.keyIs(UPLOAD_TIME)) {
        upload = ((Number) ValueCodec.read(in)).longValue();
      } else if (in.keyIs(TIME)) {
        time = ((Number) ValueCodec.read(in)).longValue();
      } else {
        ValueCodec.skip(in);
      }
    }
    return new Header(source, insert, upload, time == Long.MIN_VALUE ? upload : time);
  }
}
