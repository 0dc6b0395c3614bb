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

  /** Whether the entries were decoded into a map (for tests of what reads them). */
  boolean isDecoded() {
    return decoded != null;
  }

  /** Whether the object has no entries, without decoding it. */
  @Override
  public boolean isEmpty() {
    return len == 0;
  }

  /**
   * The entries; until the map has been decoded, a view that reads them from the bytes as it is
   * iterated (each value decoded when its entry is reached), so a reader that walks the properties
   * once, such as a tracking-plan check, builds no map.
   */
  @Override
  public Set<Entry<String, Object>> entrySet() {
    Map<String, Object> m = decoded;
    if (m != null) {
      return m.entrySet();
    }
    return new java.util.AbstractSet<>() {
      @Override
      public java.util.Iterator<Entry<String, Object>> iterator() {
        Compact.Reader r = new Compact.Reader(bytes, off, len);
        return new java.util.Iterator<>() {
          @Override
          public boolean hasNext() {
            return r.more();
          }

          @Override
          public Entry<String, Object> next() {
            if (!r.more()) {
              throw new java.util.NoSuchElementException();
            }
            String k = r.string();
            return new java.util.AbstractMap.SimpleImmutableEntry<>(k, r.value());
          }
        };
      }

      @Override
      public int size() {
        return CompactMap.this.size();
      }
    };
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
    if (len == 0) {
      return 0;
    }
    Map<String, Object> m = decoded;
    return m != null ? m.size() : Compact.countEntries(bytes, off, len);
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    map().forEach(action);
  }

  /**
   * {@code Map.equals}, compared on the bytes when the other map is compact too; otherwise each of
   * the other map's entries is looked up here without decoding this map whole.
   */
  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (o instanceof CompactMap c) {
      return Compact.bodiesEqual(bytes, off, len, c.bytes, c.off, c.len);
    }
    if (!(o instanceof Map<?, ?> other) || other.size() != size()) {
      return false;
    }
    for (Map.Entry<?, ?> e : other.entrySet()) {
      if (!(e.getKey() instanceof String k)) {
        return false;
      }
      Object v = decoded != null ? (decoded.containsKey(k) ? decoded.get(k) : ABSENT) : find(k);
      if (v == ABSENT || !java.util.Objects.equals(v, e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** {@code Map.hashCode}, computed from the bytes (the map is not decoded). */
  @Override
  public int hashCode() {
    return Compact.hashBody(bytes, off, len);
  }
}
