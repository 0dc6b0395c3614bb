package dev.weir.connectors.fileexport;

import dev.weir.sdk.Event;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The flat column set of CSV and Parquet exports: every canonical event field, in canonical order,
 * with one fixed type each, so files of different chunks always have the same schema. Objects and
 * lists are JSON text.
 */
final class Columns {
  private static final Set<String> BIGINT =
      Set.of("time", "session_id", "event_id", "upload_time", "quantity");
  private static final Set<String> DOUBLE =
      Set.of("location_lat", "location_lng", "price", "revenue");
  private static final Set<String> JSON =
      Set.of(
          "event_properties",
          "user_properties",
          "groups",
          "group_properties",
          "plan",
          "violations");

  /** Field name to DuckDB type. */
  static final Map<String, String> TYPES = types();

  private Columns() {}

  private static Map<String, String> types() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String f : Event.FIELD_NAMES) {
      m.put(
          f,
          BIGINT.contains(f)
              ? "BIGINT"
              : DOUBLE.contains(f) ? "DOUBLE" : JSON.contains(f) ? "JSON" : "VARCHAR");
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  static boolean isJson(String field) {
    return JSON.contains(field);
  }

  /**
   * The DuckDB {@code columns=} struct literal for reading exported NDJSON with exactly these
   * types.
   */
  static String duckDbStruct() {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, String> e : TYPES.entrySet()) {
      sb.append(first ? "" : ", ")
          .append('\'')
          .append(e.getKey())
          .append("': '")
          .append(e.getValue())
          .append('\'');
      first = false;
    }
    return sb.append('}').toString();
  }
}
