package dev.weir.connectors.pgsink;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Health;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.Settings;
import dev.weir.sdk.StreamingDestination;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code postgres-sink} destination: upserts each event as one row keyed by its insert id (or,
 * without one, a SHA-256 of its canonical JSON), with the whole event in a {@code jsonb} column.
 * Redelivery after a retry therefore never duplicates rows. A batch is one transaction; when the
 * database refuses the batch for its data, each event is tried alone so that only the bad ones are
 * rejected.
 *
 * <p>Thread-safe: concurrent {@link #deliver} calls each borrow a connection from a small pool.
 * Lifecycle: start once (creates the table when asked), deliver many times, stop once (closes the
 * pool; repeatable).
 */
@Extension
public final class PostgresSinkDestination extends StreamingDestination {
  static final String ID = "postgres-sink";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConnectionPool pool;
  private String upsertSql;
  private ConnectorContext context;
  private volatile String lastError = "";

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder(ID)
        .version("0.1.0")
        .displayName("PostgreSQL (upsert per event)")
        .description(
            "Upserts every event as one row of a PostgreSQL table keyed by insert id, event as jsonb.")
        .settingsSchemaResource(
            PostgresSinkDestination.class, "/weir-postgres-sink-settings.schema.json")
        .build();
  }

  @Override
  public void start(ConnectorContext ctx) throws Exception {
    this.context = ctx;
    Settings s = ctx.settings();
    String table = quoteQualified(s.requireString("table"));
    pool =
        new ConnectionPool(
            s.requireString("jdbc_url"),
            s.requireString("user"),
            s.requireString("password"),
            s.intValue("pool_size", 4));
    upsertSql =
        "INSERT INTO "
            + table
            + " (insert_id, event_type, user_id, device_id, event_time, event, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?::jsonb, now()) ON CONFLICT (insert_id) DO UPDATE SET"
            + " event_type = EXCLUDED.event_type, user_id = EXCLUDED.user_id, device_id = EXCLUDED.device_id,"
            + " event_time = EXCLUDED.event_time, event = EXCLUDED.event, updated_at = now()";
    if (s.bool("create_table", true)) {
      Connection c = pool.borrow();
      boolean broken = true;
      try (Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE IF NOT EXISTS "
                + table
                + " (insert_id text PRIMARY KEY, event_type text NOT NULL,"
                + " user_id text, device_id text, event_time timestamptz, event jsonb NOT NULL,"
                + " updated_at timestamptz NOT NULL)");
        broken = false;
      } finally {
        pool.release(c, broken);
      }
    }
    ctx.logger().info("Upserting events into table {}", table);
  }

  @Override
  public List<Outcome> deliver(List<Event> batch) throws InterruptedException {
    Connection c;
    try {
      c = pool.borrow();
    } catch (SQLException e) {
      return failAll(batch, e);
    }
    boolean broken = false;
    try {
      try {
        write(c, batch);
        lastError = "";
        context.metrics().counter("rows_upserted").increment(batch.size());
        return Collections.nCopies(batch.size(), Outcome.delivered());
      } catch (SQLException e) {
        rollback(c);
        if (!isDataError(e)) {
          broken = true;
          return failAll(batch, e);
        }
      }
      // The database refused the batch for its content: try each event alone, reject only the bad
      // ones.
      List<Outcome> outcomes = new ArrayList<>(batch.size());
      for (Event event : batch) {
        try {
          write(c, List.of(event));
          outcomes.add(Outcome.delivered());
        } catch (SQLException e) {
          rollback(c);
          if (!isDataError(e)) {
            broken = true;
            outcomes.add(Outcome.retry(describe(e)));
          } else {
            outcomes.add(Outcome.rejected("refused by the database: " + describe(e)));
          }
        }
      }
      return outcomes;
    } finally {
      pool.release(c, broken);
    }
  }

  private void write(Connection c, List<Event> events) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement(upsertSql)) {
      for (Event e : events) {
        String json = toJson(e);
        ps.setString(1, e.insertId() != null ? e.insertId() : "sha256:" + sha256(json));
        ps.setString(2, e.eventType());
        ps.setString(3, e.userId());
        ps.setString(4, e.deviceId());
        if (e.time() == null) {
          ps.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
          ps.setTimestamp(5, new Timestamp(e.time()));
        }
        ps.setString(6, json);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    c.commit();
  }

  private List<Outcome> failAll(List<Event> batch, SQLException e) {
    lastError = describe(e);
    context
        .logger()
        .warn("Database unavailable, batch of {} will be retried: {}", batch.size(), lastError);
    return Collections.nCopies(batch.size(), Outcome.retry(lastError));
  }

  /**
   * Class 22 (data exception) and 23 (integrity constraint violation): the rows, not the database,
   * are at fault.
   */
  static boolean isDataError(SQLException e) {
    SQLException root = e.getNextException() != null ? e.getNextException() : e;
    String state = root.getSQLState() != null ? root.getSQLState() : e.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }

  private static String describe(SQLException e) {
    SQLException root = e.getNextException() != null ? e.getNextException() : e;
    return "SQLState " + root.getSQLState() + ": " + root.getMessage();
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is discarded or reused after a failed statement; either way nothing was
      // committed
    }
  }

  private static String toJson(Event e) {
    try {
      return JSON.writeValueAsString(e.toMap());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    if (pool != null) {
      pool.close();
    }
  }

  @Override
  public Health health() {
    String err = lastError;
    return pool == null
        ? Health.down("not started")
        : err.isEmpty() ? Health.up() : Health.degraded(err);
  }

  static String quoteQualified(String name) {
    int dot = name.indexOf('.');
    return dot < 0
        ? quote(name)
        : quote(name.substring(0, dot)) + "." + quote(name.substring(dot + 1));
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
