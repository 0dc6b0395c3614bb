package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code mode: batch} destination run by the host's export scheduler: sealed chunks become export
 * files.
 */
class BatchExportIT {
  @TempDir Path dir;
  private final OkHttpClient client = new OkHttpClient();

  @Test
  void sealedChunksOfTheStoreAreExportedToTheBatchDestination() throws Exception {
    int port = freePort();
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
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "export-write-key" ] }
        destinations:
          - id: lake
            type: file-export
            mode: batch
            settings: { format: ndjson_gz, directory: "%s/lake", staging_dir: "%s/staging" }
        routes:
          - { from: web, to: [ lake ] }
        """
            .formatted(dir, port, dir, dir));
    AtomicInteger sent = new AtomicInteger();
    try (Weir weir = Weir.builder().workspace(dir.resolve("workspace.yaml")).start()) {
      // Keep events coming so blocks roll over and chunks get sealed; stop once the first export
      // file exists.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(60))
          .until(
              () -> {
                int n = sent.incrementAndGet();
                post(
                    client,
                    "http://127.0.0.1:" + port + "/v1/events",
                    "export-write-key",
                    "[{\"event_type\":\"E\",\"device_id\":\"d1\",\"insert_id\":\"x-" + n + "\"}]");
                return !exported().isEmpty();
              });
    }
    List<String> rows = exported();
    assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r).contains("\"source_id\":\"web\""));
    assertThat(rows.size()).isLessThanOrEqualTo(sent.get());

    // `weir export` backfills the range offline on the same store (Weir stopped): it exports again
    // and succeeds.
    int code =
        dev.weir.host.cli.WeirCli.commandLine()
            .execute(
                "export",
                "--workspace",
                dir.resolve("workspace.yaml").toString(),
                "--destination",
                "lake",
                "--from",
                "2020-01-01",
                "--to",
                "2100-01-01",
                "--no-progress");
    assertThat(code).isZero();
    assertThat(exported()).hasSizeGreaterThanOrEqualTo(rows.size());
  }

  private List<String> exported() throws IOException {
    Path lake = dir.resolve("lake");
    List<String> rows = new ArrayList<>();
    if (!Files.isDirectory(lake)) {
      return rows;
    }
    try (Stream<Path> files = Files.walk(lake)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".ndjson.gz")).toList()) {
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
          r.lines().filter(l -> !l.isBlank()).forEach(rows::add);
        }
      }
    }
    return rows;
  }
}
