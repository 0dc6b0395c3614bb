package dev.weir.host;

import static dev.weir.host.TestSupport.files;
import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.ndjsonLines;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.host.config.WorkspaceException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole host on free ports: real HTTP in, real files and a real HTTP webhook out. */
class WorkspaceEndToEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "e2e-write-key-42";
  private static final String HOOK_TOKEN = "hook-token-s3cret";

  @StartStop final MockWebServer hook = new MockWebServer();
  @TempDir Path dir;
  private final OkHttpClient client = new OkHttpClient();

  private Path workspace(int port) throws Exception {
    String yaml =
        """
        store: { dir: "%s/store", partitions: 3 }
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "${env:WEB_KEY}" ] }
        destinations:
          - id: files
            type: file
            settings: { dir: "%s/out" }
            delivery: { max_batch_delay_ms: 0 }
          - id: crm-hook
            type: webhook
            settings:
              url: "%s"
              headers: { Authorization: "Bearer ${env:HOOK_TOKEN}" }
            filter: { event_types: [ Purchase ] }
            delivery: { max_batch_events: 10, max_batch_delay_ms: 50, initial_backoff_ms: 20 }
        routes:
          - { from: web, to: [ files, crm-hook ] }
        """
            .formatted(dir, port, dir, hook.url("/hook"));
    Path f = dir.resolve("workspace.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private Weir start(Path ws) throws Exception {
    return Weir.builder()
        .workspace(ws)
        .env(Map.of("WEB_KEY", KEY, "HOOK_TOKEN", HOOK_TOKEN)::get)
        .drainTimeout(Duration.ofSeconds(10))
        .start();
  }

  @Test
  void eventsPostedOverHttpArriveInTheFileAndAtTheWebhookWithTheBodyChecked() throws Exception {
    hook.enqueue(new MockResponse.Builder().code(200).build());
    int port = freePort();
    String url = "http://127.0.0.1:" + port + "/v1/events";
    try (Weir weir = start(workspace(port))) {
      String[] r =
          post(
              client,
              url,
              KEY,
              """
          [ {"event_type":"Purchase","user_id":"u1","insert_id":"p-1","revenue":9.5},
            {"event_type":"Viewed","device_id":"d1","time":1700000000000},
            {"event_type":"Purchase","user_id":"u2","insert_id":"p-2"},
            {"event_type":"Purchase","user_id":"u3","time":"not-a-time"} ]""");
      assertThat(r[0]).isEqualTo("200");
      JsonNode body = JSON.readTree(r[1]);
      assertThat(body.get("accepted").asInt()).isEqualTo(3);
      assertThat(body.get("results").get(3).get("status").asText()).isEqualTo("invalid");

      Path out = dir.resolve("out");
      await().atMost(Duration.ofSeconds(20)).until(() -> ndjsonLines(out).size() == 3);
      List<JsonNode> written = ndjsonLines(out).stream().map(WorkspaceEndToEndIT::json).toList();
      assertThat(written)
          .extracting(n -> n.get("event_type").asText())
          .containsExactlyInAnyOrder("Purchase", "Viewed", "Purchase");
      assertThat(written)
          .allSatisfy(
              n -> {
                assertThat(n.get("source_id").asText()).isEqualTo("web");
                assertThat(n.get("upload_time").asLong()).isPositive();
                assertThat(n.get("time").asLong()).isPositive();
              });
      JsonNode viewed =
          written.stream()
              .filter(n -> n.get("event_type").asText().equals("Viewed"))
              .findFirst()
              .orElseThrow();
      assertThat(viewed.get("time").asLong()).isEqualTo(1_700_000_000_000L);

      // The webhook gets only the Purchases (filter), as {"events": [...]}, with the secret header
      // resolved.
      RecordedRequest req = hook.takeRequest(20, TimeUnit.SECONDS);
      assertThat(req).isNotNull();
      assertThat(req.getHeaders().get("Authorization")).isEqualTo("Bearer " + HOOK_TOKEN);
      JsonNode events = JSON.readTree(req.getBody().utf8()).get("events");
      assertThat(events).hasSize(2);
      assertThat(events.findValuesAsText("insert_id")).containsExactlyInAnyOrder("p-1", "p-2");
      assertThat(events.get(0).get("source_id").asText()).isEqualTo("web");
    }
    // Closed: the open file was fsynced and renamed to a complete .ndjson.
    assertThat(files(dir.resolve("out"), ".ndjson.tmp")).isEmpty();
    assertThat(files(dir.resolve("out"), ".ndjson")).isNotEmpty();
  }

  @Test
  void webhookAnsweringServiceUnavailableIsRetriedUntilDelivered() throws Exception {
    hook.enqueue(new MockResponse.Builder().code(503).build());
    hook.enqueue(new MockResponse.Builder().code(200).build());
    int port = freePort();
    try (Weir weir = start(workspace(port))) {
      post(
          client,
          "http://127.0.0.1:" + port + "/v1/events",
          KEY,
          "[{\"event_type\":\"Purchase\",\"user_id\":\"u1\",\"insert_id\":\"x\"}]");
      RecordedRequest first = hook.takeRequest(20, TimeUnit.SECONDS);
      RecordedRequest second = hook.takeRequest(20, TimeUnit.SECONDS);
      assertThat(second).as("a retry after 503").isNotNull();
      assertThat(second.getBody().utf8()).isEqualTo(first.getBody().utf8());
    }
  }

  @Test
  void eventsNotDeliveredBeforeShutdownStayInTheStoreAndAreDeliveredAfterRestart()
      throws Exception {
    int port = freePort();
    Path ws = workspace(port);
    String original = Files.readString(ws);
    // A batch that would wait a minute to fill: nothing reaches the file before the shutdown gives
    // up.
    Files.writeString(
        ws,
        original.replace(
            "delivery: { max_batch_delay_ms: 0 }",
            "delivery: { max_batch_events: 1000, max_batch_delay_ms: 60000 }"));
    Weir weir =
        Weir.builder()
            .workspace(ws)
            .env(Map.of("WEB_KEY", KEY, "HOOK_TOKEN", HOOK_TOKEN)::get)
            .drainTimeout(Duration.ofMillis(300))
            .start();
    String[] r =
        post(
            client,
            "http://127.0.0.1:" + port + "/v1/events",
            KEY,
            "[{\"event_type\":\"A\",\"user_id\":\"u1\"},{\"event_type\":\"B\",\"user_id\":\"u1\"},"
                + "{\"event_type\":\"C\",\"user_id\":\"u1\"}]");
    assertThat(r[0]).isEqualTo("200");
    weir.close();
    assertThat(ndjsonLines(dir.resolve("out"))).isEmpty();

    Files.writeString(ws, original);
    try (Weir again = start(ws)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> ndjsonLines(dir.resolve("out")).size() == 3);
    }
    assertThat(ndjsonLines(dir.resolve("out")))
        .extracting(l -> json(l).get("event_type").asText())
        .containsExactlyInAnyOrder("A", "B", "C");
  }

  @Test
  void anEventPostedAgainAfterARestartIsRecognisedAsADuplicateAndDeliveredOnce() throws Exception {
    int port = freePort();
    Path ws = workspace(port);
    String url = "http://127.0.0.1:" + port + "/v1/events";
    String body = "[{\"event_type\":\"Viewed\",\"device_id\":\"d1\",\"insert_id\":\"once-1\"}]";
    try (Weir weir = start(ws)) {
      assertThat(
              JSON.readTree(post(client, url, KEY, body)[1])
                  .get("results")
                  .get(0)
                  .get("status")
                  .asText())
          .isEqualTo("stored");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> ndjsonLines(dir.resolve("out")).size() == 1);
    }
    try (Weir weir = start(ws)) {
      assertThat(
              JSON.readTree(post(client, url, KEY, body)[1])
                  .get("results")
                  .get(0)
                  .get("status")
                  .asText())
          .isEqualTo("duplicate");
      String second = "[{\"event_type\":\"Viewed\",\"device_id\":\"d1\",\"insert_id\":\"once-2\"}]";
      post(client, url, KEY, second);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> ndjsonLines(dir.resolve("out")).size() == 2);
    }
    assertThat(ndjsonLines(dir.resolve("out")))
        .extracting(l -> json(l).get("insert_id").asText())
        .containsExactlyInAnyOrder("once-1", "once-2");
  }

  @Test
  void aRejectedEventIsDeadLetteredWithoutTheSecretsTheEndpointEchoedBack() throws Exception {
    // An endpoint that echoes the Authorization header into its status line.
    hook.enqueue(
        new MockResponse.Builder()
            .status("HTTP/1.1 400 bad token " + HOOK_TOKEN + " here")
            .build());
    int port = freePort();
    try (Weir weir = start(workspace(port))) {
      post(
          client,
          "http://127.0.0.1:" + port + "/v1/events",
          KEY,
          "[{\"event_type\":\"Purchase\",\"user_id\":\"u1\",\"insert_id\":\"dl-1\"}]");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !weir.delivery().deadLetters("crm-hook", null).isEmpty());
      var dead = weir.delivery().deadLetters("crm-hook", null).get(0);
      assertThat(dead.event().insertId()).isEqualTo("dl-1");
      assertThat(dead.response()).contains("bad token").doesNotContain(HOOK_TOKEN);
    }
    String onDisk = Files.readString(dir.resolve("store/delivery/dead-letters/crm-hook.ndjson"));
    assertThat(onDisk).contains("dl-1").doesNotContain(HOOK_TOKEN);
  }

  @Test
  void wrongWriteKeyIsRefusedAndNothingIsDelivered() throws Exception {
    int port = freePort();
    try (Weir weir = start(workspace(port))) {
      String[] r =
          post(
              client,
              "http://127.0.0.1:" + port + "/v1/events",
              "wrong-key-123",
              "[{\"event_type\":\"Purchase\",\"user_id\":\"u1\"}]");
      assertThat(r[0]).isEqualTo("401");
    }
    assertThat(ndjsonLines(dir.resolve("out"))).isEmpty();
    assertThat(hook.getRequestCount()).isZero();
  }

  @Test
  void invalidWorkspaceStartsNothing() throws Exception {
    int port = freePort();
    Path ws = workspace(port);
    Files.writeString(ws, Files.readString(ws).replace("url: ", "uri: "));
    assertThatThrownBy(() -> start(ws))
        .isInstanceOf(WorkspaceException.class)
        .hasMessageContaining(
            "workspace.yaml:13:5: destination 'crm-hook': settings.url: required property missing")
        .hasMessageContaining("settings.uri: unknown setting, did you mean 'url'?");
    // Nothing listens and no destination created its directory.
    assertThatThrownBy(() -> post(client, "http://127.0.0.1:" + port + "/v1/events", KEY, "[]"))
        .isInstanceOf(ConnectException.class);
    assertThat(dir.resolve("out")).doesNotExist();
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }
}
