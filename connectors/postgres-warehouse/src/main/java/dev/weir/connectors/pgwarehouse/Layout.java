package dev.weir.connectors.pgwarehouse;

import dev.weir.sdk.Event;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How events become rows: which table, which columns. Top-level fields keep their canonical names
 * ({@code time} and {@code upload_time} become timestamps), {@code event_properties} keys become
 * {@code p_<key>} columns, {@code user_properties} keys {@code u_<key>}, other objects and lists
 * are {@code jsonb}. Immutable.
 */
final class Layout {
  static final String DEDUP_KEY = "_dedup_key";
  static final String CHUNK_ID = "_chunk_id";
  static final String REJECTED = "_rejected";

  /** The columns every table is created with, in order. */
  static final Map<String, ColumnType> CORE = core();

  private final String schema;
  private final boolean wide;
  private final String table;
  private final String prefix;

  Layout(String schema, boolean wide, String table, String prefix) {
    this.schema = schema;
    this.wide = wide;
    this.table = table;
    this.prefix = prefix;
  }

  private static Map<String, ColumnType> core() {
    Map<String, ColumnType> m = new LinkedHashMap<>();
    m.put(DEDUP_KEY, ColumnType.TEXT);
    m.put(CHUNK_ID, ColumnType.TEXT);
    m.put("event_type", ColumnType.TEXT);
    m.put("time", ColumnType.TIMESTAMPTZ);
    m.put("user_id", ColumnType.TEXT);
    m.put("device_id", ColumnType.TEXT);
    m.put("insert_id", ColumnType.TEXT);
    m.put("source_id", ColumnType.TEXT);
    m.put("upload_time", ColumnType.TIMESTAMPTZ);
    m.put(REJECTED, ColumnType.JSONB);
    return java.util.Collections.unmodifiableMap(m);
  }

  String schema() {
    return schema;
  }

  /** Whether {@code tableName} (unquoted) is one of the tables this layout loads. */
  boolean loads(String tableName) {
    return wide ? tableName.equals(table) : tableName.startsWith(prefix);
  }

  /** The (unquoted) table an event goes to. */
  String tableOf(Event e) {
    if (wide) {
      return table;
    }
    String type = e.eventType() == null ? "unknown" : e.eventType();
    return identifier(prefix + type);
  }

  /**
   * The row of one event: column name to value (absent values omitted), plus the dedup key and
   * chunk id. Values are the event's own JSON-like values; types are checked against the table
   * later.
   */
  static Map<String, Object> columns(
      Event e, String chunkId, long index, Map<String, Object> collisions) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put(
        DEDUP_KEY,
        e.insertId() != null && e.sourceId() != null
            ? e.sourceId() + ":" + e.insertId()
            : "chunk:" + chunkId + ":" + index);
    row.put(CHUNK_ID, chunkId);
    for (Map.Entry<String, Object> f : e.toMap().entrySet()) {
      String key = f.getKey();
      Object v = f.getValue();
      if (key.equals("event_properties") || key.equals("user_properties")) {
        String p = key.equals("event_properties") ? "p_" : "u_";
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) v;
        for (Map.Entry<String, Object> pe : props.entrySet()) {
          if (pe.getValue() == null) {
            continue;
          }
          String col = identifier(p + pe.getKey());
          if (row.containsKey(col)) {
            collisions.put(key + "." + pe.getKey(), pe.getValue());
          } else {
            row.put(col, pe.getValue());
          }
        }
      } else {
        row.put(key, v);
      }
    }
    return row;
  }

  /** The type a known top-level field gets when its column is created. */
  static ColumnType typeFor(String column, Object value) {
    ColumnType core = CORE.get(column);
    return core != null ? core : ColumnType.infer(value);
  }

  /**
   * A safe PostgreSQL identifier: lower case, [a-z0-9_], at most 63 characters, not starting with a
   * digit.
   */
  static String identifier(String name) {
    String cached = IDENTIFIERS.get(name);
    if (cached != null) {
      return cached;
    }
    String id = sanitize(name);
    if (IDENTIFIERS.size()
        < 50_000) { // property names repeat: map each once (bounded against key explosions)
      IDENTIFIERS.put(name, id);
    }
    return id;
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, String> IDENTIFIERS =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.regex.Pattern UNSAFE =
      java.util.regex.Pattern.compile("[^a-z0-9_]");

  private static String sanitize(String name) {
    String s = UNSAFE.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("_");
    if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
      s = "_" + s;
    }
    return s.length() > 63 ? s.substring(0, 63) : s;
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  String qualified(String table) {
    return quote(schema) + "." + quote(table);
  }
}
