package dev.weir.connectors.pgwarehouse;

import dev.weir.sdk.Event;
import dev.weir.sdk.ExportBatch;
import dev.weir.sdk.ExportResult;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;

/**
 * Loads one chunk in one transaction: evolve the schema, {@code COPY} the rows into a temporary
 * staging table (bisecting to find rows the database refuses), delete the chunk's earlier rows,
 * insert the staged ones. Loading the same chunk twice therefore leaves exactly one copy of its
 * rows. Not thread-safe: one export at a time.
 */
final class ChunkLoader {
  private final Layout layout;

  ChunkLoader(Layout layout) {
    this.layout = layout;
  }

  /**
   * One event on its way to a table: its index in the batch, its column values, values moved to
   * _rejected.
   */
  private record Pending(long index, Map<String, Object> row, Map<String, Object> rejected) {}

  ExportResult load(Connection c, ExportBatch batch) throws SQLException, IOException {
    Map<String, List<Pending>> byTable = new LinkedHashMap<>();
    long index = 0;
    for (Iterator<Event> it = batch.rows(); it.hasNext(); index++) {
      Event e = it.next();
      Map<String, Object> rejected = new LinkedHashMap<>();
      Map<String, Object> row = Layout.columns(e, batch.id(), index, rejected);
      byTable
          .computeIfAbsent(layout.tableOf(e), t -> new ArrayList<>())
          .add(new Pending(index, row, rejected));
    }
    List<ExportResult.RejectedRow> refused = new ArrayList<>();
    long loaded = 0;
    boolean ok = false;
    try {
      for (Map.Entry<String, List<Pending>> t : byTable.entrySet()) {
        loaded += loadTable(c, batch.id(), t.getKey(), t.getValue(), refused);
      }
      c.commit();
      ok = true;
    } finally {
      if (!ok) {
        c.rollback();
      }
    }
    refused.sort(java.util.Comparator.comparingLong(ExportResult.RejectedRow::index));
    return new ExportResult(loaded, refused);
  }

  /**
   * Deletes the user's rows (source or its quarantine copy; by user id, or device-only rows of the
   * user's devices) from every table of the layout; the caller commits. The count.
   */
  long deleteUser(Connection c, dev.weir.sdk.UserDeletion r) throws SQLException {
    long n = 0;
    boolean ok = false;
    try {
      for (String t : Catalog.tables(c, layout.schema())) {
        if (!layout.loads(t)) {
          continue;
        }
        try (java.sql.PreparedStatement ps =
            c.prepareStatement(
                "DELETE FROM "
                    + layout.qualified(t)
                    + " WHERE source_id = ANY(?) AND (user_id = ?"
                    + " OR (user_id IS NULL AND device_id = ANY(?)))")) {
          ps.setArray(
              1,
              c.createArrayOf("text", new String[] {r.sourceId(), r.sourceId() + ":quarantine"}));
          ps.setString(2, r.userId());
          ps.setArray(3, c.createArrayOf("text", r.deviceIds().toArray(new String[0])));
          n += ps.executeUpdate();
        }
      }
      ok = true;
    } finally {
      if (!ok) {
        c.rollback();
      }
    }
    return n;
  }

  private long loadTable(
      Connection c,
      String chunkId,
      String table,
      List<Pending> rows,
      List<ExportResult.RejectedRow> refused)
      throws SQLException, IOException {
    Map<String, ColumnType> types = Catalog.columns(c, layout.schema(), table);
    if (types.isEmpty()) {
      Catalog.createTable(c, layout, table);
      types = new LinkedHashMap<>(Layout.CORE);
    }
    Set<String> used =
        new LinkedHashSet<>(List.of(Layout.DEDUP_KEY, Layout.CHUNK_ID, Layout.REJECTED));
    for (Pending p : rows) {
      for (Iterator<Map.Entry<String, Object>> it = p.row.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Object> col = it.next();
        ColumnType type = types.get(col.getKey());
        if (type == null) {
          type = Layout.typeFor(col.getKey(), col.getValue());
          Catalog.addColumn(c, layout, table, col.getKey(), type);
          types.put(col.getKey(), type);
        }
        if (!type.accepts(col.getValue())) {
          p.rejected.put(col.getKey(), col.getValue());
          it.remove();
        } else {
          used.add(col.getKey());
        }
      }
      if (!p.rejected.isEmpty()) {
        p.row.put(Layout.REJECTED, p.rejected);
      }
    }
    List<String> columns = List.copyOf(used);
    String stage = Layout.identifier("weir_stage_" + table);
    String columnList = String.join(", ", columns.stream().map(Layout::quote).toList());
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TEMP TABLE "
              + Layout.quote(stage)
              + " (LIKE "
              + layout.qualified(table)
              + " INCLUDING DEFAULTS) ON COMMIT DROP");
    }
    List<String> lines = new ArrayList<>(rows.size());
    for (Pending p : rows) {
      lines.add(CsvRows.line(columns, types, p.row));
    }
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    String sql = "COPY " + Layout.quote(stage) + " (" + columnList + ") FROM STDIN (FORMAT csv)";
    copyBisecting(c, copy, sql, rows, lines, 0, rows.size(), refused);
    try (PreparedStatement del =
        c.prepareStatement(
            "DELETE FROM "
                + layout.qualified(table)
                + " WHERE "
                + Layout.quote(Layout.CHUNK_ID)
                + " = ?")) {
      del.setString(1, chunkId);
      del.executeUpdate();
    }
    try (Statement st = c.createStatement()) {
      return st.executeUpdate(
          "INSERT INTO "
              + layout.qualified(table)
              + " ("
              + columnList
              + ") SELECT "
              + columnList
              + " FROM "
              + Layout.quote(stage)
              + " ON CONFLICT ("
              + Layout.quote(Layout.DEDUP_KEY)
              + ") DO NOTHING");
    }
  }

  /**
   * COPYs rows [from, to) under a savepoint; when the database refuses them for their data, rolls
   * back to the savepoint and tries each half, down to single rows, which are refused with the
   * database's message. Errors that are not about the data (connection lost, permissions) are
   * thrown: the whole export is then retried.
   */
  private static void copyBisecting(
      Connection c,
      CopyManager copy,
      String sql,
      List<Pending> rows,
      List<String> lines,
      int from,
      int to,
      List<ExportResult.RejectedRow> refused)
      throws SQLException, IOException {
    if (from >= to) {
      return;
    }
    Savepoint sp = c.setSavepoint();
    try {
      StringBuilder sb = new StringBuilder();
      for (int i = from; i < to; i++) {
        sb.append(lines.get(i));
      }
      copy.copyIn(sql, new StringReader(sb.toString()));
      c.releaseSavepoint(sp);
    } catch (PSQLException e) {
      if (!isDataError(e)) {
        throw e;
      }
      c.rollback(sp);
      if (to - from == 1) {
        refused.add(
            new ExportResult.RejectedRow(
                rows.get(from).index, "database refused the row: " + reason(e)));
        return;
      }
      int mid = (from + to) >>> 1;
      copyBisecting(c, copy, sql, rows, lines, from, mid, refused);
      copyBisecting(c, copy, sql, rows, lines, mid, to, refused);
    }
  }

  /**
   * SQLSTATE class 22 (data exception) or 23 (integrity constraint violation): the rows are at
   * fault.
   */
  private static boolean isDataError(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }

  private static String reason(PSQLException e) {
    var m = e.getServerErrorMessage();
    if (m == null) {
      return e.getMessage();
    }
    return m.getSQLState() + " " + m.getMessage();
  }
}
