package dev.weir.connectors.duckdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import dev.weir.sdk.ExportBatch;
import dev.weir.sdk.ExportResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one chunk in one transaction: stage its rows in a temporary table, delete the chunk's
 * earlier rows, insert the staged rows whose dedup key is not in the table yet, commit. A failure
 * anywhere rolls back, leaving the table as it was. Not thread-safe: one export at a time.
 */
final class ChunkWriter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STAGE_BATCH = 1_000;

  /** The columns of the table, in order: the common fields typed, the rest as JSON. */
  static final String COLUMNS =
      "_dedup_key VARCHAR NOT NULL, _chunk_id VARCHAR NOT NULL, event_type VARCHAR, \"time\" TIMESTAMP,"
          + " user_id VARCHAR, device_id VARCHAR, insert_id VARCHAR, source_id VARCHAR,"
          + " upload_time TIMESTAMP, session_id BIGINT, revenue DOUBLE, event_properties JSON,"
          + " user_properties JSON, event JSON";

  private final String schema;
  private final String table;

  ChunkWriter(String schema, String table) {
    this.schema = schema;
    this.table = table;
  }

  /** {@code name} if it is a plain identifier. @throws IllegalArgumentException otherwise */
  static String identifier(String name) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not a plain identifier (letters, digits and _, not starting with a digit)");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  String qualified() {
    return "\"" + schema + "\".\"" + table + "\"";
  }

  void ensureTable(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
      st.execute("CREATE TABLE IF NOT EXISTS " + qualified() + " (" + COLUMNS + ")");
    }
  }

  ExportResult write(Connection c, ExportBatch batch) throws SQLException {
    boolean ok = false;
    try {
      ensureTable(c);
      try (Statement st = c.createStatement()) {
        st.execute("CREATE OR REPLACE TEMP TABLE weir_stage (" + COLUMNS + ")");
      }
      stage(c, batch);
      try (PreparedStatement del =
          c.prepareStatement("DELETE FROM " + qualified() + " WHERE _chunk_id = ?")) {
        del.setString(1, batch.id());
        del.executeUpdate();
      }
      long loaded;
      try (Statement st = c.createStatement()) {
        loaded =
            st.executeUpdate(
                "INSERT INTO "
                    + qualified()
                    + " SELECT DISTINCT ON (s._dedup_key) s.* FROM weir_stage s WHERE NOT EXISTS"
                    + " (SELECT 1 FROM "
                    + qualified()
                    + " t WHERE t._dedup_key = s._dedup_key)");
        st.execute("DROP TABLE weir_stage");
      }
      c.commit();
      ok = true;
      return new ExportResult(loaded, List.of());
    } finally {
      if (!ok) {
        c.rollback();
      }
    }
  }

  /**
   * Deletes, in one committed transaction, the rows of the request's source and of its quarantine
   * copy with the user's id, and those without a user id whose device is one of the user's; the
   * number deleted. A failure rolls back.
   */
  long deleteUser(Connection c, dev.weir.sdk.UserDeletion r) throws SQLException {
    boolean ok = false;
    try {
      ensureTable(c);
      String devices =
          r.deviceIds().isEmpty()
              ? "NULL"
              : String.join(", ", java.util.Collections.nCopies(r.deviceIds().size(), "?"));
      long n;
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM "
                  + qualified()
                  + " WHERE source_id IN (?, ?) AND (user_id = ? OR (user_id IS NULL AND device_id"
                  + " IN ("
                  + devices
                  + ")))")) {
        ps.setString(1, r.sourceId());
        ps.setString(2, r.sourceId() + ":quarantine");
        ps.setString(3, r.userId());
        int i = 4;
        for (String d : r.deviceIds()) {
          ps.setString(i++, d);
        }
        n = ps.executeUpdate();
      }
      c.commit();
      ok = true;
      return n;
    } finally {
      if (!ok) {
        c.rollback();
      }
    }
  }

  private static void stage(Connection c, ExportBatch batch) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO weir_stage VALUES (?, ?, ?, make_timestamp(?::BIGINT * 1000), ?, ?, ?, ?,"
                + " make_timestamp(?::BIGINT * 1000), ?, ?, ?::JSON, ?::JSON, ?::JSON)")) {
      long index = 0;
      int pending = 0;
      for (Iterator<Event> it = batch.rows(); it.hasNext(); index++) {
        Event e = it.next();
        ps.setString(1, dedupKey(e, batch.id(), index));
        ps.setString(2, batch.id());
        ps.setString(3, e.eventType());
        setLong(ps, 4, e.time());
        ps.setString(5, e.userId());
        ps.setString(6, e.deviceId());
        ps.setString(7, e.insertId());
        ps.setString(8, e.sourceId());
        setLong(ps, 9, e.uploadTime());
        setLong(ps, 10, e.sessionId());
        if (e.revenue() == null) {
          ps.setNull(11, Types.DOUBLE);
        } else {
          ps.setDouble(11, e.revenue());
        }
        ps.setString(12, json(e.eventProperties()));
        ps.setString(13, json(e.userProperties()));
        ps.setString(14, json(e.toMap()));
        ps.addBatch();
        if (++pending == STAGE_BATCH) {
          ps.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    }
  }

  /**
   * Like the PostgreSQL warehouse: the event's identity when it has one, else its chunk position.
   */
  static String dedupKey(Event e, String chunkId, long index) {
    return e.insertId() != null && e.sourceId() != null
        ? e.sourceId() + ":" + e.insertId()
        : "chunk:" + chunkId + ":" + index;
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  private static String json(Map<String, ?> m) {
    if (m == null || m.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event is not serialisable as JSON: " + e.getMessage(), e);
    }
  }
}
