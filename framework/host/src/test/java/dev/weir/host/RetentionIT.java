package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.realtime.ChunkInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention over a running host with no batch destination: the batch still advances every period,
 * so delivered chunks are deleted; the store's counters survive a restart.
 */
class RetentionIT {
  private static final String KEY = "retention-it-key";
  @TempDir Path dir;
  private final OkHttpClient client = new OkHttpClient();
  private int port;

  private Weir start() throws Exception {
    port = freePort();
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        store:
          dir: "%s/store"
          partitions: 1
          options:
            block_interval_ms: 100
            cached_blocks_per_partition: 1
            blocks_per_chunk: 1
            batch_lag: 1
            batch_period_ms: 200
            cleanup_interval_ms: 200
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "%s" ] }
        destinations:
          - id: files
            type: file
            settings: { dir: "%s/out" }
            delivery: { max_batch_delay_ms: 0 }
        routes:
          - { from: web, to: [ files ] }
        """
            .formatted(dir, port, KEY, dir));
    return Weir.builder()
        .workspace(dir.resolve("workspace.yaml"))
        .env(Map.<String, String>of()::get)
        .start();
  }

  private String events() {
    return "http://127.0.0.1:" + port + "/v1/events";
  }

  private static String event(String insertId) {
    return "[{\"event_type\":\"view\",\"user_id\":\"u1\",\"insert_id\":\"" + insertId + "\"}]";
  }

  @Test
  void withoutABatchDestinationDeliveredChunksAreDeletedAndCountersSurviveARestart()
      throws Exception {
    try (Weir weir = start()) {
      assertThat(weir.ready()).isTrue();
      assertThat(post(client, events(), KEY, event("a"))[0]).isEqualTo("200");
      long sent = System.currentTimeMillis();
      await().until(() -> System.currentTimeMillis() > sent + 350);
      assertThat(post(client, events(), KEY, event("b"))[0]).isEqualTo("200");
      assertThat(post(client, events(), KEY, event("b"))[0]).isEqualTo("200");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> weir.store().chunks().stream().anyMatch(c -> c.rows() == 1));
      List<ChunkInfo> firstChunks = weir.store().chunks();
      List<String> first = firstChunks.stream().map(ChunkInfo::id).toList();
      long newestBatch = firstChunks.stream().mapToLong(ChunkInfo::batch).max().orElseThrow();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  weir.store().lastCleanup() != null
                      && weir.store().lastCleanup().deleted().containsAll(first));
      // the batch number advanced past the chunks' own (by batch_lag) with no batch destination
      assertThat(weir.store().currentBatch()).isGreaterThanOrEqualTo(newestBatch + 1);
      assertThat(weir.store().stats().stored()).isEqualTo(2);
      assertThat(weir.store().stats().duplicates()).isEqualTo(1);
    }
    try (Weir weir = start()) {
      assertThat(weir.store().stats().stored()).isEqualTo(2);
      assertThat(weir.store().stats().duplicates()).isEqualTo(1);
    }
  }
}
