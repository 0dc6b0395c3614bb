package dev.weir.connectors.pgcrawler;

import dev.weir.sdk.Event;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a row into an event: mapped columns fill event fields, the rest become event properties.
 * The insert id is {@code <table>:<id>:<updated_at in microseconds>}, so re-reading the same
 * version of a row deduplicates, and a later update is a new event. Immutable and thread-safe.
 */
final class RowMapper {
  private final String table;
  private final String eventType;
  private final Map<String, String> fieldToColumn;

  RowMapper(String table, String eventType, Map<String, String> fieldToColumn) {
    this.table = table;
    this.eventType = eventType;
    this.fieldToColumn = Map.copyOf(fieldToColumn);
  }

  Event toEvent(TableReader.Row row) {
    Map<String, Object> columns = new LinkedHashMap<>(row.columns());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("event_type", eventType);
    for (Map.Entry<String, String> m : fieldToColumn.entrySet()) {
      Object v = columns.remove(m.getValue());
      if (v != null) {
        fields.put(m.getKey(), m.getKey().equals("time") ? epochMillis(v) : json(v));
      }
    }
    OffsetDateTime updatedAt = row.position().updatedAt();
    fields.putIfAbsent("time", updatedAt.toInstant().toEpochMilli());
    long micros = ChronoUnit.MICROS.between(java.time.Instant.EPOCH, updatedAt.toInstant());
    fields.put("insert_id", table + ":" + row.position().id() + ":" + micros);
    Map<String, Object> props = new LinkedHashMap<>();
    columns.forEach((k, v) -> props.put(k, json(v)));
    fields.put("event_properties", props);
    return Event.fromMap(fields);
  }

  /**
   * A JSON-friendly form of a JDBC value: numbers, booleans and strings as they are, the rest as
   * text.
   */
  static Object json(Object v) {
    if (v == null
        || v instanceof String
        || v instanceof Boolean
        || v instanceof Long
        || v instanceof Integer
        || v instanceof Double) {
      return v;
    }
    if (v instanceof Short s) {
      return s.intValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof BigDecimal d) {
      return d.doubleValue();
    }
    if (v instanceof java.sql.Timestamp ts) {
      return ts.toInstant().toString();
    }
    if (v instanceof Temporal || v instanceof UUID || v instanceof java.sql.Date) {
      return v.toString();
    }
    return String.valueOf(v);
  }

  private static Object epochMillis(Object v) {
    if (v instanceof java.sql.Timestamp ts) {
      return ts.getTime();
    }
    if (v instanceof OffsetDateTime o) {
      return o.toInstant().toEpochMilli();
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalArgumentException(
        "column mapped to time holds "
            + v.getClass().getSimpleName()
            + ", not a timestamp or epoch milliseconds");
  }
}
