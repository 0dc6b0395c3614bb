package dev.weir.connectors.pgwarehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and evolves table schemas, inside the caller's transaction (PostgreSQL DDL is
 * transactional, so a failed export leaves no half-made columns). Only additive changes: tables and
 * columns are created, never altered.
 */
final class Catalog {
  private Catalog() {}

  /**
   * The columns of {@code schema.table} with their types, in table order; empty when the table does
   * not exist.
   */
  static Map<String, ColumnType> columns(Connection c, String schema, String table)
      throws SQLException {
    Map<String, ColumnType> out = new LinkedHashMap<>();
    // pg_catalog rather than information_schema: the same answer, without the views' cost on every
    // chunk
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attname, format_type(a.atttypid, NULL)"
                + " FROM pg_attribute a JOIN pg_class t ON a.attrelid = t.oid JOIN pg_namespace n ON t.relnamespace = n.oid"
                + " WHERE n.nspname = ? AND t.relname = ? AND t.relkind IN ('r', 'p') AND a.attnum > 0"
                + " AND NOT a.attisdropped ORDER BY a.attnum")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ColumnType t = ColumnType.fromInformationSchema(rs.getString(2));
          out.put(rs.getString(1), t == null ? ColumnType.JSONB : t);
        }
      }
    }
    return out;
  }

  /** The (unquoted) names of the tables in {@code schema}. */
  static java.util.List<String> tables(Connection c, String schema) throws SQLException {
    java.util.List<String> out = new java.util.ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT t.relname FROM pg_class t JOIN pg_namespace n ON t.relnamespace = n.oid"
                + " WHERE n.nspname = ? AND t.relkind IN ('r', 'p') ORDER BY t.relname")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /**
   * Creates the table with the core columns, a primary key on the dedup key, and indexes on time
   * and chunk id.
   */
  static void createTable(Connection c, Layout layout, String table) throws SQLException {
    StringBuilder ddl =
        new StringBuilder("CREATE TABLE IF NOT EXISTS ")
            .append(layout.qualified(table))
            .append(" (");
    boolean first = true;
    for (Map.Entry<String, ColumnType> col : Layout.CORE.entrySet()) {
      ddl.append(first ? "" : ", ")
          .append(Layout.quote(col.getKey()))
          .append(' ')
          .append(col.getValue().sql);
      if (col.getKey().equals(Layout.DEDUP_KEY)) {
        ddl.append(" PRIMARY KEY");
      } else if (col.getKey().equals(Layout.CHUNK_ID)) {
        ddl.append(" NOT NULL");
      }
      first = false;
    }
    ddl.append(')');
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + Layout.quote(layout.schema()));
      st.execute(ddl.toString());
      st.execute(
          "CREATE INDEX IF NOT EXISTS "
              + Layout.quote(Layout.identifier(table + "_time_idx"))
              + " ON "
              + layout.qualified(table)
              + " (\"time\")");
      st.execute(
          "CREATE INDEX IF NOT EXISTS "
              + Layout.quote(Layout.identifier(table + "_chunk_idx"))
              + " ON "
              + layout.qualified(table)
              + " ("
              + Layout.quote(Layout.CHUNK_ID)
              + ")");
    }
  }

  static void addColumn(Connection c, Layout layout, String table, String column, ColumnType type)
      throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "ALTER TABLE "
              + layout.qualified(table)
              + " ADD COLUMN IF NOT EXISTS "
              + Layout.quote(column)
              + " "
              + type.sql);
    }
  }
}
