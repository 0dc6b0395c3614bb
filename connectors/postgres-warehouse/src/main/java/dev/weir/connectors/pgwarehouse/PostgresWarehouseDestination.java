package dev.weir.connectors.pgwarehouse;

import dev.weir.sdk.BatchDestination;
import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.ExportBatch;
import dev.weir.sdk.ExportResult;
import dev.weir.sdk.Health;
import dev.weir.sdk.Settings;
import dev.weir.sdk.UserDeletion;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.pf4j.Extension;

/**
 * The {@code postgres-warehouse} batch destination: loads each chunk into PostgreSQL with {@code
 * COPY}, in one transaction that first deletes the chunk's earlier rows, so re-exporting a chunk
 * never duplicates rows. Tables and property columns are created as events need them (additive
 * only); values whose type does not fit an existing column go to the row's {@code _rejected} jsonb
 * column; rows the database refuses are found by bisection and returned as {@link
 * ExportResult#rejected()}.
 *
 * <p>Lifecycle per the SDK: {@link #start} once, {@link #export} one at a time, {@link #stop} once.
 * Holds one connection, reopened when it breaks.
 */
@Extension
public final class PostgresWarehouseDestination extends BatchDestination {
  private String url;
  private Properties props;
  private ChunkLoader loader;
  private Connection connection;
  private volatile String lastError;

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder("postgres-warehouse")
        .version("0.1.0")
        .displayName("PostgreSQL warehouse")
        .description(
            "Loads sealed chunks into PostgreSQL tables with COPY, exactly once per chunk.")
        .settingsSchemaResource(
            PostgresWarehouseDestination.class, "/weir-postgres-warehouse-settings.schema.json")
        .build();
  }

  @Override
  public void start(ConnectorContext context) throws SQLException {
    Settings s = context.settings();
    url = s.requireString("jdbc_url");
    props = new Properties();
    s.string("user").ifPresent(u -> props.setProperty("user", u));
    s.string("password").ifPresent(p -> props.setProperty("password", p));
    boolean wide = !"per_event_type".equals(s.string("table_mode", "wide"));
    loader =
        new ChunkLoader(
            new Layout(
                Layout.identifier(s.string("schema", "public")),
                wide,
                Layout.identifier(s.string("table", "events")),
                s.string("table_prefix", "events_")));
    connection();
  }

  @Override
  public boolean deletesUsers() {
    return true;
  }

  /**
   * Deletes the user's rows from every table this destination loads (the wide table, or each
   * per-event-type table of the prefix) in one transaction.
   */
  @Override
  public synchronized long deleteUser(UserDeletion request) throws SQLException {
    try {
      long n = loader.deleteUser(connection(), request);
      connection.commit();
      return n;
    } catch (SQLException | RuntimeException e) {
      lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
      closeQuietly();
      throw e;
    }
  }

  @Override
  public synchronized ExportResult export(ExportBatch batch) throws Exception {
    try {
      ExportResult r = loader.load(connection(), batch);
      lastError = null;
      return r;
    } catch (SQLException | RuntimeException e) {
      lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
      closeQuietly();
      throw e;
    }
  }

  @Override
  public Health health() {
    String e = lastError;
    return e == null ? Health.up() : Health.degraded("last export failed: " + e);
  }

  @Override
  public void stop() {
    closeQuietly();
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = DriverManager.getConnection(url, props);
      connection.setAutoCommit(false);
    }
    return connection;
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the connection is being dropped anyway
      }
      connection = null;
    }
  }
}
