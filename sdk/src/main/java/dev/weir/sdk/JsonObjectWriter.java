package dev.weir.sdk;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds JSON objects from a stream of calls, as a streaming JSON parser reads them, straight into
 * the compact form events keep: no maps are built, and {@link Event.Builder} takes the result
 * without copying it (the store and {@link Event#toJson()} copy its bytes as they are). For sources
 * that parse their input themselves.
 *
 * <pre>{@code
 * w.beginObject().key("plan").value("pro").key("tags").beginArray().value("a").endArray().endObject();
 * Map<String, Object> props = w.take();
 * }</pre>
 *
 * <p>A repeated key keeps its first place and its last value, as {@code LinkedHashMap.put} would.
 * The maps returned are immutable and stay valid while the writer goes on (it never rewrites bytes
 * it handed out). Not thread-safe: one writer per thread, reused for any number of objects.
 */
public final class JsonObjectWriter {
  private final Arena out = new Arena();

  /** Per open container (outermost first): where its length slot is. */
  private int[] slots = new int[8];

  /** Per open container: whether it is an object, and whether it expects a key next. */
  private boolean[] object = new boolean[8];

  private boolean[] expectKey = new boolean[8];

  /** Per open object: the first index in {@link #keys} of its keys. */
  private int[] keyBase = new int[8];

  /** Where each key of the open objects starts. */
  private int[] keys = new int[32];

  private int keyTop;
  private int depth;

  /** Where the outermost object in progress starts, or -1. */
  private int start = -1;

  private Map<String, Object> done;

  /** A fresh writer. */
  public JsonObjectWriter() {}

  /** Starts an object: the outermost one, or a value inside the current object or array. */
  public JsonObjectWriter beginObject() {
    if (depth == 0) {
      done = null;
      start = out.pos;
      push(out.open(), true);
    } else {
      valueStart();
      out.put(Compact.OBJECT);
      push(out.open(), true);
    }
    return this;
  }

  /** Ends the current object; after the outermost one, {@link #take()} returns it. */
  public JsonObjectWriter endObject() {
    if (depth == 0 || !object[depth - 1] || !expectKey[depth - 1]) {
      throw new IllegalStateException("no object to end here");
    }
    int d = depth - 1;
    if (keyTop - keyBase[d] > 1) {
      dedupe(slots[d] + 4, keyBase[d], keyTop);
    }
    keyTop = keyBase[d];
    out.close(slots[d]);
    depth--;
    if (depth == 0) {
      done = new CompactMap(out.buf, start + 4, out.pos - start - 4);
      start = -1;
    }
    return this;
  }

  /** Starts an array value. */
  public JsonObjectWriter beginArray() {
    valueStart();
    out.put(Compact.ARRAY);
    push(out.open(), false);
    return this;
  }

  /** Ends the current array. */
  public JsonObjectWriter endArray() {
    if (depth == 0 || object[depth - 1]) {
      throw new IllegalStateException("no array to end here");
    }
    out.close(slots[depth - 1]);
    depth--;
    return this;
  }

  /** The next entry's key. */
  public JsonObjectWriter key(String key) {
    keyStart();
    out.putString(key);
    return this;
  }

  /** The next entry's key, from {@code chars[offset, offset + length)}. */
  public JsonObjectWriter key(char[] chars, int offset, int length) {
    keyStart();
    out.putString(chars, offset, length);
    return this;
  }

  /** A string value. */
  public JsonObjectWriter value(String value) {
    if (value == null) {
      return nullValue();
    }
    valueStart();
    out.put(Compact.STRING);
    out.putString(value);
    return this;
  }

  /** A string value, from {@code chars[offset, offset + length)}. */
  public JsonObjectWriter value(char[] chars, int offset, int length) {
    valueStart();
    out.put(Compact.STRING);
    out.putString(chars, offset, length);
    return this;
  }

  /** A whole-number value (read back as a {@code Long}). */
  public JsonObjectWriter value(long value) {
    valueStart();
    out.put(Compact.LONG);
    out.putZigzag(value);
    return this;
  }

  /** A number value (read back as a {@code Double}). */
  public JsonObjectWriter value(double value) {
    valueStart();
    out.put(Compact.DOUBLE);
    out.putLong(Double.doubleToRawLongBits(value));
    return this;
  }

  /** A boolean value. */
  public JsonObjectWriter value(boolean value) {
    valueStart();
    out.put(value ? Compact.TRUE : Compact.FALSE);
    return this;
  }

  /** A null value. */
  public JsonObjectWriter nullValue() {
    valueStart();
    out.put(Compact.NULL);
    return this;
  }

  /** How many objects and arrays are open. */
  public int depth() {
    return depth;
  }

  /**
   * The object the last outermost {@link #endObject()} completed (immutable); null when there is
   * none or it was taken already.
   */
  public Map<String, Object> take() {
    Map<String, Object> m = done;
    done = null;
    return m;
  }

  /** Drops the object in progress, if any (say, after its input turned out bad). */
  public void abandon() {
    if (start >= 0) {
      out.pos = start;
    }
    start = -1;
    depth = 0;
    keyTop = 0;
    done = null;
  }

  private void push(int slot, boolean isObject) {
    if (depth == slots.length) {
      int n = depth * 2;
      slots = Arrays.copyOf(slots, n);
      object = Arrays.copyOf(object, n);
      expectKey = Arrays.copyOf(expectKey, n);
      keyBase = Arrays.copyOf(keyBase, n);
    }
    slots[depth] = slot;
    object[depth] = isObject;
    expectKey[depth] = isObject;
    keyBase[depth] = keyTop;
    depth++;
  }

  private void keyStart() {
    if (depth == 0 || !object[depth - 1] || !expectKey[depth - 1]) {
      throw new IllegalStateException("a key is not expected here");
    }
    expectKey[depth - 1] = false;
    if (keyTop == keys.length) {
      keys = Arrays.copyOf(keys, keyTop * 2);
    }
    keys[keyTop++] = out.pos;
  }

  private void valueStart() {
    if (depth == 0) {
      throw new IllegalStateException("values go inside an object");
    }
    int d = depth - 1;
    if (object[d]) {
      if (expectKey[d]) {
        throw new IllegalStateException("a key comes before each value");
      }
      expectKey[d] = true;
    }
  }

  // ---------------------------------------------------------------- duplicate keys

  /** Rewrites the body at {@code body} without repeated keys, if it has any. */
  private void dedupe(int body, int from, int to) {
    if (!hasDuplicate(from, to)) {
      return;
    }
    Compact.Reader r = new Compact.Reader(out.buf, body, out.pos - body);
    LinkedHashMap<String, Object> m = r.entries(body, out.pos - body);
    Compact.Sink tmp = new Compact.Sink(out.pos - body);
    for (Map.Entry<String, Object> e : m.entrySet()) {
      tmp.putString(e.getKey());
      Compact.writeValue(tmp, e.getValue());
    }
    System.arraycopy(tmp.buf, 0, out.buf, body, tmp.pos);
    out.pos = body + tmp.pos;
  }

  private boolean hasDuplicate(int from, int to) {
    int n = to - from;
    int[] hash = new int[n];
    int[] lenOf = new int[n];
    int[] at = new int[n];
    for (int i = 0; i < n; i++) {
      Compact.Reader r = new Compact.Reader(out.buf, keys[from + i], out.pos - keys[from + i]);
      long h = r.varint();
      at[i] = r.pos;
      lenOf[i] = (int) (h >>> 1);
      hash[i] = hash(out.buf, r.pos, lenOf[i]) ^ (int) h;
    }
    if (n <= 16) {
      for (int i = 1; i < n; i++) {
        for (int j = 0; j < i; j++) {
          if (hash[i] == hash[j] && same(at[i], lenOf[i], at[j], lenOf[j])) {
            return true;
          }
        }
      }
      return false;
    }
    java.util.HashMap<Integer, Integer> seen = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      Integer j = seen.putIfAbsent(hash[i], i);
      if (j != null && same(at[i], lenOf[i], at[j], lenOf[j])) {
        return true;
      }
      if (j != null) {
        for (int k = 0; k < i; k++) {
          if (hash[k] == hash[i] && same(at[i], lenOf[i], at[k], lenOf[k])) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private boolean same(int a, int alen, int b, int blen) {
    return alen == blen && Arrays.equals(out.buf, a, a + alen, out.buf, b, b + blen);
  }

  private static int hash(byte[] b, int off, int len) {
    int h = 1;
    for (int i = off; i < off + len; i++) {
      h = 31 * h + b[i];
    }
    return h;
  }

  // ---------------------------------------------------------------- storage

  /**
   * The bytes: when full, the object in progress moves to a new, larger array, so arrays behind
   * maps handed out are never written again.
   */
  private final class Arena extends Compact.Sink {
    Arena() {
      super(4096);
    }

    @Override
    void grow(int n) {
      int from = start >= 0 ? start : pos;
      int live = pos - from;
      byte[] next = new byte[Math.max(Math.min(buf.length * 2, 1 << 16), 2 * (live + n))];
      System.arraycopy(buf, from, next, 0, live);
      buf = next;
      pos = live;
      if (start >= 0) {
        start = 0;
      }
      for (int i = 0; i < depth; i++) {
        slots[i] -= from;
      }
      for (int i = 0; i < keyTop; i++) {
        keys[i] -= from;
      }
    }
  }
}
