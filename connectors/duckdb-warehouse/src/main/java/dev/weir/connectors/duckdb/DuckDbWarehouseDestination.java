package dev.weir.connectors.duckdb;

import dev.weir.sdk.BatchDestination;
import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.ExportBatch;
import dev.weir.sdk.ExportResult;
import dev.weir.sdk.Health;
import dev.weir.sdk.Settings;
import dev.weir.sdk.UserDeletion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.pf4j.Extension;

/**
 * The {@code duckdb-warehouse} batch destination: loads each sealed chunk into a table of a DuckDB
 * database file in one transaction that first deletes the chunk's earlier rows, so re-exporting a
 * chunk never duplicates rows, and skips rows whose dedup key ({@code source_id:insert_id}) an
 * earlier chunk already loaded. The file is opened for each export and closed after it commits, so
 * other processes can query it between exports (DuckDB allows one writing process at a time).
 *
 * <p>Lifecycle per the SDK: {@link #start} once, {@link #export} one at a time, {@link #stop} once.
 */
@Extension
public final class DuckDbWarehouseDestination extends BatchDestination {
  private Path path;
  private Properties config;
  private ChunkWriter writer;
  private volatile String lastError;

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder("duckdb-warehouse")
        .version("0.1.0")
        .displayName("DuckDB warehouse")
        .description(
            "Loads sealed chunks into a table of a DuckDB database file, exactly once per chunk.")
        .settingsSchemaResource(
            DuckDbWarehouseDestination.class, "/weir-duckdb-warehouse-settings.schema.json")
        .build();
  }

  @Override
  public void start(ConnectorContext context) throws Exception {
    Settings s = context.settings();
    path = Path.of(s.requireString("path")).toAbsolutePath();
    if (path.getParent() != null) {
      Files.createDirectories(path.getParent());
    }
    config = new Properties();
    s.string("memory_limit").ifPresent(m -> config.setProperty("memory_limit", m));
    if (s.has("threads")) {
      config.setProperty("threads", Integer.toString(s.intValue("threads", 1)));
    }
    // never reach for the network: the json extension the table needs is built into the driver
    config.setProperty("autoinstall_known_extensions", "false");
    writer =
        new ChunkWriter(
            ChunkWriter.identifier(s.string("schema", "main")),
            ChunkWriter.identifier(s.string("table", "events")));
    try (Connection c = open()) {
      writer.ensureTable(c);
      c.commit();
    }
  }

  @Override
  public boolean deletesUsers() {
    return true;
  }

  /**
   * Deletes the user's rows (the source's and its quarantine copy's, by user id, and the rows
   * without a user id of the user's devices) in one transaction; serialized with {@link #export} so
   * the two never hold the file at once.
   */
  @Override
  public synchronized long deleteUser(UserDeletion request) throws SQLException {
    try (Connection c = open()) {
      return writer.deleteUser(c, request);
    }
  }

  @Override
  public synchronized ExportResult export(ExportBatch batch) throws Exception {
    try (Connection c = open()) {
      ExportResult r = writer.write(c, batch);
      lastError = null;
      return r;
    } catch (SQLException | RuntimeException e) {
      lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
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
    // nothing held between exports
  }

  private Connection open() throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:duckdb:" + path, config);
    c.setAutoCommit(false);
    return c;
  }
}
