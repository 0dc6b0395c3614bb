package dev.weir.sdk;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable JSON object held in its compact encoding ({@link Compact}: an object's body) and
 * decoded into a frozen map on first use. Event records and {@link JsonObjectWriter} hand these
 * out: the store and the JSON writers copy the bytes as they are, so an object parsed from a
 * request is never rebuilt as a map unless someone reads it. The bytes are never modified.
 * Thread-safe.
 */
final class CompactMap extends AbstractMap<String, Object> {
  final byte[] bytes;
  final int off;
  final int len;
  private volatile Map<String, Object> decoded;

  CompactMap(byte[] bytes, int off, int len) {
    this.bytes = bytes;
    this.off = off;
    this.len = len;
  }

  private Map<String, Object> map() {
    Map<String, Object> m = decoded;
    if (m == null) {
      Compact.Reader r = new Compact.Reader(bytes, off, len);
      m = java.util.Collections.unmodifiableMap(r.entries(off, len));
      decoded = m;
    }
    return m;
  }

  /** Whether the object has no entries, without decoding it. */
  @Override
  public boolean isEmpty() {
    return len == 0;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return map().entrySet();
  }

  @Override
  public Object get(Object key) {
    Map<String, Object> m = decoded;
    if (m != null) {
      return m.get(key);
    }
    if (!(key instanceof String k)) {
      return null;
    }
    Object v = find(k);
    return v == ABSENT ? null : v;
  }

  private static final Object ABSENT = new Object();

  /** One entry's value ({@code ABSENT} when there is none), found by scanning the bytes. */
  private Object find(String key) {
    for (int i = 0; i < key.length(); i++) {
      if (Character.isSurrogate(key.charAt(i))) {
        return map().containsKey(key) ? map().get(key) : ABSENT;
      }
    }
    byte[] k = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Compact.Reader r = new Compact.Reader(bytes, off, len);
    while (r.more()) {
      long h = r.varint();
      int n = (int) (h >>> 1);
      r.need(n);
      int p = r.pos;
      r.pos += n;
      if (h == (long) k.length << 1 && java.util.Arrays.equals(bytes, p, p + n, k, 0, n)) {
        return r.value();
      }
      r.skipValue();
    }
    return ABSENT;
  }

  @Override
  public boolean containsKey(Object key) {
    Map<String, Object> m = decoded;
    if (m != null) {
      return m.containsKey(key);
    }
    return key instanceof String k && find(k) != ABSENT;
  }

  @Override
  public int size() {
    return len == 0 ? 0 : map().size();
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    map().forEach(action);
  }

  @Override
  public boolean equals(Object o) {
    if (o instanceof CompactMap c
        && c.len == len
        && java.util.Arrays.equals(bytes, off, off + len, c.bytes, c.off, c.off + len)) {
      return true;
    }
    return super.equals(o);
  }

  @Override
  public int hashCode() {
    return map().hashCode();
  }
}
