package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every connector under {@code connectors/} ships in the distribution: {@code weir plugins list}
 * names each, and one {@code weir run} of a workspace (the jar {@code ./weir} runs, as a separate
 * process) uses the database ones against a real PostgreSQL and a real DuckDB file: the crawler
 * reads a table, the sink upserts events, both warehouses load sealed chunks. One process and one
 * database for all of them keeps it within CI time.
 */
class BuiltInConnectorsProcessIT {
  private static final Path JAR = Path.of("..", "target", "weir.jar").toAbsolutePath().normalize();
  @TempDir Path dir;
  private Process process;

  @AfterEach
  void kill() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private ProcessBuilder weir(String... args) {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    java.util.List<String> cmd =
        new java.util.ArrayList<>(java.util.List.of(javaBin, "-jar", JAR.toString()));
    cmd.addAll(java.util.List.of(args));
    return new ProcessBuilder(cmd).directory(dir.toFile());
  }

  @Test
  void pluginsListNamesEveryBuiltInConnector() throws Exception {
    Path out = dir.resolve("list.txt");
    Process p =
        weir("plugins", "list").redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String list = Files.readString(out);
    assertThat(p.exitValue()).as(list).isZero();
    // every connector module (but the shared format library) is listed under its id
    java.util.List<String> ids;
    try (var modules = Files.list(Path.of("..", "..", "connectors"))) {
      ids =
          modules
              .filter(m -> Files.isRegularFile(m.resolve("pom.xml")))
              .map(m -> m.getFileName().toString())
              .filter(m -> !m.equals("ingest-formats"))
              .map(m -> m.equals("http-source") ? "http" : m)
              .toList();
    }
    assertThat(ids).contains("postgres-warehouse", "postgres-sink", "postgres-crawler");
    for (String id : ids) {
      assertThat(list)
          .as("weir plugins list names %s", id)
          .containsPattern("(?m)^\\s*" + id + "\\s");
    }
  }

  @Test
  void oneWorkspaceRunsTheCrawlerTheSinkAndBothWarehouses() throws Exception {
    assertThat(JAR).as("the fat jar is built by `package`").exists();
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      String jdbc = pg.getJdbcUrl("postgres", "postgres");
      try (Connection c = DriverManager.getConnection(jdbc);
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE signups (id bigint PRIMARY KEY, email text, updated_at timestamptz NOT NULL)");
        s.execute(
            "INSERT INTO signups VALUES (1, 'a@example.com', now() - interval '1 minute'),"
                + " (2, 'b@example.com', now() - interval '1 minute')");
      }
      int port = freePort();
      Path duck = dir.resolve("warehouse.duckdb");
      Files.writeString(
          dir.resolve("workspace.yaml"),
          """
          store:
            dir: "%s/store"
            partitions: 1
            options: { block_interval_ms: 50, cached_blocks_per_partition: 1, blocks_per_chunk: 1, batch_period_ms: 0 }
          sources:
            - id: web
              type: http
              settings: { host: 127.0.0.1, port: %d, write_keys: [ "builtin-write-key" ] }
            - id: signups
              type: postgres-crawler
              settings:
                jdbc_url: "%s"
                user: postgres
                password: "${env:PG_PASSWORD:-postgres}"
                table: signups
                poll_interval_ms: 200
                event_type: Signed Up
                mapping: { user_id: email }
          destinations:
            - id: pg-sink
              type: postgres-sink
              mode: stream
              settings: { jdbc_url: "%s", user: postgres, password: postgres, table: weir_events }
            - id: pg-warehouse
              type: postgres-warehouse
              mode: batch
              settings: { jdbc_url: "%s", user: postgres, password: postgres }
            - id: duck
              type: duckdb-warehouse
              mode: batch
              settings: { path: "%s" }
          routes:
            - { from: web, to: [ pg-sink, pg-warehouse, duck ] }
            - { from: signups, to: [ pg-sink ] }
          """
              .formatted(dir, port, jdbc, jdbc, jdbc, duck));
      Path stdout = dir.resolve("stdout.txt");
      process =
          weir("run", "--workspace", dir.resolve("workspace.yaml").toString())
              .redirectErrorStream(true)
              .redirectOutput(stdout.toFile())
              .start();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> !process.isAlive() || Files.readString(stdout).contains("Weir is running"));
      assertThat(process.isAlive()).as(Files.readString(stdout)).isTrue();

      OkHttpClient client = new OkHttpClient();
      AtomicInteger sent = new AtomicInteger();
      // keep events coming so blocks roll over and chunks are sealed for the batch destinations
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                int n = sent.incrementAndGet();
                post(
                    client,
                    "http://127.0.0.1:" + port + "/v1/events",
                    "builtin-write-key",
                    "[{\"event_type\":\"Clicked\",\"user_id\":\"u1\",\"insert_id\":\"b-"
                        + n
                        + "\"}]");
                return count(jdbc, "SELECT count(*) FROM weir_events WHERE event_type = 'Clicked'")
                        > 0
                    && count(
                            jdbc, "SELECT count(*) FROM weir_events WHERE event_type = 'Signed Up'")
                        == 2
                    && count(jdbc, "SELECT count(*) FROM public.events") > 0
                    && duckRows(duck) > 0;
              });
      assertThat(Files.readString(stdout)).doesNotContain("ERROR");
    }
  }

  private static long count(String jdbc, String sql) {
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      return r.next() ? r.getLong(1) : 0;
    } catch (Exception e) {
      return -1; // the table is not there yet
    }
  }

  /** Rows in the DuckDB file, read-only between the exports that open it. */
  private static long duckRows(Path file) {
    if (!Files.exists(file)) {
      return 0;
    }
    java.util.Properties ro = new java.util.Properties();
    ro.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file, ro);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM main.events")) {
      return r.next() ? r.getLong(1) : 0;
    } catch (Exception e) {
      return 0; // locked by an export in progress, or not created yet
    }
  }
}
