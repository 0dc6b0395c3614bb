package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.host.cli.WeirCli;
import dev.weir.host.config.WorkspaceException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An audience sync configured in a workspace ({@code audiences:}) runs in the host: it is listed
 * with its members and last sync by the admin API, {@code weir audiences sync} runs it now, and the
 * members who entered reach the ad platform (MockWebServer) through the example partner definition
 * {@code ad-platform-audience}.
 */
class AudienceWorkspaceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "audience-write-key";
  private static final String TOKEN = "audience-admin-token-3d1";

  @StartStop final MockWebServer ads = new MockWebServer();
  @TempDir Path dir;

  private final List<String> calls = new CopyOnWriteArrayList<>();

  private Path workspace(int port, String audienceDestination) throws Exception {
    Files.createDirectories(dir.resolve("defs"));
    Files.copy(
        Path.of("../../portal-config-examples/audiences/ad-platform-audience.yaml"),
        dir.resolve("defs/ad-platform-audience.yaml"));
    Files.writeString(
        dir.resolve("cart-abandoners.yaml"),
        """
        name: cart_abandoners
        destination: %s
        schedule_ms: 3600000
        window_ms: 3600000
        include: {event_type: add_to_cart}
        exclude: {event_type: purchase}
        """
            .formatted(audienceDestination));
    Path ws = dir.resolve("workspace.yaml");
    Files.writeString(
        ws,
        """
        server: { port: 0, admin_tokens: [ "${env:ADMIN_TOKEN}" ] }
        store: { dir: "%s/store", partitions: 2 }
        definitions_dir: defs
        audiences: [ cart-abandoners.yaml ]
        sources:
          - { id: web, type: http, settings: { host: 127.0.0.1, port: %d, write_keys: [ %s ] } }
        destinations:
          - id: ads
            definition: ad-platform-audience@1.0.0
            settings: { api_base: "%s", api_key: "${env:ADS_KEY}", audience_id: cart }
        routes: []
        """
            .formatted(dir, port, KEY, ads.url("/").toString().replaceAll("/$", "")));
    return ws;
  }

  private static Map<String, String> env() {
    return Map.of("ADMIN_TOKEN", TOKEN, "ADS_KEY", "ads-key-77");
  }

  private JsonNode audiences(Weir weir) throws Exception {
    Request r =
        new Request.Builder()
            .url("http://127.0.0.1:" + weir.adminPort() + "/api/v1/audiences")
            .header("Authorization", "Bearer " + TOKEN)
            .build();
    try (Response resp = new OkHttpClient().newCall(r).execute()) {
      return JSON.readTree(resp.body().string()).path("audiences");
    }
  }

  @Test
  void anAudienceFromTheWorkspaceIsListedSyncedOnDemandAndItsNewMembersReachTheAdPlatform()
      throws Exception {
    ads.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            calls.add(r.getUrl().encodedPath() + " " + r.getBody().utf8());
            return new MockResponse.Builder().code(200).build();
          }
        });
    int port = freePort();
    try (Weir weir = Weir.builder().workspace(workspace(port, "ads")).env(env()::get).start()) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !audiences(weir).path(0).path("last_sync").isNull());
      JsonNode first = audiences(weir).path(0);
      assertThat(first.path("name").asText()).isEqualTo("cart_abandoners");
      assertThat(first.path("destination").asText()).isEqualTo("ads");
      assertThat(first.path("members").asInt()).as("synced at start, before any event").isZero();
      assertThat(first.has("sync_failures")).as(first.toString()).isTrue();
      assertThat(first.path("sync_failures").asLong()).isZero();

      long now = System.currentTimeMillis();
      String[] answer =
          post(
              new OkHttpClient(),
              "http://127.0.0.1:" + port + "/v1/events",
              KEY,
              """
              [{"event_type":"add_to_cart","user_id":"u1","insert_id":"a1","time":%d},
               {"event_type":"add_to_cart","user_id":"u2","insert_id":"a2","time":%d},
               {"event_type":"purchase","user_id":"u2","insert_id":"p2","time":%d}]
              """
                  .formatted(now, now, now));
      assertThat(answer[0]).as(answer[1]).isEqualTo("200");

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream before = System.out;
      int code;
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      try {
        code =
            WeirCli.commandLine()
                .execute(
                    "audiences",
                    "sync",
                    "cart_abandoners",
                    "--admin-url",
                    "http://127.0.0.1:" + weir.adminPort(),
                    "--token",
                    TOKEN);
      } finally {
        System.setOut(before);
      }
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(code).as(printed).isZero();
      // the answer is the one JSON line on stdout (log lines may share it)
      JsonNode synced =
          JSON.readTree(
              printed.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}"));
      assertThat(synced.path("members").asInt()).isEqualTo(1);
      assertThat(synced.path("entered").asInt()).isEqualTo(1);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> calls.stream().anyMatch(c -> c.contains("members:add")));
      assertThat(calls).hasSize(1);
      assertThat(calls.get(0))
          .startsWith("/v1/audiences/cart/members:add ")
          .contains("\"u1\"")
          .doesNotContain("u2");
      assertThat(audiences(weir).path(0).path("members").asInt()).isEqualTo(1);

      String tags = "{audience=\"cart_abandoners\",destination=\"ads\"}";
      assertThat(metrics(weir))
          .contains("weir_audience_members" + tags + " 1.0")
          .contains("weir_audience_sync_failures_total" + tags + " 0.0")
          .containsPattern("weir_audience_last_sync_seconds\\{[^}]*\\} 1\\.[0-9]+E9");
    }
  }

  private String metrics(Weir weir) throws Exception {
    Request r =
        new Request.Builder()
            .url("http://127.0.0.1:" + weir.adminPort() + "/metrics")
            .header("Authorization", "Bearer " + TOKEN)
            .build();
    try (Response resp = new OkHttpClient().newCall(r).execute()) {
      return resp.body().string();
    }
  }

  @Test
  void anAudienceNamingADestinationTheWorkspaceDoesNotHaveIsRefusedWithItsLocation()
      throws Exception {
    Path ws = workspace(freePort(), "nowhere");
    WorkspaceException e =
        catchThrowableOfType(() -> Weir.load(ws, env()::get).close(), WorkspaceException.class);
    assertThat(e.problems())
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo("audiences[0]");
              assertThat(p.message())
                  .contains("destination 'nowhere' must be an enabled streaming destination");
            });
  }
}
