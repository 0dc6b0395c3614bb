package dev.weir.realtime;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tagged binary encoding of JSON-like values that keeps Java types exactly (Integer stays
 * Integer, Long stays Long), so an event read back equals the event written.
 */
final class ValueCodec {
  private static final int NULL = 0;
  private static final int STRING = 1;
  private static final int INT = 2;
  private static final int LONG = 3;
  private static final int DOUBLE = 4;
  private static final int TRUE = 5;
  private static final int FALSE = 6;
  private static final int MAP = 7;
  private static final int LIST = 8;
  private static final int FLOAT = 9;
  private static final int BIG_INTEGER = 10;
  private static final int BIG_DECIMAL = 11;
  private static final int SHORT = 12;
  private static final int BYTE = 13;

  private ValueCodec() {}

  static void write(DataOutput out, Object v) throws IOException {
    if (v == null) {
      out.writeByte(NULL);
    } else if (v instanceof String s) {
      out.writeByte(STRING);
      writeString(out, s);
    } else if (v instanceof Integer i) {
      out.writeByte(INT);
      out.writeInt(i);
    } else if (v instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (v instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else if (v instanceof Boolean b) {
      out.writeByte(b ? TRUE : FALSE);
    } else if (v instanceof Map<?, ?> m) {
      out.writeByte(MAP);
      out.writeInt(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        writeString(out, (String) e.getKey());
        write(out, e.getValue());
      }
    } else if (v instanceof List<?> l) {
      out.writeByte(LIST);
      out.writeInt(l.size());
      for (Object o : l) {
        write(out, o);
      }
    } else if (v instanceof Float f) {
      out.writeByte(FLOAT);
      out.writeFloat(f);
    } else if (v instanceof BigInteger b) {
      out.writeByte(BIG_INTEGER);
      writeString(out, b.toString());
    } else if (v instanceof BigDecimal b) {
      out.writeByte(BIG_DECIMAL);
      writeString(out, b.toString());
    } else if (v instanceof Short s) {
      out.writeByte(SHORT);
      out.writeShort(s);
    } else if (v instanceof Byte b) {
      out.writeByte(BYTE);
      out.writeByte(b);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }
  }

  static void writeMapHeader(DataOutput out, int size) throws IOException {
    out.writeByte(MAP);
    out.writeInt(size);
  }

  static Object read(DataInput in) throws IOException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case NULL:
        return null;
      case STRING:
        return readString(in);
      case INT:
        return in.readInt();
      case LONG:
        return in.readLong();
      case DOUBLE:
        return in.readDouble();
      case TRUE:
        return Boolean.TRUE;
      case FALSE:
        return Boolean.FALSE;
      case MAP:
        {
          int n = in.readInt();
          Map<String, Object> m = new LinkedHashMap<>(Math.max(4, n * 2));
          for (int i = 0; i < n; i++) {
            String k = readString(in);
            m.put(k, read(in));
          }
          return m;
        }
      case LIST:
        {
          int n = in.readInt();
          List<Object> l = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            l.add(read(in));
          }
          return l;
        }
      case FLOAT:
        return in.readFloat();
      case BIG_INTEGER:
        return new BigInteger(readString(in));
      case BIG_DECIMAL:
        return new BigDecimal(readString(in));
      case SHORT:
        return in.readShort();
      case BYTE:
        return in.readByte();
      default:
        throw new IOException("unknown value tag " + tag);
    }
  }

  /** Skips one encoded value without building it. */
  static void skip(BytesInput in) throws IOException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case NULL, TRUE, FALSE -> {}
      case STRING, BIG_INTEGER, BIG_DECIMAL -> in.skipExactly(in.readInt());
      case INT, FLOAT -> in.skipExactly(4);
      case LONG, DOUBLE -> in.skipExactly(8);
      case SHORT -> in.skipExactly(2);
      case BYTE -> in.skipExactly(1);
      case MAP -> {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
          in.skipExactly(in.readInt());
          skip(in);
        }
      }
      case LIST -> {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
          skip(in);
        }
      }
      default -> throw new IOException("unknown value tag " + tag);
    }
  }

  /** Strings as a length and UTF-8 bytes (not limited to 64 KB like writeUTF). */
  static void writeString(DataOutput out, String s) throws IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  static String readString(DataInput in) throws IOException {
    if (in instanceof BytesInput bi) {
      return bi.readString();
    }
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("negative string length");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }
}
