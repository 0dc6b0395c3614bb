package dev.weir.connectors.pgwarehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Encodes rows as PostgreSQL {@code COPY ... (FORMAT csv)} lines: every value quoted, absent values
 * unquoted NULL.
 */
final class CsvRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CsvRows() {}

  static String line(List<String> columns, Map<String, ColumnType> types, Map<String, Object> row) {
    StringBuilder sb = new StringBuilder(256);
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String col = columns.get(i);
      Object v = row.get(col);
      if (v != null) {
        String s = text(types.get(col), v);
        sb.append('"').append(s.replace("\"", "\"\"")).append('"');
      }
    }
    return sb.append('\n').toString();
  }

  static String text(ColumnType type, Object v) {
    return switch (type) {
      case TIMESTAMPTZ -> Instant.ofEpochMilli(((Number) v).longValue()).toString();
      case JSONB -> json(v);
      case DOUBLE ->
          v instanceof BigDecimal b
              ? b.toPlainString()
              : Double.toString(((Number) v).doubleValue());
      default -> v.toString();
    };
  }

  static String json(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
