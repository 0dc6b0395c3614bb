package dev.weir.realtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * Encodes one column (one value per row, nulls allowed) choosing the encoding that fits: zig-zag
 * varint deltas for whole numbers (times, sequences), a dictionary with bit-packed ids for
 * low-cardinality strings, plain strings, raw doubles, or tagged values for anything mixed. Present
 * rows are a RoaringBitmap. Stateless.
 */
final class ColumnCodec {
  static final String LONG = "long";
  static final String INT = "int";
  static final String DOUBLE = "double";
  static final String DICT = "dict";
  static final String STRING = "string";
  static final String GENERIC = "generic";

  private ColumnCodec() {}

  /**
   * An encoded column and its statistics for the chunk footer: numeric min/max (null unless the
   * column is numeric) and the dictionary words (null unless a dictionary of at most {@link
   * #FOOTER_WORDS} words).
   */
  record Encoded(String kind, byte[] bytes, Double min, Double max, List<String> words) {}

  /** Dictionaries up to this size are repeated in the footer, for pruning by value. */
  static final int FOOTER_WORDS = 256;

  static Encoded encode(Object[] values) {
    RoaringBitmap present = new RoaringBitmap();
    boolean allLong = true;
    boolean allInt = true;
    boolean allDouble = true;
    boolean allString = true;
    int count = 0;
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) {
        continue;
      }
      present.add(i);
      count++;
      allLong &= v instanceof Long;
      allInt &= v instanceof Integer;
      allDouble &= v instanceof Double;
      allString &= v instanceof String;
    }
    String kind =
        count == 0
            ? GENERIC
            : allLong ? LONG : allInt ? INT : allDouble ? DOUBLE : allString ? STRING : GENERIC;
    Map<String, Integer> dict = null;
    if (kind.equals(STRING)) {
      dict = new HashMap<>();
      for (Object v : values) {
        if (v != null) {
          dict.putIfAbsent((String) v, dict.size());
        }
      }
      if (dict.size() * 2L <= count || dict.size() <= 16) {
        kind = DICT;
      }
    }
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(64, count * 4));
      DataOutputStream out = new DataOutputStream(bos);
      present.runOptimize();
      out.writeInt(present.serializedSizeInBytes());
      present.serialize(out);
      switch (kind) {
        case LONG, INT -> {
          long prev = 0;
          for (Object v : values) {
            if (v != null) {
              long x = ((Number) v).longValue();
              writeVarLong(out, zigzag(x - prev));
              prev = x;
            }
          }
        }
        case DOUBLE -> {
          for (Object v : values) {
            if (v != null) {
              out.writeDouble((Double) v);
            }
          }
        }
        case DICT -> {
          String[] words = new String[dict.size()];
          dict.forEach((s, id) -> words[id] = s);
          writeVarLong(out, words.length);
          for (String w : words) {
            writeString(out, w);
          }
          int width = Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, words.length - 1)));
          out.writeByte(width);
          long[] packed = new long[(int) (((long) count * width + 63) / 64)];
          long bit = 0;
          for (Object v : values) {
            if (v != null) {
              long id = dict.get((String) v);
              int word = (int) (bit >>> 6);
              int off = (int) (bit & 63);
              packed[word] |= id << off;
              if (off + width > 64) {
                packed[word + 1] |= id >>> (64 - off);
              }
              bit += width;
            }
          }
          for (long w : packed) {
            out.writeLong(w);
          }
        }
        case STRING -> {
          for (Object v : values) {
            if (v != null) {
              writeString(out, (String) v);
            }
          }
        }
        default -> {
          for (Object v : values) {
            if (v != null) {
              ValueCodec.write(out, v);
            }
          }
        }
      }
      out.flush();
      Double min = null;
      Double max = null;
      if (kind.equals(LONG) || kind.equals(INT) || kind.equals(DOUBLE)) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Object v : values) {
          if (v != null) {
            double d = ((Number) v).doubleValue();
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
          }
        }
        if (!Double.isNaN(lo) && !Double.isNaN(hi)) {
          min = lo;
          max = hi;
        }
      }
      List<String> words = null;
      if (kind.equals(DICT) && dict.size() <= FOOTER_WORDS) {
        String[] w = new String[dict.size()];
        dict.forEach((x, id) -> w[id] = x);
        words = List.of(w);
      }
      return new Encoded(kind, bos.toByteArray(), min, max, words);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory encoding failed", e);
    }
  }

  static Object[] decode(String kind, byte[] bytes, int rows) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(bytes);
    int bitmapLen = bb.getInt();
    RoaringBitmap present = new RoaringBitmap();
    present.deserialize(ByteBuffer.wrap(bytes, 4, bitmapLen).slice());
    DataInputStream in =
        new DataInputStream(
            new ByteArrayInputStream(bytes, 4 + bitmapLen, bytes.length - 4 - bitmapLen));
    Object[] out = new Object[rows];
    int count = present.getCardinality();
    switch (kind) {
      case LONG, INT -> {
        long prev = 0;
        boolean asInt = kind.equals(INT);
        for (int row : present) {
          prev += unzigzag(readVarLong(in));
          out[row] = asInt ? (Object) (int) prev : (Object) prev;
        }
      }
      case DOUBLE -> {
        for (int row : present) {
          out[row] = in.readDouble();
        }
      }
      case DICT -> {
        int n = (int) readVarLong(in);
        String[] words = new String[n];
        for (int i = 0; i < n; i++) {
          words[i] = readString(in);
        }
        int width = in.readUnsignedByte();
        long[] packed = new long[(int) (((long) count * width + 63) / 64)];
        for (int i = 0; i < packed.length; i++) {
          packed[i] = in.readLong();
        }
        long mask = width == 64 ? -1L : (1L << width) - 1;
        long bit = 0;
        for (int row : present) {
          int word = (int) (bit >>> 6);
          int off = (int) (bit & 63);
          long id = packed[word] >>> off;
          if (off + width > 64) {
            id |= packed[word + 1] << (64 - off);
          }
          out[row] = words[(int) (id & mask)];
          bit += width;
        }
      }
      case STRING -> {
        for (int row : present) {
          out[row] = readString(in);
        }
      }
      case GENERIC -> {
        for (int row : present) {
          out[row] = ValueCodec.read(in);
        }
      }
      default -> throw new IOException("unknown column encoding " + kind);
    }
    return out;
  }

  /** Decodes a column straight into its primitive form (no boxed value per row). */
  static Col decodeCol(String kind, byte[] bytes, int rows) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(bytes);
    int bitmapLen = bb.getInt();
    RoaringBitmap present = new RoaringBitmap();
    present.deserialize(ByteBuffer.wrap(bytes, 4, bitmapLen).slice());
    int count = present.getCardinality();
    RoaringBitmap p = count == rows ? null : present;
    int pos = 4 + bitmapLen;
    switch (kind) {
      case LONG, INT -> {
        long[] out = new long[rows];
        long prev = 0;
        org.roaringbitmap.IntIterator it = present.getIntIterator();
        while (it.hasNext()) {
          int row = it.next();
          long result = 0;
          for (int shift = 0; ; shift += 7) {
            int b = bytes[pos++] & 0xFF;
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
              break;
            }
          }
          prev += unzigzag(result);
          out[row] = prev;
        }
        return new Col.Longs(out, p, kind.equals(INT));
      }
      case DOUBLE -> {
        double[] out = new double[rows];
        ByteBuffer in = ByteBuffer.wrap(bytes, pos, bytes.length - pos);
        org.roaringbitmap.IntIterator it = present.getIntIterator();
        while (it.hasNext()) {
          out[it.next()] = in.getDouble();
        }
        return new Col.Doubles(out, p);
      }
      case DICT -> {
        DataInputStream in =
            new DataInputStream(new ByteArrayInputStream(bytes, pos, bytes.length - pos));
        int n = (int) readVarLong(in);
        String[] words = new String[n];
        for (int i = 0; i < n; i++) {
          words[i] = readString(in);
        }
        int width = in.readUnsignedByte();
        long[] packed = new long[(int) (((long) count * width + 63) / 64)];
        for (int i = 0; i < packed.length; i++) {
          packed[i] = in.readLong();
        }
        int[] ids = new int[rows];
        java.util.Arrays.fill(ids, -1);
        long mask = width == 64 ? -1L : (1L << width) - 1;
        long bit = 0;
        org.roaringbitmap.IntIterator it = present.getIntIterator();
        while (it.hasNext()) {
          int row = it.next();
          int word = (int) (bit >>> 6);
          int off = (int) (bit & 63);
          long id = packed[word] >>> off;
          if (off + width > 64) {
            id |= packed[word + 1] << (64 - off);
          }
          ids[row] = (int) (id & mask);
          bit += width;
        }
        return new Col.Dict(ids, words, false);
      }
      default -> {
        return Col.of(decode(kind, bytes, rows));
      }
    }
  }

  /**
   * Decodes a whole-number column into primitives, {@code absent} for rows without a value; null
   * when the column is not a long/int column (the caller falls back to {@link #decode}).
   */
  static long[] decodeLongs(String kind, byte[] bytes, int rows, long absent) throws IOException {
    if (!kind.equals(LONG) && !kind.equals(INT)) {
      return null;
    }
    ByteBuffer bb = ByteBuffer.wrap(bytes);
    int bitmapLen = bb.getInt();
    RoaringBitmap present = new RoaringBitmap();
    present.deserialize(ByteBuffer.wrap(bytes, 4, bitmapLen).slice());
    long[] out = new long[rows];
    java.util.Arrays.fill(out, absent);
    int pos = 4 + bitmapLen;
    long prev = 0;
    org.roaringbitmap.IntIterator it = present.getIntIterator();
    while (it.hasNext()) {
      int row = it.next();
      long result = 0;
      for (int shift = 0; ; shift += 7) {
        int b = bytes[pos++] & 0xFF;
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          break;
        }
      }
      prev += unzigzag(result);
      out[row] = prev;
    }
    return out;
  }

  /** The distinct present values, for tests and diagnostics. */
  static List<Object> presentValues(Object[] column) {
    List<Object> l = new ArrayList<>();
    for (Object o : column) {
      if (o != null) {
        l.add(o);
      }
    }
    return l;
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  private static void writeVarLong(DataOutputStream out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  private static long readVarLong(DataInputStream in) throws IOException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IOException("malformed varint");
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeVarLong(out, b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = (int) readVarLong(in);
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
