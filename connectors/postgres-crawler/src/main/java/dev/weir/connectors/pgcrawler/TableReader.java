package dev.weir.connectors.pgcrawler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the next page of rows after a cursor, in (updated_at, id) order, over one JDBC connection
 * that it reopens after a failure. Identifiers come from validated settings and are quoted. Not
 * thread-safe: used by the crawler's single polling thread.
 */
final class TableReader implements AutoCloseable {
  private final String url;
  private final Properties credentials;
  private final String sqlFirst;
  private final String sqlAfter;
  private final String idColumn;
  private final String updatedAtColumn;
  private Connection connection;

  TableReader(
      String url,
      String user,
      String password,
      String table,
      String idColumn,
      String updatedAtColumn,
      long lagMillis) {
    this.url = url;
    this.credentials = new Properties();
    credentials.setProperty("user", user);
    credentials.setProperty("password", password);
    this.idColumn = idColumn;
    this.updatedAtColumn = updatedAtColumn;
    String t = quoteQualified(table);
    String u = quote(updatedAtColumn);
    String i = quote(idColumn);
    String lag = " AND " + u + " <= now() - make_interval(secs => " + (lagMillis / 1000.0) + ")";
    this.sqlFirst =
        "SELECT * FROM "
            + t
            + " WHERE "
            + u
            + " IS NOT NULL"
            + lag
            + " ORDER BY "
            + u
            + ", "
            + i
            + " LIMIT ?";
    this.sqlAfter =
        "SELECT * FROM "
            + t
            + " WHERE ("
            + u
            + ", "
            + i
            + ") > (?, ?)"
            + lag
            + " ORDER BY "
            + u
            + ", "
            + i
            + " LIMIT ?";
  }

  /** One row: its cursor position and its columns by name, in table order. */
  record Row(Cursor position, Map<String, Object> columns) {}

  /** Up to {@code limit} rows after {@code after} (from the start when null). */
  List<Row> next(Cursor after, int limit) throws SQLException {
    try {
      return query(after, limit);
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  private List<Row> query(Cursor after, int limit) throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = new org.postgresql.Driver().connect(url, credentials);
      if (connection == null) {
        throw new SQLException("not a PostgreSQL JDBC URL");
      }
      connection.setReadOnly(true);
    }
    try (PreparedStatement ps = connection.prepareStatement(after == null ? sqlFirst : sqlAfter)) {
      int p = 1;
      if (after != null) {
        ps.setObject(p++, after.updatedAt());
        if (after.id() instanceof Long l) {
          ps.setLong(p++, l);
        } else {
          ps.setObject(p++, after.id(), java.sql.Types.OTHER);
        }
      }
      ps.setInt(p, limit);
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> cols = new LinkedHashMap<>();
          for (int c = 1; c <= md.getColumnCount(); c++) {
            String name = md.getColumnName(c);
            cols.put(
                name,
                name.equals(updatedAtColumn)
                    ? rs.getObject(c, OffsetDateTime.class)
                    : rs.getObject(c));
          }
          OffsetDateTime ts = (OffsetDateTime) cols.get(updatedAtColumn);
          rows.add(new Row(new Cursor(ts, Cursor.normaliseId(cols.get(idColumn))), cols));
        }
      }
      return rows;
    }
  }

  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the connection is being discarded
      }
      connection = null;
    }
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static String quoteQualified(String name) {
    int dot = name.indexOf('.');
    return dot < 0
        ? quote(name)
        : quote(name.substring(0, dot)) + "." + quote(name.substring(dot + 1));
  }
}
