package dev.weir.sdk;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact binary form of JSON-like values, which event records ({@link EventRecord}) and {@link
 * CompactMap} are made of. A value is a one-byte tag and its payload: strings as a varint header
 * ({@code byteLength << 1 | hasLoneSurrogates}) and UTF-8 bytes (a lone surrogate as its three-byte
 * form, so every Java string survives); whole numbers as zigzag varints, keeping their Java type;
 * doubles and floats as their IEEE bits; objects and arrays as a 4-byte body length and their
 * entries ({@code key value}) or items, so a reader skips a container without walking it.
 * Stateless.
 */
final class Compact {
  private Compact() {}

  static final byte NULL = 0;
  static final byte FALSE = 1;
  static final byte TRUE = 2;
  static final byte STRING = 3;
  static final byte LONG = 4;
  static final byte INT = 5;
  static final byte DOUBLE = 6;
  static final byte OBJECT = 7;
  static final byte ARRAY = 8;
  static final byte FLOAT = 9;
  static final byte BIG_INTEGER = 10;
  static final byte BIG_DECIMAL = 11;
  static final byte SHORT = 12;
  static final byte BYTE = 13;

  /** Thrown for bytes that are not a valid encoding; the message says where. */
  static IllegalArgumentException corrupt(String what) {
    return new IllegalArgumentException("undecodable compact value: " + what);
  }

  // ---------------------------------------------------------------- writing

  /** A growable byte array. Not thread-safe. */
  static class Sink {
    byte[] buf;
    int pos;

    Sink(int capacity) {
      buf = new byte[capacity];
    }

    /** Makes room for {@code n} more bytes; may replace {@link #buf}. */
    void ensure(int n) {
      if (pos + n > buf.length) {
        grow(n);
      }
    }

    void grow(int n) {
      buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }

    final void put(int b) {
      ensure(1);
      buf[pos++] = (byte) b;
    }

    final void put(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, pos, len);
      pos += len;
    }

