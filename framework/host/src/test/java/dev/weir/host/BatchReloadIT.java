package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running host's reload applies {@code mode: batch} destinations (file-export into real
 * directories, the export scheduler of the real store): an added one receives the next exports, a
 * changed one continues from its checkpoint with its new settings, a removed one gets nothing more;
 * a bad change beside them is refused whole and the scheduler keeps what it ran.
 */
class BatchReloadIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "batch-reload-write-key";
  private static final String TOKEN = "batch-reload-admin-token-77c1";

  @TempDir Path dir;
  private final OkHttpClient http = new OkHttpClient();
  private final AtomicInteger sent = new AtomicInteger();
  private int port;
  private Path ws;

  private void write(String storeExtra, String destinations, String routes) throws Exception {
    Files.writeString(
        ws,
        """
        server: { port: 0, admin_tokens: [ "%s" ] }
        store:
          dir: "%s/store"
          partitions: 1
          options: { block_interval_ms: 50, cached_blocks_per_partition: 1, blocks_per_chunk: 1, batch_period_ms: 0%s }
        sources:
          - { id: web, type: http, settings: { host: 127.0.0.1, port: %d, write_keys: [ "%s" ] } }
        destinations:
        %s
        routes:
        %s
        """
            .formatted(TOKEN, dir, storeExtra, port, KEY, destinations, routes));
  }

  private String lake(String id, String directory) {
    return "  - { id: %s, type: file-export, mode: batch, settings: { format: ndjson_gz, directory: \"%s/%s\", staging_dir: \"%s/staging-%s\" } }\n"
        .formatted(id, dir, directory, dir, directory);
  }

  /** Sends one event per poll (so blocks roll over and chunks are sealed) until {@code done}. */
  private void sendUntil(String phase, BooleanSupplier done) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(60))
        .until(
            () -> {
              String body =
                  "[{\"event_type\":\"E\",\"device_id\":\"d1\",\"insert_id\":\"%s-%d\"}]"
                      .formatted(phase, sent.incrementAndGet());
              assertThat(post(http, "http://127.0.0.1:" + port + "/v1/events", KEY, body)[0])
                  .isEqualTo("200");
              return done.getAsBoolean();
            });
  }

  /** The insert ids in the export files under {@code directory}. */
  private Set<String> exported(String directory) {
    Set<String> ids = new LinkedHashSet<>();
    Path root = dir.resolve(directory);
    if (!Files.isDirectory(root)) {
      return ids;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".ndjson.gz")).toList()) {
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
          for (String line : r.lines().filter(l -> !l.isBlank()).toList()) {
            ids.add(JSON.readTree(line).path("insert_id").asText());
          }
        }
      }
    } catch (IOException e) {
      return ids; // a file being written: read again on the next poll
    }
    return ids;
  }

  private static boolean anyOf(Set<String> ids, String phase) {
    return ids.stream().anyMatch(id -> id.startsWith(phase + "-"));
  }

  private JsonNode reload(Weir weir, int expected) throws Exception {
    Request r =
        new Request.Builder()
            .url("http://127.0.0.1:" + weir.adminPort() + "/api/v1/workspace/reload")
            .header("Authorization", "Bearer " + TOKEN)
            .post(RequestBody.create("{}", MediaType.get("application/json")))
            .build();
    try (Response answer = http.newCall(r).execute()) {
      JsonNode body = JSON.readTree(answer.body().string());
      assertThat(answer.code()).as(body.toString()).isEqualTo(expected);
      return body;
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void aReloadAddsChangesAndRemovesBatchDestinationsOnTheRunningExportScheduler() throws Exception {
    port = freePort();
    ws = dir.resolve("workspace.yaml");
    write("", lake("lake", "lake-v1"), "  - { from: web, to: [ lake ] }");
    try (Weir weir = Weir.builder().workspace(ws).env(Map.<String, String>of()::get).start()) {
      sendUntil("first", () -> anyOf(exported("lake-v1"), "first"));

      // A bad change beside a new batch destination: refused whole, the scheduler unchanged.
      write(
          ", fsync_policy: never",
          lake("lake", "lake-v1") + lake("added", "added"),
          "  - { from: web, to: [ lake, added ] }");
      JsonNode refused = reload(weir, 422);
      assertThat(refused.path("problems").toString()).contains("store");
      assertThat(weir.exports().destinations()).containsExactly("lake");
      assertThat(weir.workspace().destination("added")).isEmpty();

      // Added, and lake's directory changed (restarted on its checkpoint).
      write(
          "",
          lake("lake", "lake-v2") + lake("added", "added"),
          "  - { from: web, to: [ lake, added ] }");
      JsonNode applied = reload(weir, 200);
      assertThat(texts(applied.path("added"))).containsExactly("added");
      assertThat(texts(applied.path("restarted"))).containsExactly("lake");
      assertThat(weir.exports().destinations()).containsExactlyInAnyOrder("lake", "added");
      Set<String> beforeChange = exported("lake-v1");
      sendUntil(
          "second",
          () -> anyOf(exported("added"), "second") && anyOf(exported("lake-v2"), "second"));
      assertThat(exported("added"))
          .as("a new batch destination starts from every chunk the store still holds")
          .containsAll(beforeChange);
      assertThat(exported("lake-v2"))
          .as("the changed one continues from its checkpoint: nothing exported again")
          .doesNotContainAnyElementsOf(beforeChange);
      assertThat(anyOf(exported("lake-v1"), "second"))
          .as("the replaced connector is not called again")
          .isFalse();

      // lake removed: it gets nothing more, added keeps receiving.
      write("", lake("added", "added"), "  - { from: web, to: [ added ] }");
      JsonNode removed = reload(weir, 200);
      assertThat(texts(removed.path("removed"))).containsExactly("lake");
      assertThat(weir.exports().destinations()).containsExactly("added");
      sendUntil("third", () -> anyOf(exported("added"), "third"));
      sendUntil("fourth", () -> anyOf(exported("added"), "fourth"));
      assertThat(anyOf(exported("lake-v2"), "third") || anyOf(exported("lake-v2"), "fourth"))
          .as("a removed batch destination receives no further export")
          .isFalse();
    }
  }
}
