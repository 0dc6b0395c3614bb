package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin server started by the host on the workspace's {@code server:} section, over the live
 * components.
 */
class AdminWiringIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final OkHttpClient client = new OkHttpClient();

  @Test
  void adminApiServesReadinessAndTheLiveDestinationStatusBehindTheToken() throws Exception {
    int port = freePort();
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        server: { port: 0, admin_tokens: [ "${env:ADMIN_TOKEN}" ] }
        store: { dir: "%s/store", partitions: 2 }
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "admin-it-write-key" ] }
        destinations:
          - id: files
            type: file
            settings: { dir: "%s/out" }
            delivery: { max_batch_delay_ms: 0 }
        routes:
          - { from: web, to: [ files ] }
        """
            .formatted(dir, port, dir));
    try (Weir weir =
        Weir.builder()
            .workspace(dir.resolve("workspace.yaml"))
            .env(java.util.Map.of("ADMIN_TOKEN", "admin-secret-token-1")::get)
            .start()) {
      String base = "http://127.0.0.1:" + weir.adminPort();
      assertThat(get(base + "/health/ready", null)[0]).isEqualTo("200");
      assertThat(get(base + "/api/v1/destinations/files/status", null)[0]).isEqualTo("401");

      post(
          client,
          "http://127.0.0.1:" + port + "/v1/events",
          "admin-it-write-key",
          "[{\"event_type\":\"A\",\"device_id\":\"d1\",\"insert_id\":\"adm-1\"}]");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                String[] r =
                    get(base + "/api/v1/destinations/files/status", "admin-secret-token-1");
                return r[0].equals("200")
                    && JSON.readTree(r[1]).toString().contains("\"delivered\":1");
              });
      // `weir destinations pause|resume` acts on this running instance through the admin API.
      int code =
          dev.weir.host.cli.WeirCli.commandLine()
              .execute(
                  "destinations",
                  "pause",
                  "--admin-url",
                  base,
                  "--token",
                  "admin-secret-token-1",
                  "files");
      assertThat(code).isZero();
      assertThat(weir.delivery().status("files").state()).isEqualTo("paused");
      assertThat(
              dev.weir.host.cli.WeirCli.commandLine()
                  .execute(
                      "destinations",
                      "resume",
                      "--admin-url",
                      base,
                      "--token",
                      "admin-secret-token-1",
                      "files"))
          .isZero();
      assertThat(weir.delivery().status("files").state()).isEqualTo("running");
      // `weir store stats` goes through the same admin client: the answer is printed as it came.
      assertThat(storeStats(base).path("partitions").asInt()).isEqualTo(2);
      assertThat(
              dev.weir.host.cli.WeirCli.commandLine()
                  .execute("store", "stats", "--admin-url", base, "--token", "wrong-token"))
          .isEqualTo(1);

      String[] sources = get(base + "/api/v1/sources", "admin-secret-token-1");
      assertThat(sources[0]).isEqualTo("200");
      assertThat(sources[1]).contains("web").doesNotContain("admin-it-write-key");
    }
  }

  /**
   * A workspace whose store seals one block per chunk quickly and cleans up every 200 ms, with one
   * file destination fed by one HTTP source; {@code batchPeriodMs} sets how often the batch (the
   * handoff retention waits for) advances.
   */
  private Weir startSmallStore(int port, long batchPeriodMs) throws Exception {
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        server: { port: 0, admin_tokens: [ "${env:ADMIN_TOKEN}" ] }
        store:
          dir: "%s/store"
          partitions: 1
          options:
            block_interval_ms: 100
            cached_blocks_per_partition: 1
            blocks_per_chunk: 1
            batch_lag: 1
            batch_period_ms: %d
            cleanup_interval_ms: 200
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "admin-it-write-key" ] }
        destinations:
          - id: files
            type: file
            settings: { dir: "%s/out" }
            delivery: { max_batch_delay_ms: 0 }
        routes:
          - { from: web, to: [ files ] }
        """
            .formatted(dir, batchPeriodMs, port, dir));
    return Weir.builder()
        .workspace(dir.resolve("workspace.yaml"))
        .env(java.util.Map.of("ADMIN_TOKEN", "admin-secret-token-1")::get)
        .start();
  }

  /** Two events far enough apart in upload time that the first one's block is sealed to a chunk. */
  private void sendTwoEventsSealingAChunk(Weir weir, int port) throws Exception {
    String events = "http://127.0.0.1:" + port + "/v1/events";
    assertThat(
            post(
                client,
                events,
                "admin-it-write-key",
                "[{\"event_type\":\"A\",\"user_id\":\"u1\",\"insert_id\":\"k-1\"}]")[0])
        .isEqualTo("200");
    long sent = System.currentTimeMillis();
    await().until(() -> System.currentTimeMillis() > sent + 350);
    assertThat(
            post(
                client,
                events,
                "admin-it-write-key",
                "[{\"event_type\":\"A\",\"user_id\":\"u1\",\"insert_id\":\"k-2\"}]")[0])
        .isEqualTo("200");
    await().atMost(Duration.ofSeconds(30)).until(() -> !weir.store().chunks().isEmpty());
  }

  /** {@code retention.kept} of {@code GET /api/v1/store}: chunk id to the reason it is kept. */
  private java.util.Map<String, String> keptThroughTheApi(String base) throws Exception {
    String[] r = get(base + "/api/v1/store", "admin-secret-token-1");
    assertThat(r[0]).isEqualTo("200");
    java.util.Map<String, String> kept = new java.util.LinkedHashMap<>();
    JSON.readTree(r[1])
        .path("retention")
        .path("kept")
        .fields()
        .forEachRemaining(e -> kept.put(e.getKey(), e.getValue().asText()));
    return kept;
  }

  /** What {@code weir store stats} prints (it must succeed), as JSON. */
  private com.fasterxml.jackson.databind.JsonNode storeStats(String base) throws Exception {
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    int code;
    System.setOut(new java.io.PrintStream(printed, true, "UTF-8"));
    try {
      code =
          dev.weir.host.cli.WeirCli.commandLine()
              .execute("store", "stats", "--admin-url", base, "--token", "admin-secret-token-1");
    } finally {
      System.setOut(stdout);
    }
    assertThat(code).isZero();
    return JSON.readTree(printed.toString("UTF-8"));
  }

  /** {@code retention.kept} as {@code weir store stats} prints it. */
  private java.util.Map<String, String> keptThroughTheCli(String base) throws Exception {
    java.util.Map<String, String> kept = new java.util.LinkedHashMap<>();
    storeStats(base)
        .path("retention")
        .path("kept")
        .fields()
        .forEachRemaining(e -> kept.put(e.getKey(), e.getValue().asText()));
    return kept;
  }

  @Test
  void storeStatsAndTheApiSayAChunkIsKeptForTheDeliveryCursorOfAPausedDestination()
      throws Exception {
    int port = freePort();
    try (Weir weir = startSmallStore(port, 200)) {
      String base = "http://127.0.0.1:" + weir.adminPort();
      weir.delivery().pause("files");
      sendTwoEventsSealingAChunk(weir, port);
      String chunk = weir.store().chunks().get(0).id();
      // the batch advances every 200 ms, so only the paused destination's cursor keeps the chunk
      String pinned = "reader 'delivery' still needs partition 0 from sequence 0";
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> pinned.equals(keptThroughTheApi(base).get(chunk)));
      assertThat(keptThroughTheCli(base)).containsEntry(chunk, pinned);
      assertThat(weir.store().chunks()).extracting(dev.weir.realtime.ChunkInfo::id).contains(chunk);

      weir.delivery().resume("files");
      // delivered: the pin moves past the chunk, the next cleanup deletes it and no longer keeps it
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  weir.store().chunks().stream().noneMatch(c -> c.id().equals(chunk))
                      && !keptThroughTheApi(base).containsKey(chunk));
      assertThat(keptThroughTheCli(base)).doesNotContainKey(chunk);
    }
  }

  @Test
  void storeStatsAndTheApiSayAChunkIsKeptUntilItsBatchIsHandedOff() throws Exception {
    int port = freePort();
    // the batch never advances during the test: every chunk stays in batch 0, not handed off
    try (Weir weir = startSmallStore(port, 3_600_000)) {
      String base = "http://127.0.0.1:" + weir.adminPort();
      sendTwoEventsSealingAChunk(weir, port);
      String chunk = weir.store().chunks().get(0).id();
      String notHandedOff = "batch 0 not yet handed off (current 0, lag 1)";
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> notHandedOff.equals(keptThroughTheApi(base).get(chunk)));
      assertThat(keptThroughTheCli(base)).containsEntry(chunk, notHandedOff);
    }
  }

  private String[] get(String url, String token) throws Exception {
    Request.Builder b = new Request.Builder().url(url);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try (Response r = client.newCall(b.build()).execute()) {
      return new String[] {String.valueOf(r.code()), r.body().string()};
    }
  }
}