    final void putVarint(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[pos++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[pos++] = (byte) v;
    }

    final void putZigzag(long v) {
      putVarint((v << 1) ^ (v >> 63));
    }

    final void putLong(long v) {
      ensure(8);
      for (int i = 56; i >= 0; i -= 8) {
        buf[pos++] = (byte) (v >>> i);
      }
    }

    final void putInt(int v) {
      ensure(4);
      putIntAt(pos, v);
      pos += 4;
    }

    final void putIntAt(int at, int v) {
      buf[at] = (byte) (v >>> 24);
      buf[at + 1] = (byte) (v >>> 16);
      buf[at + 2] = (byte) (v >>> 8);
      buf[at + 3] = (byte) v;
    }

    /** A string: header and bytes (see the class comment). */
    final void putString(String s) {
      int n = s.length();
      int bytes = 0;
      boolean lone = false;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          bytes++;
        } else if (c < 0x800) {
          bytes += 2;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 4;
          i++;
        } else {
          bytes += 3;
          lone |= Character.isSurrogate(c);
        }
      }
      putVarint(((long) bytes << 1) | (lone ? 1 : 0));
      ensure(bytes);
      byte[] b = buf;
      int p = pos;
      if (bytes == n) {
        for (int i = 0; i < n; i++) {
          b[p++] = (byte) s.charAt(i);
        }
      } else {
        for (int i = 0; i < n; i++) {
          char c = s.charAt(i);
          if (c < 0x80) {
            b[p++] = (byte) c;
          } else {
            p = putChar(b, p, c, i + 1 < n ? s.charAt(i + 1) : 0);
            if (Character.isHighSurrogate(c)
                && i + 1 < n
                && Character.isLowSurrogate(s.charAt(i + 1))) {
              i++;
            }
          }
        }
      }
      pos = p;
    }

    /** A string from a slice of chars (as JSON parsers hand them out). */
    final void putString(char[] s, int off, int len) {
      int end = off + len;
      int bytes = 0;
      boolean lone = false;
      for (int i = off; i < end; i++) {
        char c = s[i];
        if (c < 0x80) {
          bytes++;
        } else if (c < 0x800) {
          bytes += 2;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < end
            && Character.isLowSurrogate(s[i + 1])) {
          bytes += 4;
          i++;
        } else {
          bytes += 3;
          lone |= Character.isSurrogate(c);
        }
      }
      putVarint(((long) bytes << 1) | (lone ? 1 : 0));
      ensure(bytes);
      byte[] b = buf;
      int p = pos;
      for (int i = off; i < end; i++) {
        char c = s[i];
        if (c < 0x80) {
          b[p++] = (byte) c;
        } else {
          char next = i + 1 < end ? s[i + 1] : 0;
          p = putChar(b, p, c, next);
          if (Character.isHighSurrogate(c) && Character.isLowSurrogate(next) && i + 1 < end) {
            i++;
          }
        }
      }
      pos = p;
    }

    private static int putChar(byte[] b, int p, char c, char next) {
      if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && Character.isLowSurrogate(next)) {
        int cp = Character.toCodePoint(c, next);
        b[p++] = (byte) (0xF0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
      return p;
    }

    /** Starts a container body: reserves its length; returns the slot for {@link #close}. */
    final int open() {
      ensure(4);
      int at = pos;
      putIntAt(at, 0);
      pos += 4;
      return at;
    }

    /** Ends the container whose length slot is {@code at}. */
    final void close(int at) {
      putIntAt(at, pos - at - 4);
    }

    final byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, pos);
    }
  }

  /**
   * Appends a tagged JSON-like value.
   *
   * @throws IllegalArgumentException for a value that is not JSON-like
   */
  static void writeValue(Sink out, Object v) {
    if (v == null) {
      out.put(NULL);
    } else if (v instanceof String s) {
      out.put(STRING);
      out.putString(s);
    } else if (v instanceof Long l) {
      out.put(LONG);
      out.putZigzag(l);
    } else if (v instanceof Double d) {
      out.put(DOUBLE);
      out.putLong(Double.doubleToRawLongBits(d));
    } else if (v instanceof Boolean b) {
      out.put(b ? TRUE : FALSE);
    } else if (v instanceof Integer i) {
      out.put(INT);
      out.putZigzag(i);
    } else if (v instanceof Map<?, ?> m) {
      out.put(OBJECT);
      writeBody(out, m);
    } else if (v instanceof List<?> l) {
      out.put(ARRAY);
      int at = out.open();
      for (int i = 0, n = l.size(); i < n; i++) {
        writeValue(out, l.get(i));
      }
      out.close(at);
    } else if (v instanceof Float f) {
      out.put(FLOAT);
      out.putInt(Float.floatToRawIntBits(f));
    } else if (v instanceof BigInteger b) {
      out.put(BIG_INTEGER);
      out.putString(b.toString());
    } else if (v instanceof BigDecimal b) {
      out.put(BIG_DECIMAL);
      out.putString(b.toString());
    } else if (v instanceof Short s) {
      out.put(SHORT);
      out.putZigzag(s);
    } else if (v instanceof Byte b) {
      out.put(BYTE);
      out.put(b);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }
  }

  /** Appends an object's body (length and entries); a {@link CompactMap}'s bytes are copied. */
  static void writeBody(Sink out, Map<?, ?> m) {
    if (m instanceof CompactMap c) {
      out.putInt(c.len);
      out.put(c.bytes, c.off, c.len);
      return;
    }
    int at = out.open();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String k)) {
        throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
      }
      out.putString(k);
      writeValue(out, e.getValue());
    }
    out.close(at);
  }

  // ---------------------------------------------------------------- reading

  /** A read position in a byte array. Not thread-safe. */
  static final class Reader {
    final byte[] b;
    int pos;
    final int end;

    Reader(byte[] b, int off, int len) {
      this.b = b;
      this.pos = off;
      this.end = off + len;
    }

    boolean more() {
      return pos < end;
    }

    int u8() {
      if (pos >= end) {
        throw corrupt("ends early");
      }
      return b[pos++] & 0xFF;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int x = u8();
        v |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw corrupt("varint too long");
    }

    long zigzag() {
      long v = varint();
      return (v >>> 1) ^ -(v & 1);
    }

    int int32() {
      need(4);
      int v =
          ((b[pos] & 0xFF) << 24)
              | ((b[pos + 1] & 0xFF) << 16)
              | ((b[pos + 2] & 0xFF) << 8)
              | (b[pos + 3] & 0xFF);
      pos += 4;
      return v;
    }

    long int64() {
      return ((long) int32() << 32) | (int32() & 0xFFFFFFFFL);
    }

    void need(int n) {
      if (n < 0 || end - pos < n) {
        throw corrupt("ends early");
      }
    }

    /** A container's body length; positions the reader at its first entry. */
    int body() {
      int n = int32();
      need(n);
      return n;
    }

    String string() {
      long h = varint();
      int n = (int) (h >>> 1);
      if ((h >>> 1) > Integer.MAX_VALUE) {
        throw corrupt("string too long");
      }
      need(n);
      String s =
          (h & 1) == 0 ? new String(b, pos, n, StandardCharsets.UTF_8) : decodeWtf8(b, pos, n);
      pos += n;
      return s;
    }

    void skipString() {
      long h = varint();
      int n = (int) (h >>> 1);
      need(n);
      pos += n;
    }

    /** Skips one tagged value. */
    void skipValue() {
      int tag = u8();
      switch (tag) {
        case NULL, TRUE, FALSE -> {}
        case STRING, BIG_INTEGER, BIG_DECIMAL -> skipString();
        case LONG, INT, SHORT -> varint();
        case DOUBLE -> skip(8);
        case FLOAT -> skip(4);
        case BYTE -> skip(1);
        case OBJECT, ARRAY -> skip(body());
        default -> throw corrupt("unknown tag " + tag);
      }
    }

    void skip(int n) {
      need(n);
      pos += n;
    }

    /** Reads one tagged value; objects and arrays come back frozen (immutable). */
    Object value() {
      int tag = u8();
      switch (tag) {
        case NULL:
          return null;
        case FALSE:
          return Boolean.FALSE;
        case TRUE:
          return Boolean.TRUE;
        case STRING:
          return string();
        case LONG:
          return zigzag();
        case INT:
          return (int) zigzag();
        case DOUBLE:
          return Double.longBitsToDouble(int64());
        case OBJECT:
          {
            int n = body();
            return new JsonValues.FrozenMap(entries(pos, n));
          }
        case ARRAY:
          {
            int n = body();
            int stop = pos + n;
            List<Object> items = new ArrayList<>();
            while (pos < stop) {
              items.add(value());
            }
            if (pos != stop) {
              throw corrupt("array overruns its length");
            }
            return new JsonValues.FrozenList(items.toArray());
          }
        case FLOAT:
          return Float.intBitsToFloat(int32());
        case BIG_INTEGER:
          return new BigInteger(string());
        case BIG_DECIMAL:
          return new BigDecimal(string());
        case SHORT:
          return (short) zigzag();
        case BYTE:
          need(1);
          return b[pos++];
        default:
          throw corrupt("unknown tag " + tag);
      }
    }

    /** Reads the entries of a body of {@code n} bytes starting at {@code from} (== pos). */
    LinkedHashMap<String, Object> entries(int from, int n) {
      int stop = from + n;
      LinkedHashMap<String, Object> m = new LinkedHashMap<>();
      while (pos < stop) {
        String k = string();
        m.put(k, value());
      }
      if (pos != stop) {
        throw corrupt("object overruns its length");
      }
      return m;
    }
  }

  /** Decodes UTF-8 in which surrogates may stand alone in their three-byte form. */
  static String decodeWtf8(byte[] b, int off, int len) {
    char[] out = new char[len];
    int n = 0;
    int i = off;
    int end = off + len;
    while (i < end) {
      int x = b[i] & 0xFF;
      if (x < 0x80) {
        out[n++] = (char) x;
        i++;
      } else if (x < 0xE0 && i + 1 < end) {
        out[n++] = (char) (((x & 0x1F) << 6) | (b[i + 1] & 0x3F));
        i += 2;
      } else if (x < 0xF0 && i + 2 < end) {
        out[n++] = (char) (((x & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F));
        i += 3;
      } else if (i + 3 < end) {
        int cp =
            ((x & 0x07) << 18)
                | ((b[i + 1] & 0x3F) << 12)
                | ((b[i + 2] & 0x3F) << 6)
                | (b[i + 3] & 0x3F);
        out[n++] = Character.highSurrogate(cp);
        out[n++] = Character.lowSurrogate(cp);
        i += 4;
      } else {
        out[n++] = '\uFFFD';
        i++;
      }
    }
    return new String(out, 0, n);
  }

  // ---------------------------------------------------------------- equality and hashing

  /**
   * {@code Map.hashCode()} of the object whose body is {@code b[off, off + len)}, computed from the
   * bytes: the same number the decoded map gives, without decoding it.
   */
  static int hashBody(byte[] b, int off, int len) {
    Reader r = new Reader(b, off, len);
    int h = 0;
    while (r.more()) {
      int k = hashString(r);
      h += k ^ hashValue(r);
    }
    return h;
  }

  /** {@code String.hashCode()} of the encoded string at the reader, read past. */
  private static int hashString(Reader r) {
    long hd = r.varint();
    int n = (int) (hd >>> 1);
    r.need(n);
    byte[] b = r.b;
    int i = r.pos;
    int end = i + n;
    r.pos = end;
    int h = 0;
    while (i < end) {
      int x = b[i] & 0xFF;
      if (x < 0x80) {
        h = 31 * h + x;
        i++;
      } else if (x < 0xE0 && i + 1 < end) {
        h = 31 * h + (((x & 0x1F) << 6) | (b[i + 1] & 0x3F));
        i += 2;
      } else if (x < 0xF0 && i + 2 < end) {
        h = 31 * h + (((x & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F));
        i += 3;
      } else if (i + 3 < end) {
        int cp =
            ((x & 0x07) << 18)
                | ((b[i + 1] & 0x3F) << 12)
                | ((b[i + 2] & 0x3F) << 6)
                | (b[i + 3] & 0x3F);
        h = 31 * (31 * h + Character.highSurrogate(cp)) + Character.lowSurrogate(cp);
        i += 4;
      } else {
        h = 31 * h + '\uFFFD';
        i++;
      }
    }
    return h;
  }

  /** {@code Objects.hashCode} of the decoded tagged value at the reader, read past. */
  private static int hashValue(Reader r) {
    int tag = r.u8();
    switch (tag) {
      case NULL:
        return 0;
      case FALSE:
        return Boolean.hashCode(false);
      case TRUE:
        return Boolean.hashCode(true);
      case STRING:
        return hashString(r);
      case LONG:
        return Long.hashCode(r.zigzag());
      case INT:
        return Integer.hashCode((int) r.zigzag());
      case SHORT:
        return Short.hashCode((short) r.zigzag());
      case BYTE:
        r.need(1);
        return Byte.hashCode(r.b[r.pos++]);
      case DOUBLE:
        return Double.hashCode(Double.longBitsToDouble(r.int64()));
      case FLOAT:
        return Float.hashCode(Float.intBitsToFloat(r.int32()));
      case BIG_INTEGER:
        return new BigInteger(r.string()).hashCode();
      case BIG_DECIMAL:
        return new BigDecimal(r.string()).hashCode();
      case OBJECT:
        {
          int n = r.body();
          int h = hashBody(r.b, r.pos, n);
          r.pos += n;
          return h;
        }
      case ARRAY:
        {
          int n = r.body();
          int stop = r.pos + n;
          int h = 1;
          while (r.pos < stop) {
            h = 31 * h + hashValue(r);
          }
          return h;
        }
      default:
        throw corrupt("unknown tag " + tag);
    }
  }

  /** How many entries the object body {@code b[off, off + len)} has, counted without decoding. */
  static int countEntries(byte[] b, int off, int len) {
    Reader r = new Reader(b, off, len);
    int n = 0;
    while (r.more()) {
      r.skipString();
      r.skipValue();
      n++;
    }
    return n;
  }

  /**
   * Whether two object bodies decode to equal maps ({@code Map.equals}: the same keys with equal
   * values, in any order), compared on the bytes.
   */
  static boolean bodiesEqual(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
    if (aLen == bLen && java.util.Arrays.equals(a, aOff, aOff + aLen, b, bOff, bOff + bLen)) {
      return true;
    }
    if (countEntries(a, aOff, aLen) != countEntries(b, bOff, bLen)) {
      return false;
    }
    Reader ra = new Reader(a, aOff, aLen);
    while (ra.more()) {
      int keyAt = ra.pos;
      ra.skipString();
      int keyEnd = ra.pos;
      int at = find(b, bOff, bLen, a, keyAt, keyEnd);
      if (at < 0) {
        return false;
      }
      Reader rb = new Reader(b, at, bOff + bLen - at);
      if (!valuesEqual(ra, rb)) {
        return false;
      }
    }
    return true;
  }

  /** Where the value of the entry whose encoded key is {@code key[from, to)} starts, or -1. */
  private static int find(byte[] b, int off, int len, byte[] key, int from, int to) {
    Reader r = new Reader(b, off, len);
    int n = to - from;
    while (r.more()) {
      int k = r.pos;
      r.skipString();
      if (r.pos - k == n && java.util.Arrays.equals(b, k, r.pos, key, from, to)) {
        return r.pos;
      }
      r.skipValue();
    }
    return -1;
  }

  /** Whether the tagged values at the two readers decode equal; both are read past them. */
  private static boolean valuesEqual(Reader a, Reader b) {
    int tag = a.u8();
    if (b.u8() != tag) {
      return false;
    }
    switch (tag) {
      case NULL, FALSE, TRUE:
        return true;
      case DOUBLE:
        return Double.doubleToLongBits(Double.longBitsToDouble(a.int64()))
            == Double.doubleToLongBits(Double.longBitsToDouble(b.int64()));
      case FLOAT:
        return Float.floatToIntBits(Float.intBitsToFloat(a.int32()))
            == Float.floatToIntBits(Float.intBitsToFloat(b.int32()));
      case OBJECT:
        {
          int na = a.body();
          int nb = b.body();
          boolean eq = bodiesEqual(a.b, a.pos, na, b.b, b.pos, nb);
          a.pos += na;
          b.pos += nb;
          return eq;
        }
      case ARRAY:
        {
          int na = a.body();
          int nb = b.body();
          int stopA = a.pos + na;
          int stopB = b.pos + nb;
          boolean eq = true;
          while (eq && a.pos < stopA && b.pos < stopB) {
            eq = valuesEqual(a, b);
          }
          eq &= a.pos == stopA && b.pos == stopB;
          a.pos = stopA;
          b.pos = stopB;
          return eq;
        }
      default:
        {
          // strings, whole numbers, big numbers: one encoding per value, so equal bytes
          a.pos--;
          b.pos--;
          int fa = a.pos;
          int fb = b.pos;
          a.skipValue();
          b.skipValue();
          return java.util.Arrays.equals(a.b, fa, a.pos, b.b, fb, b.pos);
        }
    }
  }

  // ---------------------------------------------------------------- JSON text

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  /** Appends one tagged value as JSON text (UTF-8), exactly as {@link JsonValues#writeJson}. */
  static void writeJson(Reader in, Sink out) {
    int tag = in.u8();
    switch (tag) {
      case NULL -> ascii(out, "null");
      case FALSE -> ascii(out, "false");
      case TRUE -> ascii(out, "true");
      case STRING -> jsonString(in, out);
      case LONG, INT, SHORT -> ascii(out, Long.toString(in.zigzag()));
      case BYTE -> {
        in.need(1);
        ascii(out, Byte.toString(in.b[in.pos++]));
      }
      case DOUBLE -> {
        double d = Double.longBitsToDouble(in.int64());
        if (Double.isFinite(d)) {
          ascii(out, Double.toString(d));
        } else {
          out.put('"');
          ascii(out, Double.toString(d));
          out.put('"');
        }
      }
      case FLOAT -> {
        float f = Float.intBitsToFloat(in.int32());
        if (Float.isFinite(f)) {
          ascii(out, Float.toString(f));
        } else {
          out.put('"');
          ascii(out, Float.toString(f));
          out.put('"');
        }
      }
      case BIG_INTEGER, BIG_DECIMAL -> {
        String s = in.string();
        ascii(out, s);
      }
      case OBJECT -> {
        int n = in.body();
        writeJsonObject(in, n, out);
      }
      case ARRAY -> {
        int n = in.body();
        int stop = in.pos + n;
        out.put('[');
        boolean first = true;
        while (in.pos < stop) {
          if (!first) {
            out.put(',');
          }
          first = false;
          writeJson(in, out);
        }
        out.put(']');
      }
      default -> throw corrupt("unknown tag " + tag);
    }
  }

  /** Appends the JSON object whose body of {@code n} bytes starts at the reader's position. */
  static void writeJsonObject(Reader in, int n, Sink out) {
    int stop = in.pos + n;
    out.put('{');
    boolean first = true;
    while (in.pos < stop) {
      if (!first) {
        out.put(',');
      }
      first = false;
      jsonString(in, out);
      out.put(':');
      writeJson(in, out);
    }
    out.put('}');
  }

  private static void ascii(Sink out, String s) {
    int n = s.length();
    out.ensure(n);
    for (int i = 0; i < n; i++) {
      out.buf[out.pos++] = (byte) s.charAt(i);
    }
  }

  /**
   * Appends an encoded string as a JSON string literal: quote, backslash and control characters
   * escaped as Jackson escapes them, lone surrogates as unicode escapes, all else as it is.
   */
  static void jsonString(Reader in, Sink out) {
    long h = in.varint();
    int n = (int) (h >>> 1);
    in.need(n);
    if ((h & 1) != 0) {
      StringBuilder sb = new StringBuilder(n + 2);
      JsonValues.writeString(sb, decodeWtf8(in.b, in.pos, n));
      in.pos += n;
      byte[] utf8 = sb.toString().getBytes(StandardCharsets.UTF_8);
      out.put(utf8, 0, utf8.length);
      return;
    }
    byte[] b = in.b;
    int from = in.pos;
    int end = from + n;
    in.pos = end;
    out.ensure(n + 2);
    out.buf[out.pos++] = '"';
    int run = from;
    for (int i = from; i < end; i++) {
      int c = b[i];
      if (c >= 0x20 && c != '"' && c != '\\' || c < 0) {
        continue;
      }
      out.put(b, run, i - run);
      switch (c) {
        case '"' -> ascii(out, "\\\"");
        case '\\' -> ascii(out, "\\\\");
        case '\n' -> ascii(out, "\\n");
        case '\t' -> ascii(out, "\\t");
        case '\r' -> ascii(out, "\\r");
        case '\b' -> ascii(out, "\\b");
        case '\f' -> ascii(out, "\\f");
        default -> {
          out.ensure(6);
          out.buf[out.pos++] = '\\';
          out.buf[out.pos++] = 'u';
          out.buf[out.pos++] = '0';
          out.buf[out.pos++] = '0';
          out.buf[out.pos++] = HEX[(c >> 4) & 0xF];
          out.buf[out.pos++] = HEX[c & 0xF];
        }
      }
      run = i + 1;
    }
    out.put(b, run, end - run);
    out.put('"');
  }
}
