package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.host.cli.WeirCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * A running host re-reads its workspace ({@code POST /api/v1/workspace/reload}, {@code weir
 * reload}) and applies added, removed and changed streaming destinations and routes without a
 * restart; a change it cannot apply live is refused whole, located, and the running set stays as it
 * was. Destinations are webhooks on one MockWebServer, one path each.
 */
class WorkspaceReloadIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "reload-write-key";
  private static final String TOKEN = "reload-admin-token-5f2a";

  @StartStop final MockWebServer partner = new MockWebServer();
  @TempDir Path dir;

  /** Insert ids received, by request path. */
  private final Map<String, List<String>> received = new ConcurrentHashMap<>();

  private final OkHttpClient http = new OkHttpClient();
  private int port;
  private Path ws;

  @BeforeEach
  void partnerRecordsInsertIdsByPath() throws Exception {
    partner.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            List<String> ids = received.computeIfAbsent(r.getUrl().encodedPath(), k -> list());
            try {
              for (JsonNode e : JSON.readTree(r.getBody().utf8()).path("events")) {
                ids.add(e.path("insert_id").asText());
              }
            } catch (Exception e) {
              ids.add("unreadable");
            }
            return new MockResponse.Builder().code(200).build();
          }
        });
    port = freePort();
    ws = dir.resolve("workspace.yaml");
  }

  private static List<String> list() {
    return new CopyOnWriteArrayList<>();
  }

  private List<String> at(String path) {
    return received.getOrDefault(path, List.of());
  }

  private void write(String storeExtra, String writeKeys, String destinations, String routes)
      throws Exception {
    Files.writeString(
        ws,
        """
        server: { port: 0, admin_tokens: [ "${env:ADMIN_TOKEN}" ] }
        store: { dir: "%s/store", partitions: 2%s }
        sources:
          - { id: web, type: http, settings: { host: 127.0.0.1, port: %d, write_keys: [ %s ] } }
        destinations:
        %s
        routes:
        %s
        """
            .formatted(dir, storeExtra, port, writeKeys, destinations, routes));
  }

  private String hook(String id, String path, String extra) {
    return "  - { id: %s, type: webhook, settings: { url: \"%s\" }, delivery: { max_batch_delay_ms: 0 }%s }\n"
        .formatted(id, partner.url(path), extra);
  }

  private Weir start() throws Exception {
    return Weir.builder().workspace(ws).env(Map.of("ADMIN_TOKEN", TOKEN)::get).start();
  }

  private void send(String type, String insertId) throws Exception {
    String[] answer =
        post(
            http,
            "http://127.0.0.1:" + port + "/v1/events",
            KEY,
            "[{\"event_type\":\"%s\",\"user_id\":\"u1\",\"insert_id\":\"%s\"}]"
                .formatted(type, insertId));
    assertThat(answer[0]).as(answer[1]).isEqualTo("200");
  }

  private record Answer(int code, JsonNode body) {}

  private Answer admin(Weir weir, String method, String path) throws Exception {
    Request.Builder b =
        new Request.Builder()
            .url("http://127.0.0.1:" + weir.adminPort() + path)
            .header("Authorization", "Bearer " + TOKEN);
    b.method(
        method,
        method.equals("GET") ? null : RequestBody.create("{}", MediaType.get("application/json")));
    try (Response r = http.newCall(b.build()).execute()) {
      return new Answer(r.code(), JSON.readTree(r.body().string()));
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void aReloadAddsRestartsReconfiguresAndRemovesStreamingDestinationsWhileEventsKeepFlowing()
      throws Exception {
    write(
        "",
        KEY,
        hook("changed", "/changed-v1", "")
            + hook("dropped", "/dropped", "")
            + hook("filtered", "/filtered", ", filter: { event_types: [ First ] }"),
        "  - { from: web, to: [ changed, dropped, filtered ] }");
    try (Weir weir = start()) {
      send("First", "e1");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  at("/changed-v1").contains("e1")
                      && at("/dropped").contains("e1")
                      && at("/filtered").contains("e1"));

      write(
          "",
          KEY,
          hook("changed", "/changed-v2", "")
              + hook("filtered", "/filtered", ", filter: { event_types: [ First, Second ] }")
              + hook("added", "/added", ""),
          "  - { from: web, to: [ changed, filtered, added ] }");
      Answer reload = admin(weir, "POST", "/api/v1/workspace/reload");
      assertThat(reload.code()).as(reload.body().toString()).isEqualTo(200);
      assertThat(reload.body().path("applied").asBoolean()).isTrue();
      assertThat(texts(reload.body().path("added"))).containsExactly("added");
      assertThat(texts(reload.body().path("restarted"))).containsExactly("changed");
      assertThat(texts(reload.body().path("reconfigured"))).containsExactly("filtered");
      assertThat(texts(reload.body().path("removed"))).containsExactly("dropped");

      send("Second", "e2");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  at("/changed-v2").contains("e2")
                      && at("/filtered").contains("e2")
                      && at("/added").contains("e2"));
      assertThat(at("/changed-v1")).as("the old connector stopped").doesNotContain("e2");
      assertThat(at("/changed-v2"))
          .as("the restarted connector continues from the destination's cursor")
          .doesNotContain("e1");
      assertThat(at("/dropped")).containsExactly("e1");
      assertThat(at("/added"))
          .as("a new destination starts where a restart would: the oldest retained event")
          .contains("e1", "e2");
      assertThat(weir.delivery().destinations())
          .containsExactlyInAnyOrder("changed", "filtered", "added");
      List<String> listed = new ArrayList<>();
      admin(weir, "GET", "/api/v1/destinations")
          .body()
          .forEach(d -> listed.add(d.path("id").asText()));
      assertThat(listed).containsExactlyInAnyOrder("changed", "filtered", "added");
    }
  }

  @Test
  void aChangeThatNeedsARestartIsRefusedWholeWithItsLocationAndTheRunningSetStaysAsItWas()
      throws Exception {
    write("", KEY, hook("kept", "/kept", ""), "  - { from: web, to: [ kept ] }");
    try (Weir weir = start()) {
      send("First", "e1");
      await().atMost(Duration.ofSeconds(20)).until(() -> at("/kept").contains("e1"));

      // A misspelled key: the loader's located problem, nothing applied.
      Files.writeString(ws, Files.readString(ws).replace("routes:", "routez:"));
      Answer invalid = admin(weir, "POST", "/api/v1/workspace/reload");
      assertThat(invalid.code()).isEqualTo(422);
      assertThat(invalid.body().path("applied").asBoolean()).isFalse();
      assertThat(invalid.body().path("problems").toString()).contains("routez");
      assertThat(invalid.body().at("/problems/0/line").asInt()).as("located by line").isPositive();

      // A valid file whose store and server changed beside a new destination and a source's new
      // write key: refused whole.
      write(
          ", memory_capacity: 1000000",
          KEY + ", another-key",
          hook("kept", "/kept", "") + hook("added", "/added", ""),
          "  - { from: web, to: [ kept, added ] }");
      Files.writeString(
          ws,
          Files.readString(ws)
              .replace("server: { port: 0", "server: { port: 0, public_metrics: true"));
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream before = System.err;
      int code;
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try {
        code =
            WeirCli.commandLine()
                .execute(
                    "reload",
                    "--admin-url",
                    "http://127.0.0.1:" + weir.adminPort(),
                    "--token",
                    TOKEN);
      } finally {
        System.setErr(before);
      }
      assertThat(code).as("weir reload exits non-zero when refused").isEqualTo(1);
      JsonNode refused = JSON.readTree(err.toString(StandardCharsets.UTF_8));
      assertThat(refused.path("applied").asBoolean()).isFalse();
      List<String> located = new ArrayList<>();
      refused
          .path("problems")
          .forEach(p -> located.add(p.path("where").asText() + "|" + p.path("path").asText()));
      assertThat(located).containsExactlyInAnyOrder("|store", "|server");
      assertThat(refused.path("problems").toString()).contains("restart Weir to apply it");

      assertThat(weir.delivery().destinations()).containsExactly("kept");
      assertThat(weir.workspace().destination("added")).isEmpty();
      send("Second", "e2");
      await().atMost(Duration.ofSeconds(20)).until(() -> at("/kept").contains("e2"));
      assertThat(at("/added")).isEmpty();
    }
  }

  @Test
  void aWatchedWorkspaceIsReloadedWhenItsFileChangesAndABadChangeLeavesItAsItWas()
      throws Exception {
    write("", KEY, hook("first", "/first", ""), "  - { from: web, to: [ first ] }");
    try (Weir weir = start()) {
      weir.watchWorkspace(Duration.ofMillis(100));
      write(
          "",
          KEY,
          hook("first", "/first", "") + hook("second", "/second", ""),
          "  - { from: web, to: [ first, second ] }");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> weir.delivery().destinations().contains("second"));

      write(
          ", memory_capacity: 1000000",
          KEY,
          hook("first", "/first", ""),
          "  - { from: web, to: [ first ] }");
      send("Watched", "w1");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> at("/first").contains("w1") && at("/second").contains("w1"));
      assertThat(weir.delivery().destinations())
          .as("the refused change (the store's settings) left both destinations running")
          .containsExactlyInAnyOrder("first", "second");
    }
  }

  @Test
  void aReloadAddsRestartsAndRemovesSourcesWithoutTouchingTheOthers() throws Exception {
    int appPort = freePort();
    String app =
        "  - { id: app, type: http, settings: { host: 127.0.0.1, port: %d, write_keys: [ app-write-key ] } }\n"
            .formatted(appPort);
    write("", KEY, hook("first", "/first", ""), "  - { from: web, to: [ first ] }");
    try (Weir weir = start()) {
      send("First", "e1");
      await().atMost(Duration.ofSeconds(20)).until(() -> at("/first").contains("e1"));

      write(
          "",
          "new-write-key",
          hook("first", "/first", ""),
          "  - { from: web, to: [ first ] }\n  - { from: app, to: [ first ] }");
      Files.writeString(ws, Files.readString(ws).replace("destinations:", app + "destinations:"));
      Answer reload = admin(weir, "POST", "/api/v1/workspace/reload");
      assertThat(reload.code()).as(reload.body().toString()).isEqualTo(200);
      assertThat(texts(reload.body().at("/sources/added"))).containsExactly("app");
      assertThat(texts(reload.body().at("/sources/restarted"))).containsExactly("web");
      assertThat(texts(reload.body().path("reconfigured")))
          .as("first is now also fed by app")
          .containsExactly("first");

      String events = "http://127.0.0.1:%d/v1/events";
      String body = "[{\"event_type\":\"T\",\"user_id\":\"u1\",\"insert_id\":\"%s\"}]";
      assertThat(post(http, events.formatted(appPort), "app-write-key", body.formatted("e2"))[0])
          .isEqualTo("200");
      assertThat(post(http, events.formatted(port), "new-write-key", body.formatted("e3"))[0])
          .as("the restarted source takes its new write key")
          .isEqualTo("200");
      assertThat(post(http, events.formatted(port), KEY, body.formatted("e4"))[0])
          .as("and no longer the old one")
          .isEqualTo("401");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> at("/first").containsAll(List.of("e2", "e3")));
      assertThat(at("/first")).doesNotContain("e4");

      write("", "new-write-key", hook("first", "/first", ""), "  - { from: web, to: [ first ] }");
      reload = admin(weir, "POST", "/api/v1/workspace/reload");
      assertThat(texts(reload.body().at("/sources/removed"))).containsExactly("app");
      assertThat(texts(reload.body().at("/sources/restarted"))).isEmpty();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> post(http, events.formatted(appPort), "app-write-key", body.formatted("e5")))
          .as("the removed source no longer listens")
          .isInstanceOf(java.io.IOException.class);
    }
  }
}
