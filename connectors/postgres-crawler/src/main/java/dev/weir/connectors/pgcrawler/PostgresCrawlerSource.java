package dev.weir.connectors.pgcrawler;

import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Health;
import dev.weir.sdk.Settings;
import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.SourceContext;
import dev.weir.sdk.SubmitResult;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.pf4j.Extension;

/**
 * The {@code postgres-crawler} source: polls a table for rows changed since its cursor, in
 * (updated_at, id) order, submits them as events, and persists the cursor in the connection's state
 * store only after the store has made the submission durable. A crash re-reads at most one page,
 * which the store deduplicates by insert id.
 *
 * <p>Lifecycle: {@link #start} opens nothing and returns at once; one polling thread of its own
 * does all database work. {@link #stop} stops the thread and waits for the submission in flight.
 * {@link #health} is thread-safe.
 */
@Extension
public final class PostgresCrawlerSource extends SourceConnector {
  static final String ID = "postgres-crawler";
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(5);

  private SourceContext context;
  private TableReader reader;
  private RowMapper mapper;
  private ScheduledExecutorService poller;
  private Cursor cursor;
  private int batchSize;
  private long pollMillis;
  private volatile Health health = Health.down("not started");

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder(ID)
        .version("0.1.0")
        .displayName("PostgreSQL table crawler")
        .description(
            "Polls a PostgreSQL table by its updated_at column and turns changed rows into events.")
        .settingsSchemaResource(
            PostgresCrawlerSource.class, "/weir-postgres-crawler-settings.schema.json")
        .build();
  }

  @Override
  public void start(SourceContext ctx) {
    this.context = ctx;
    Settings s = ctx.settings();
    String table = s.requireString("table");
    reader =
        new TableReader(
            s.requireString("jdbc_url"),
            s.requireString("user"),
            s.requireString("password"),
            table,
            s.string("id_column", "id"),
            s.string("updated_at_column", "updated_at"),
            s.longValue("lag_ms", 0));
    Map<String, String> mapping = new LinkedHashMap<>();
    s.section("mapping")
        .asMap()
        .forEach((field, column) -> mapping.put(field, String.valueOf(column)));
    mapper = new RowMapper(table, s.string("event_type", "row_updated"), mapping);
    batchSize = s.intValue("batch_size", 500);
    pollMillis = s.longValue("poll_interval_ms", 5000);
    cursor = ctx.state().get(Cursor.STATE_KEY).map(Cursor::fromJson).orElse(null);
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "weir-pg-crawler-" + ctx.connectionId());
              t.setDaemon(true);
              return t;
            });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    poller = executor;
    poller.schedule(this::poll, 0, TimeUnit.MILLISECONDS);
    ctx.logger()
        .info("Crawling table {} from {}", table, cursor == null ? "the beginning" : cursor);
  }

  /**
   * Reads pages until caught up (or a failure), then schedules the next poll. Runs on the poller
   * thread only.
   */
  private void poll() {
    try {
      List<TableReader.Row> rows;
      do {
        rows = reader.next(cursor, batchSize);
        if (!rows.isEmpty()) {
          submit(rows);
        }
      } while (rows.size() == batchSize && !poller.isShutdown());
      health = Health.up();
    } catch (SQLException e) {
      health = Health.degraded("database: " + e.getMessage());
      context
          .logger()
          .warn("Poll of the table failed, retrying in {} ms: {}", pollMillis, e.getMessage());
    } catch (ExecutionException e) {
      health = Health.degraded("store: " + e.getCause());
      context
          .logger()
          .warn(
              "Store did not take rows, retrying from the same cursor: {}",
              String.valueOf(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      health = Health.degraded(e.toString());
      context.logger().error("Unexpected failure of the crawler, retrying in {} ms", pollMillis, e);
    }
    try {
      poller.schedule(this::poll, pollMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      // stop() was called: no more polls
    }
  }

  private void submit(List<TableReader.Row> rows) throws Exception {
    List<Event> events = new ArrayList<>(rows.size());
    for (TableReader.Row row : rows) {
      events.add(mapper.toEvent(row));
    }
    SubmitResult result =
        context
            .submit(events)
            .toCompletableFuture()
            .get(SUBMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    // Every status is final (stored, duplicate or blocked by the plan): the cursor moves past the
    // whole page.
    cursor = rows.get(rows.size() - 1).position();
    context.state().put(Cursor.STATE_KEY, cursor.toJson());
    context.metrics().counter("rows_read").increment(rows.size());
    context
        .metrics()
        .counter("events_stored")
        .increment(result.count(SubmitResult.EventStatus.STORED));
  }

  @Override
  public void stop() throws InterruptedException {
    if (poller != null) {
      poller.shutdown();
      if (!poller.awaitTermination(30, TimeUnit.SECONDS)) {
        poller.shutdownNow();
      }
    }
    if (reader != null) {
      reader.close();
    }
    health = Health.down("stopped");
  }

  @Override
  public Health health() {
    return health;
  }
}
