package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.host.admin.DeletionRequests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations over a running {@link Weir} through the admin API: source pause/resume, user deletion
 * with deletion requests for destinations that support them, and ingest/store meters on {@code
 * /metrics}.
 */
class AdminOperationsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "ops-it-write-key";
  private static final String TOKEN = "ops-it-admin-token";

  @StartStop final MockWebServer partner = new MockWebServer();
  @TempDir Path dir;
  private final OkHttpClient client = new OkHttpClient();
  private int port;

  @BeforeEach
  void partnerAcceptsEverything() {
    partner.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse.Builder().code(200).body("ok").build();
          }
        });
  }

  private Weir start() throws Exception {
    port = freePort();
    Files.createDirectories(dir.resolve("defs"));
    Files.writeString(
        dir.resolve("defs/erasable-crm-1.0.0.yaml"),
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata:
          id: erasable-crm
          name: Erasable CRM
          version: 1.0.0
          partner: Example
          category: crm
        settings:
          type: object
          required: [base_url]
          properties:
            base_url: {type: string}
        requests:
          - name: track
            trigger:
              where: "event_type != 'weir_delete_user'"
            method: POST
            url: "{{ settings.base_url }}/track"
            body: |
              {"items": [events.{"name": event_type, "id": insert_id}]}
          - name: delete_user
            trigger:
              event_types: [weir_delete_user]
            method: POST
            url: "{{ settings.base_url }}/users/delete"
            body: |
              {"user_id": event.user_id}
        delivery:
          mode: batch
          batch: {max_events: 100, max_bytes: 1000000, max_delay_ms: 100}
          retry: {success: [200], retry: [429, 5xx], drop: [4xx], max_attempts: 5}
        tests:
          - name: one event, one request
            settings: {base_url: "https://crm.example.com"}
            events:
              - {event_type: Signed Up, user_id: u1, insert_id: t-1, time: 1700000000000}
            responses:
              - {status: 200, body: ok}
            expect:
              outcomes: [delivered]
        """);
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        server: { port: 0, admin_tokens: [ "${env:ADMIN_TOKEN}" ] }
        store: { dir: "%s/store", partitions: 2 }
        definitions_dir: defs
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "%s" ] }
        destinations:
          - id: files
            type: file
            settings: { dir: "%s/out" }
            delivery: { max_batch_delay_ms: 0 }
          - id: crm
            definition: "erasable-crm@1.x"
            settings: { base_url: "%s" }
            delivery: { max_batch_delay_ms: 0, initial_backoff_ms: 20, max_backoff_ms: 100 }
        routes:
          - { from: web, to: [ files, crm ] }
        """
            .formatted(dir, port, KEY, dir, partner.url("").toString().replaceAll("/$", "")));
    return Weir.builder()
        .workspace(dir.resolve("workspace.yaml"))
        .env(Map.of("ADMIN_TOKEN", TOKEN)::get)
        .start();
  }

  @Test
  void aPausedSourceAnswers503AndStoresNothingUntilResumed() throws Exception {
    try (Weir weir = start()) {
      String admin = "http://127.0.0.1:" + weir.adminPort();
      String[] paused = admin(admin + "/api/v1/sources/web/pause", "POST");
      assertThat(paused[0]).isEqualTo("200");
      assertThat(
              JSON.readTree(admin(admin + "/api/v1/sources/web/status", "GET")[1])
                  .path("state")
                  .asText())
          .isEqualTo("paused");

      String[] refused = post(client, events(), KEY, event("p-1", "u1"));
      assertThat(refused[0]).isEqualTo("503");
      assertThat(JSON.readTree(refused[1]).toString()).contains("source paused");
      assertThat(weir.store().stats().stored()).isZero();

      assertThat(admin(admin + "/api/v1/sources/web/resume", "POST")[0]).isEqualTo("200");
      assertThat(post(client, events(), KEY, event("p-1", "u1"))[0]).isEqualTo("200");
      assertThat(weir.store().stats().stored()).isEqualTo(1);

      JsonNode status = JSON.readTree(admin(admin + "/api/v1/sources/web/status", "GET")[1]);
      assertThat(status.path("state").asText()).isEqualTo("running");
      assertThat(status.path("stored").asLong()).isEqualTo(1);
      assertThat(status.path("refused_while_paused").asLong()).isEqualTo(1);
    }
  }

  @Test
  void aDeletedUserIsDeletedAtTheDestinationThatSupportsItThroughTheEngineWithRetries()
      throws Exception {
    java.util.concurrent.BlockingQueue<String> deletionsReceived =
        new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.atomic.AtomicInteger deletionCalls =
        new java.util.concurrent.atomic.AtomicInteger();
    partner.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (request.getUrl().encodedPath().equals("/users/delete")) {
              deletionsReceived.add(request.getBody().utf8());
              if (deletionCalls.incrementAndGet() == 1) { // the partner is down once
                return new MockResponse.Builder().code(503).body("down").build();
              }
            }
            return new MockResponse.Builder().code(200).body("ok").build();
          }
        });
    try (Weir weir = start()) {
      String admin = "http://127.0.0.1:" + weir.adminPort();
      assertThat(
              post(
                  client,
                  events(),
                  KEY,
                  "["
                      + event("d-1", "gone").replaceAll("^\\[|\\]$", "")
                      + ","
                      + event("d-2", "gone").replaceAll("^\\[|\\]$", "")
                      + ","
                      + event("d-3", "kept").replaceAll("^\\[|\\]$", "")
                      + "]")[0])
          .isEqualTo("200");

      String[] deleted = admin(admin + "/api/v1/users/web/gone", "DELETE");
      assertThat(deleted[0]).isEqualTo("200");
      JsonNode body = JSON.readTree(deleted[1]);
      assertThat(body.path("deleted_events").asLong()).isEqualTo(2);
      // delivery had nothing of the user dead-lettered (every destination accepts everything)
      assertThat(body.path("dead_letters_removed").isObject()).isTrue();
      // crm runs a definition with a delete_user action; the file destination does not delete
      assertThat(body.path("deletion_requests_queued").toString()).isEqualTo("[\"crm\"]");
      String id = body.path("deletion_id").asText();

      // the engine sends it through the definition's delete_user request, again after the 503
      JsonNode done =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> JSON.readTree(admin(admin + "/api/v1/deletions/" + id, "GET")[1]),
                  r -> r.path("status").asText().equals("done"));
      assertThat(done.at("/stages/destinations/destinations/crm/status").asText())
          .isEqualTo("done");
      assertThat(done.at("/stages/destinations/destinations/crm/attempts").asInt()).isEqualTo(2);
      assertThat(done.at("/stages/destinations/status").asText()).isEqualTo("done");
      assertThat(deletionCalls.get()).isEqualTo(2);
      assertThat(JSON.readTree(deletionsReceived.poll()).path("user_id").asText())
          .isEqualTo("gone");
      // the live stream never carried the deletion: only the track requests did, without it
      for (int i = partner.getRequestCount(); i > 0; i--) {
        RecordedRequest r = partner.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
        if (r != null && r.getUrl().encodedPath().equals("/track")) {
          assertThat(r.getBody().utf8()).doesNotContain("weir_delete_user");
        }
      }
      // once the destination is done, the request (the one place the user id was kept) is gone
      assertThat(
              new DeletionRequests(dir.resolve("store/deletion-requests"), Clock.systemUTC())
                  .pending("crm"))
          .isEmpty();
      assertThat(Files.exists(dir.resolve("store/deletion-requests/files.jsonl"))).isFalse();
      JsonNode status = JSON.readTree(admin(admin + "/api/v1/sources/web/status", "GET")[1]);
      assertThat(status.path("stored").asLong()).isEqualTo(3);
    }
  }

  @Test
  void aDeletionStillPendingAtADestinationWhenWeirStopsIsSentAgainAfterTheRestart()
      throws Exception {
    java.util.concurrent.atomic.AtomicBoolean down =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger deletionCalls =
        new java.util.concurrent.atomic.AtomicInteger();
    partner.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (request.getUrl().encodedPath().equals("/users/delete")) {
              deletionCalls.incrementAndGet();
              if (down.get()) { // come back in ten minutes: still pending when Weir stops
                return new MockResponse.Builder()
                    .code(429)
                    .addHeader("Retry-After", "600")
                    .body("slow down")
                    .build();
              }
            }
            return new MockResponse.Builder().code(200).body("ok").build();
          }
        });
    String id;
    try (Weir weir = start()) {
      String admin = "http://127.0.0.1:" + weir.adminPort();
      assertThat(post(client, events(), KEY, event("r-1", "leaving"))[0]).isEqualTo("200");
      JsonNode deleted = JSON.readTree(admin(admin + "/api/v1/users/web/leaving", "DELETE")[1]);
      id = deleted.path("deletion_id").asText();
      JsonNode pending =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> JSON.readTree(admin(admin + "/api/v1/deletions/" + id, "GET")[1]),
                  r -> r.at("/stages/destinations/destinations/crm/attempts").asInt() == 1);
      assertThat(pending.path("status").asText()).isEqualTo("pending");
      assertThat(pending.at("/stages/destinations/destinations/crm/status").asText())
          .isEqualTo("pending");
    }
    down.set(false);
    try (Weir weir = start()) {
      String admin = "http://127.0.0.1:" + weir.adminPort();
      JsonNode done =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> JSON.readTree(admin(admin + "/api/v1/deletions/" + id, "GET")[1]),
                  r -> r.path("status").asText().equals("done"));
      assertThat(done.at("/stages/destinations/destinations/crm/status").asText())
          .isEqualTo("done");
      assertThat(deletionCalls.get()).isEqualTo(2);
      assertThat(
              new DeletionRequests(dir.resolve("store/deletion-requests"), Clock.systemUTC())
                  .pending("crm"))
          .isEmpty();
    }
  }

  @Test
  void aUserDeletedThroughTheCliHasAnIdAndAStatusPerStageThatOutlivesARestartWithoutTheUserId()
      throws Exception {
    String id;
    JsonNode status;
    try (Weir weir = start()) {
      String admin = "http://127.0.0.1:" + weir.adminPort();
      assertThat(post(client, events(), KEY, event("c-1", "erased-user"))[0]).isEqualTo("200");
      assertThat(post(client, events(), KEY, event("c-2", "kept"))[0]).isEqualTo("200");

      String[] deleted = cli("users", "delete", "web", "erased-user", "--admin-url", admin);
      assertThat(deleted[0]).isEqualTo("0");
      JsonNode answer = JSON.readTree(deleted[1]);
      assertThat(answer.path("deleted_events").asLong()).isEqualTo(1);
      id = answer.path("deletion_id").asText();
      assertThat(id).isNotBlank();

      // crm deletes through its definition in the background: wait until it has
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> JSON.readTree(admin(admin + "/api/v1/deletions/" + id, "GET")[1]),
              r -> r.path("status").asText().equals("done"));
      String[] shown = cli("users", "deletion", id, "--admin-url", admin);
      assertThat(shown[0]).isEqualTo("0");
      status = JSON.readTree(shown[1]);
      assertThat(status.path("id").asText()).isEqualTo(id);
      assertThat(status.path("source").asText()).isEqualTo("web");
      assertThat(status.at("/stages/store/status").asText()).isEqualTo("done");
      assertThat(status.at("/stages/store/deleted_events").asLong()).isEqualTo(1);
      assertThat(status.at("/stages/delivery/status").asText()).isEqualTo("done");
      assertThat(status.at("/stages/delivery/dead_letters_removed").isObject()).isTrue();
      assertThat(status.at("/stages/destinations/destinations/files/status").asText())
          .isEqualTo("not_supported");
      assertThat(status.at("/stages/destinations/destinations/crm/status").asText())
          .isEqualTo("done");
      assertThat(status.at("/stages/batch_outputs/status").asText()).isEqualTo("done");
      assertThat(status.path("requested_at").asText()).isNotBlank();

      assertThat(admin(admin + "/api/v1/deletions/" + java.util.UUID.randomUUID(), "GET")[0])
          .isEqualTo("404");
    }
    // the audit record: durable, and without the deleted user's id
    Path record = dir.resolve("store/deletions/" + id + ".json");
    assertThat(Files.readString(record))
        .doesNotContain("erased-user")
        .contains("\"user_hmac_sha256\"")
        .doesNotContain("\"user_sha256\"");
    try (Weir weir = start()) {
      String[] again =
          admin("http://127.0.0.1:" + weir.adminPort() + "/api/v1/deletions/" + id, "GET");
      assertThat(again[0]).isEqualTo("200");
      assertThat(JSON.readTree(again[1])).isEqualTo(status);
    }
  }

  /** Runs the {@code weir} CLI in this JVM with the admin token; its exit code and stdout. */
  private static String[] cli(String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    int code;
    try {
      System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
      String[] all = java.util.Arrays.copyOf(args, args.length + 2);
      all[args.length] = "--token";
      all[args.length + 1] = TOKEN;
      code = dev.weir.host.cli.WeirCli.commandLine().execute(all);
    } finally {
      System.setOut(old);
    }
    return new String[] {
      String.valueOf(code), out.toString(java.nio.charset.StandardCharsets.UTF_8)
    };
  }

  @Test
  void metricsShowThePerSourceIngestCounterAndTheStoreAppendTimerMoving() throws Exception {
    try (Weir weir = start()) {
      String admin = "http://127.0.0.1:" + weir.adminPort();
      String before = admin(admin + "/metrics", "GET")[1];
      assertThat(post(client, events(), KEY, event("m-1", "u1"))[0]).isEqualTo("200");
      assertThat(post(client, events(), KEY, event("m-1", "u1"))[0]).isEqualTo("200");
      String after = admin(admin + "/metrics", "GET")[1];

      assertThat(sample(after, "weir_ingest_events_total", "source=\"web\",status=\"stored\""))
          .isEqualTo(
              sample(before, "weir_ingest_events_total", "source=\"web\",status=\"stored\"") + 1);
      assertThat(sample(after, "weir_ingest_duplicates_total", "source=\"web\"")).isEqualTo(1);
      assertThat(sample(after, "weir_store_append_seconds_count", null))
          .isEqualTo(sample(before, "weir_store_append_seconds_count", null) + 2);
      assertThat(sample(after, "weir_ingest_latency_seconds_count", "source=\"web\"")).isEqualTo(2);
      // The delivery engine's per-destination meters are on the same registry.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> admin(admin + "/metrics", "GET")[1].contains("destination=\"files\""));
    }
  }

  /** The value of one sample of a Prometheus text scrape; 0 when absent. */
  private static double sample(String scrape, String name, String labels) {
    Pattern p = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$");
    Matcher m = p.matcher(scrape);
    while (m.find()) {
      if (labels == null || (m.group(1) != null && m.group(1).contains(labels))) {
        return Double.parseDouble(m.group(2));
      }
    }
    return 0;
  }

  private String events() {
    return "http://127.0.0.1:" + port + "/v1/events";
  }

  private static String event(String insertId, String user) {
    return "[{\"event_type\":\"A\",\"user_id\":\""
        + user
        + "\",\"insert_id\":\""
        + insertId
        + "\"}]";
  }

  private String[] admin(String url, String method) throws Exception {
    Request.Builder b = new Request.Builder().url(url).header("Authorization", "Bearer " + TOKEN);
    switch (method) {
      case "POST" -> b.post(RequestBody.create("{}", MediaType.get("application/json")));
      case "DELETE" -> b.delete();
      default -> b.get();
    }
    try (Response r = client.newCall(b.build()).execute()) {
      return new String[] {String.valueOf(r.code()), r.body().string()};
    }
  }
}
