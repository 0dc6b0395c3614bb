package dev.weir.connectors.pgcrawler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.OffsetDateTime;

/**
 * Where the crawl stands: the (updated_at, id) of the last row durably submitted. Rows are read in
 * that order, so everything at or before the cursor has been handed to Weir. Immutable; persisted
 * as JSON in the state store.
 *
 * @param updatedAt the last row's updated_at
 * @param id the last row's id: a Long for integer keys, else a String
 */
record Cursor(OffsetDateTime updatedAt, Object id) {
  static final String STATE_KEY = "cursor";
  private static final ObjectMapper JSON = new ObjectMapper();

  String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("updated_at", updatedAt.toString());
    if (id instanceof Long l) {
      n.put("id", l);
    } else {
      n.put("id", String.valueOf(id));
    }
    return n.toString();
  }

  static Cursor fromJson(String json) {
    try {
      JsonNode n = JSON.readTree(json);
      JsonNode id = n.get("id");
      return new Cursor(
          OffsetDateTime.parse(n.get("updated_at").asText()),
          id.isIntegralNumber() ? (Object) id.asLong() : id.asText());
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("stored cursor is unreadable: " + e.getMessage(), e);
    }
  }

  /** The key column's value as the cursor keeps it: integers as Long, anything else as its text. */
  static Object normaliseId(Object raw) {
    if (raw instanceof Long || raw instanceof Integer || raw instanceof Short) {
      return ((Number) raw).longValue();
    }
    return String.valueOf(raw);
  }
}
