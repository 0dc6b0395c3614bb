package dev.weir.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sdk.Event;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminApiTest {
  static final String TOKEN = "test-admin-token";
  static final MediaType JSON = MediaType.get("application/json");

  @TempDir Path dir;
  LiveStack stack;
  AdminServer server;
  OkHttpClient http = new OkHttpClient.Builder().readTimeout(30, TimeUnit.SECONDS).build();

  record Resp(int code, String text, JsonNode json) {}

  @BeforeEach
  void start() throws IOException {
    stack = new LiveStack(dir);
    server =
        AdminServer.start(
            stack,
            AdminOptions.builder().host("127.0.0.1").port(0).tokens(List.of(TOKEN)).build(),
            200);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    stack.close();
  }

  Resp call(String method, String path, String body, String token) throws IOException {
    Request.Builder b =
        new Request.Builder()
            .url("http://127.0.0.1:" + server.port() + path)
            .method(
                method,
                body == null
                    ? (method.equals("POST") ? RequestBody.create("", JSON) : null)
                    : RequestBody.create(body, JSON));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try (Response r = http.newCall(b.build()).execute()) {
      String text = r.body().string();
      JsonNode json = null;
      if (text.startsWith("{") || text.startsWith("[")) {
        json = HttpJson.MAPPER.readTree(text);
      }
      return new Resp(r.code(), text, json);
    }
  }

  Resp get(String path) throws IOException {
    return call("GET", path, null, TOKEN);
  }

  Resp post(String path, String body) throws IOException {
    return call("POST", path, body, TOKEN);
  }

  @Test
  void anUnknownEndpointAnswers404ToAnAdmin() throws IOException {
    // Which routes need a token is proven route by route in AdminAuthTest.
    Resp unknown = get("/api/v1/nope");
    assertThat(unknown.code()).isEqualTo(404);
    assertThat(unknown.json().path("error").asText()).contains("not found");
  }

  @Test
  void openApiFileDescribesEveryServedRoute() throws IOException {
    JsonNode spec = get("/api/v1/openapi.json").json();
    assertThat(spec.path("openapi").asText()).startsWith("3.");
    Set<String> documented = new HashSet<>();
    spec.path("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(m -> documented.add(m + " " + p.getKey())));
    for (Routes.Route r : server.routes()) {
      assertThat(documented)
          .as("openapi.json documents the route")
          .contains(r.method() + " " + r.path());
    }
    assertThat(spec.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
    assertThat(documented).contains("get /metrics", "get /health/live", "get /health/ready");
    assertThat(ConnectorsApi.compareVersions("1.10.0", "1.9.3")).isPositive();
    assertThat(ConnectorsApi.compareVersions("1.0.0-rc1", "1.0.0")).isNegative();
  }

  @Test
  void secretSettingsAndReferencesComeBackMasked() throws IOException {
    Resp dests = get("/api/v1/destinations");
    Resp sources = get("/api/v1/sources");
    assertThat(dests.text()).doesNotContain("literal-secret-value-1234").doesNotContain("HOOK_KEY");
    assertThat(sources.text()).doesNotContain("WEB_API_KEY");
    JsonNode d = dests.json().get(0);
    assertThat(d.at("/settings/auth_token").asText()).isEqualTo("***");
    assertThat(d.at("/settings/headers/X-Api-Key").asText()).isEqualTo("***");
    assertThat(d.at("/settings/headers/X-Team").asText()).isEqualTo("growth");
    assertThat(d.at("/settings/url").asText()).isEqualTo("https://hooks.example.com/in");
    assertThat(d.at("/status/state").asText()).isEqualTo("running");
    assertThat(sources.json().get(0).at("/settings/api_key").asText()).isEqualTo("***");
    assertThat(sources.json().get(0).at("/settings/port").asInt()).isEqualTo(8080);
  }

  @Test
  void connectorsListPluginsAndPartnerDefinitionsWithVersions() throws IOException {
    JsonNode c = get("/api/v1/connectors").json();
    assertThat(c.path("plugins").findValuesAsText("id")).contains("webhook", "http-source");
    assertThat(c.path("plugins").get(0).path("origin").asText()).isEqualTo("built-in");
    JsonNode defs = get("/api/v1/definitions").json();
    assertThat(defs.findValuesAsText("id")).contains("marketing-track-style");
    for (JsonNode def : defs) {
      if (def.path("id").asText().equals("marketing-track-style")) {
        assertThat(def.path("versions").get(0).asText()).isEqualTo("1.3.0");
        assertThat(def.path("secret_settings").toString()).contains("api_key");
      }
    }
  }

  @Test
  void theCatalogListsEveryInstalledConnectorAndDefinitionWithItsSettingsForm() throws IOException {
    JsonNode entries = get("/api/v1/catalog").json().path("entries");
    List<String> ids = entries.findValuesAsText("id");
    assertThat(ids)
        .contains(
            "webhook", "meta-conversions-api", "pagerduty-events-v2", "marketing-track-style");
    for (JsonNode e : entries) {
      if (e.path("id").asText().equals("meta-conversions-api")) {
        assertThat(e.path("category").asText()).isEqualTo("advertising");
        assertThat(e.path("auth").asText()).isEqualTo("api_key (query access_token)");
        assertThat(e.path("batching").asText()).startsWith("batch, up to 1000 events");
        JsonNode token = null;
        for (JsonNode s : e.path("settings")) {
          if (s.path("name").asText().equals("access_token")) {
            token = s;
          }
        }
        assertThat(token).isNotNull();
        assertThat(token.path("secret").asBoolean()).isTrue();
        assertThat(token.path("required").asBoolean()).isTrue();
        assertThat(token.path("description").asText()).isNotBlank();
        assertThat(token.path("example").asText()).startsWith("${env:");
        assertThat(token.path("format").asText()).isEqualTo("token");
      }
      if (e.path("id").asText().equals("amplitude-http-v2")) {
        assertThat(e.path("deletion").asText())
            .isEqualTo("delete_user: POST /api/2/deletions/users");
      }
    }
  }

  @Test
  void validatingSettingsReturnsEveryErrorWithItsPathAndCreatesNothing() throws IOException {
    JsonNode bad =
        post(
                "/api/v1/connectors/webhook/validate",
                "{\"url\":\"ftp://x\",\"timeout_ms\":0,\"surprise\":true}")
            .json();
    assertThat(bad.path("valid").asBoolean()).isFalse();
    assertThat(bad.path("errors").findValuesAsText("path")).contains("$.url", "$.timeout_ms");
    assertThat(bad.path("errors").toString()).contains("surprise");
    assertThat(bad.path("errors").size()).isGreaterThanOrEqualTo(3);
    JsonNode missing = post("/api/v1/connectors/webhook/validate", "{}").json();
    assertThat(missing.path("errors").toString()).contains("url");
    JsonNode good =
        post("/api/v1/connectors/webhook/validate", "{\"url\":\"https://a.example\"}").json();
    assertThat(good.path("valid").asBoolean()).isTrue();
    JsonNode def =
        post("/api/v1/connectors/marketing-track-style/validate", "{\"api_key\":\"k\"}").json();
    assertThat(def.path("errors").toString()).contains("rest_endpoint");
    assertThat(post("/api/v1/connectors/no-such/validate", "{}").code()).isEqualTo(404);
    assertThat(post("/api/v1/connectors/webhook/validate", "{not json").code()).isEqualTo(400);
    assertThat(get("/api/v1/destinations").json().size()).isEqualTo(1);
  }

  @Test
  void dryRunRendersTheRequestsOfADefinitionWithSecretsMaskedAndReportsBadEventsByIndex()
      throws IOException {
    String body =
        """
        {"settings":{"api_key":"sk-live-abcdef","rest_endpoint":"https://rest.iad-01.example-engage.com"},
         "events":[{"event_type":"Viewed Item","user_id":"u-1","insert_id":"s-1","time":1700000000000},
                   {"event_type":5, "time":"yesterday"},
                   {"event_type":"Added To Cart","user_id":"u-2","insert_id":"s-2","time":1700000000500}]}""";
    Resp r = post("/api/v1/definitions/marketing-track-style/dry-run", body);
    assertThat(r.code()).isEqualTo(200);
    assertThat(r.text()).doesNotContain("sk-live-abcdef");
    JsonNode req = r.json().path("requests").get(0);
    assertThat(req.path("method").asText()).isEqualTo("POST");
    assertThat(req.path("url").asText())
        .isEqualTo("https://rest.iad-01.example-engage.com/users/track");
    assertThat(req.path("body").asText()).contains("Viewed Item").contains("Added To Cart");
    assertThat(req.path("events").toString()).isEqualTo("[0,2]");
    assertThat(r.json().path("rejected").has("1")).isTrue();
    assertThat(post("/api/v1/definitions/nope/dry-run", body).code()).isEqualTo(404);
  }

  @Test
  void destinationsPauseResumeAndReportDeliveryStatus() throws IOException {
    JsonNode paused = post("/api/v1/destinations/collector/pause", null).json();
    assertThat(paused.path("state").asText()).isEqualTo("paused");
    assertThat(get("/api/v1/destinations/collector/status").json().path("state").asText())
        .isEqualTo("paused");
    stack.ingest(List.of(LiveStack.event("Product Viewed", "u1", Map.of("product_id", "p1"))));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                get("/api/v1/destinations/collector/status").json().path("lag_events").asLong()
                    == 1);
    assertThat(stack.received).isEmpty();
    assertThat(post("/api/v1/destinations/collector/resume", null).json().path("state").asText())
        .isEqualTo("running");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                get("/api/v1/destinations/collector/status").json().path("delivered").asLong()
                    == 1);
    assertThat(get("/api/v1/destinations/missing/status").code()).isEqualTo(404);
  }

  @Test
  void deadLettersAreListedAndRedelivered() throws IOException {
    stack.ingest(
        List.of(
            LiveStack.event("Poison", "u1", Map.of()),
            LiveStack.event("Product Viewed", "u2", Map.of("product_id", "p1"))));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                get("/api/v1/destinations/collector/dead-letters").json().path("total").asInt()
                    == 1);
    JsonNode dl =
        get("/api/v1/destinations/collector/dead-letters").json().path("dead_letters").get(0);
    assertThat(dl.path("reason").asText()).isEqualTo("rejected");
    assertThat(dl.at("/event/event_type").asText()).isEqualTo("Poison");
    Resp job =
        post(
            "/api/v1/destinations/collector/dead-letters/redeliver",
            "{\"ids\":[\"" + dl.path("id").asText() + "\"]}");
    assertThat(job.code()).isEqualTo(202);
    String jobId = job.json().path("id").asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get("/api/v1/jobs/" + jobId).json().path("state").asText().equals("done"));
    JsonNode done = get("/api/v1/jobs/" + jobId).json();
    assertThat(done.path("selected").asLong()).isEqualTo(1);
    assertThat(done.path("dead_lettered").asLong()).isEqualTo(1); // poison is rejected again
    assertThat(get("/api/v1/jobs/unknown").code()).isEqualTo(404);
  }

  @Test
  void replayingATimeRangeSendsThoseEventsAgain() throws IOException {
    Instant from = Instant.now().minusSeconds(60);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      events.add(LiveStack.event("Product Viewed", "u" + i, Map.of("product_id", "p" + i)));
    }
    stack.ingest(events);
    await().atMost(Duration.ofSeconds(10)).until(() -> stack.received.size() == 3);
    Resp job =
        post(
            "/api/v1/destinations/collector/replay",
            "{\"from\":\"" + from + "\",\"to\":\"" + Instant.now().plusSeconds(60) + "\"}");
    assertThat(job.code()).isEqualTo(202);
    String id = job.json().path("id").asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get("/api/v1/jobs/" + id).json().path("state").asText().equals("done"));
    assertThat(get("/api/v1/jobs/" + id).json().path("delivered").asLong()).isEqualTo(3);
    assertThat(stack.received).hasSize(6);
    assertThat(
            post("/api/v1/destinations/collector/replay", "{\"from\":\"not a time\",\"to\":1}")
                .code())
        .isEqualTo(400);
  }

  @Test
  void sourcesListStatusPauseAndResume() throws IOException {
    assertThat(post("/api/v1/sources/web/pause", null).json().path("state").asText())
        .isEqualTo("paused");
    assertThat(get("/api/v1/sources/web/status").json().path("state").asText()).isEqualTo("paused");
    assertThat(stack.sourcePaused).isTrue();
    post("/api/v1/sources/web/resume", null);
    assertThat(get("/api/v1/sources/web/status").json().path("state").asText())
        .isEqualTo("running");
    assertThat(get("/api/v1/sources/nope/status").code()).isEqualTo(404);
  }

  @Test
  void trackingPlansListVersionsReloadAndServeRecentViolations() throws IOException {
    JsonNode plans = get("/api/v1/tracking-plans").json();
    JsonNode ecommerce = null;
    for (JsonNode p : plans.path("plans")) {
      if (p.path("id").asText().equals("ecommerce")) {
        ecommerce = p;
      }
    }
    assertThat(ecommerce).isNotNull();
    assertThat(ecommerce.path("versions").toString()).isEqualTo("[2,3]");
    assertThat(post("/api/v1/tracking-plans/reload", null).json().path("loaded").toString())
        .contains("ecommerce@3");
    Instant before = Instant.now().minusSeconds(1);
    stack.ingest(List.of(LiveStack.event("Product Viewed", "u1", Map.of("price", -5))));
    JsonNode v = get("/api/v1/violations?source=web&since=" + before).json().path("violations");
    assertThat(v.size()).isEqualTo(1);
    assertThat(v.get(0).path("event_type").asText()).isEqualTo("Product Viewed");
    assertThat(v.get(0).path("violations").toString()).contains("product_id");
    assertThat(get("/api/v1/violations?source=other").json().path("violations").size()).isZero();
    assertThat(
            get("/api/v1/violations?since=" + Instant.now().plusSeconds(60))
                .json()
                .path("violations")
                .size())
        .isZero();
    assertThat(get("/api/v1/violations?since=garbage").code()).isEqualTo(400);
  }

  @Test
  void storeEndpointsShowPartitionsChunksBatchAndDedupCounters() throws IOException {
    Event e = LiveStack.event("Product Viewed", "u1", Map.of("product_id", "p1"));
    stack.ingest(List.of(e, LiveStack.event("Checkout Started", "u2", Map.of())));
    stack.ingest(List.of(e));
    JsonNode s = get("/api/v1/store").json();
    assertThat(s.path("partitions").asInt()).isEqualTo(2);
    assertThat(s.path("stored").asLong()).isEqualTo(2);
    assertThat(s.path("duplicates").asLong()).isEqualTo(1);
    assertThat(s.has("blocks_in_memory")).isTrue();
    assertThat(get("/api/v1/store/partitions").json().path("partitions").size()).isEqualTo(2);
    JsonNode chunks = get("/api/v1/store/chunks").json();
    assertThat(chunks.has("current_batch")).isTrue();
    assertThat(chunks.path("chunks").isArray()).isTrue();
    JsonNode seg =
        post(
                "/api/v1/store/query",
                "{\"type\":\"segmentation\",\"event_type\":\"Product Viewed\","
                    + "\"bucket\":\"day\",\"metric\":\"count\"}")
            .json();
    long total = 0;
    for (JsonNode series : seg.path("series")) {
      for (JsonNode n : series) {
        total += n.asLong();
      }
    }
    assertThat(total).isEqualTo(1);
    JsonNode funnel =
        post(
                "/api/v1/store/query",
                "{\"type\":\"funnel\",\"steps\":[{\"event_type\":"
                    + "\"Product Viewed\"},{\"event_type\":\"Checkout Started\"}]}")
            .json();
    assertThat(funnel.path("users_per_step").toString()).isEqualTo("[1,0]");
    assertThat(post("/api/v1/store/query", "{\"type\":\"cube\"}").code()).isEqualTo(400);
  }

  @Test
  void deletingAUserRemovesTheirEventsAndTheirDevicesAnonymousOnesAndQueuesDestinationRequests()
      throws IOException {
    Event signedIn =
        LiveStack.event("Product Viewed", "gone", Map.of("product_id", "p1")).toBuilder()
            .deviceId("phone-of-gone")
            .build();
    Event anonymous =
        LiveStack.event("Product Viewed", null, Map.of("product_id", "p1")).toBuilder()
            .deviceId("phone-of-gone")
            .build();
    stack.ingest(
        List.of(
            signedIn,
            anonymous,
            LiveStack.event("Product Viewed", "stays", Map.of("product_id", "p1"))));
    String audience = "{\"type\":\"audience\",\"event_type\":\"Product Viewed\"}";
    assertThat(post("/api/v1/store/query", audience).json().path("users").toString())
        .contains("gone");
    Resp r = call("DELETE", "/api/v1/users/web/gone", null, TOKEN);
    assertThat(r.code()).isEqualTo(200);
    assertThat(r.json().path("deleted_events").asLong()).isEqualTo(2);
    assertThat(r.json().path("device_ids_matched").asInt()).isEqualTo(1);
    assertThat(r.json().path("deletion_requests_queued").toString()).isEqualTo("[\"collector\"]");
    assertThat(post("/api/v1/store/query", audience).json().path("users").toString())
        .doesNotContain("gone")
        .contains("stays");
  }

  @Test
  void metricsAreScrapedAndCountersMoveAsEventsFlow() throws IOException {
    double before =
        metric(get("/metrics").text(), "weir_delivery_events_total", "result=\"delivered\"");
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(LiveStack.event("Product Viewed", "u" + i, Map.of("product_id", "p")));
    }
    stack.ingest(events);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                metric(get("/metrics").text(), "weir_delivery_events_total", "result=\"delivered\"")
                    == before + 5);
    assertThat(metric(get("/metrics").text(), "weir_ingest_events_total", "source=\"web\""))
        .isEqualTo(5);
    String scrape = get("/metrics").text();
    assertThat(metric(scrape, "weir_store_events_stored_total", "")).isEqualTo(5);
    assertThat(metric(scrape, "weir_store_duplicates_total", "")).isZero();
    assertThat(scrape)
        .contains(
            "weir_store_blocks_in_memory", "weir_store_chunks", "weir_store_chunk_size_bytes");
    JsonNode overview = get("/api/v1/overview").json();
    assertThat(overview.at("/rates/events_in_total").asLong()).isEqualTo(5);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get("/api/v1/overview").json().at("/rates/events_out_total").asLong() == 5);
  }

  /**
   * Parses Prometheus text: the sum of the samples of {@code name} whose labels contain {@code
   * label}.
   */
  static double metric(String scrape, String name, String label) {
    double sum = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      } else if (line.startsWith(name + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  @Test
  void healthProbesNeedNoTokenAndReadinessFollowsTheBackend() throws IOException {
    assertThat(call("GET", "/health/live", null, null).code()).isEqualTo(200);
    assertThat(call("GET", "/health/ready", null, null).code()).isEqualTo(200);
    stack.ready.set(false);
    Resp r = call("GET", "/health/ready", null, null);
    assertThat(r.code()).isEqualTo(503);
    assertThat(r.json().path("reasons").toString()).contains("refusing writes");
  }

  @Test
  void consoleIsServedWithoutATokenAndHoldsNoData() throws IOException {
    Resp r = call("GET", "/console/", null, null);
    assertThat(r.code()).isEqualTo(200);
    assertThat(r.text()).contains("<title>Weir");
  }

  @Test
  void requestIdIsEchoedAndErrorsCarryIt() throws IOException {
    Request req =
        new Request.Builder()
            .url("http://127.0.0.1:" + server.port() + "/api/v1/destinations/x/status")
            .header("Authorization", "Bearer " + TOKEN)
            .header("X-Request-Id", "req-42")
            .build();
    try (Response r = http.newCall(req).execute()) {
      assertThat(r.code()).isEqualTo(404);
      assertThat(r.header("X-Request-Id")).isEqualTo("req-42");
      assertThat(r.body().string())
          .contains("\"request_id\":\"req-42\"")
          .contains("no destination 'x'");
    }
  }

  @Test
  void liveTapStreamsIngestedEventsWithDuplicateFlagsViolationsAndDeliveries() throws Exception {
    Request req =
        new Request.Builder()
            .url("http://127.0.0.1:" + server.port() + "/api/v1/tap?source=web")
            .header("Authorization", "Bearer " + TOKEN)
            .build();
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    okhttp3.Call call = http.newCall(req);
    Response resp = call.execute();
    assertThat(resp.header("Content-Type")).startsWith("text/event-stream");
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(resp.body().byteStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.startsWith("data: ")) {
                    seen.add(HttpJson.MAPPER.readTree(line.substring(6)));
                  }
                }
              } catch (IOException closed) {
                // stream ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> stack.tap.subscribers() == 1);
    Event e = LiveStack.event("Product Viewed", "u1", Map.of("price", -1));
    stack.ingest(List.of(e));
    stack.ingest(List.of(e));
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 3);
    JsonNode first =
        seen.stream().filter(n -> n.path("stage").asText().equals("ingested")).findFirst().get();
    assertThat(first.path("insert_id").asText()).isEqualTo(e.insertId());
    assertThat(first.at("/event/event_type").asText()).isEqualTo("Product Viewed");
    assertThat(first.path("violations").size()).isPositive();
    assertThat(first.path("duplicate").asBoolean()).isFalse();
    assertThat(
            seen.stream()
                .filter(n -> n.path("stage").asText().equals("ingested"))
                .anyMatch(n -> n.path("duplicate").asBoolean()))
        .isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                seen.stream()
                    .anyMatch(
                        n ->
                            n.path("stage").asText().equals("delivered")
                                && n.path("destination").asText().equals("collector")));
    call.cancel();
    reader.join(5000);
  }

  // ---- POST /api/v1/store/query: every query type, errors naming their path, hostile bodies
  private void shop() throws IOException {
    List<Event> evs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String user = "q" + (i % 6);
      String plan = i % 3 == 0 ? "pro" : "free";
      evs.add(LiveStack.event("Product Viewed", user, Map.of("plan", plan, "price", i)));
      if (i % 2 == 0) {
        evs.add(LiveStack.event("Checkout Started", user, Map.of("plan", plan, "price", i)));
      }
    }
    stack.ingest(evs);
  }

  @Test
  void everyQueryTypeAnswersThroughTheApi() throws IOException {
    shop();
    JsonNode seg =
        post(
                "/api/v1/store/query",
                "{\"type\":\"segmentation\",\"event_type\":\"Product Viewed\",\"bucket\":\"day\","
                    + "\"metric\":\"sum\",\"metric_property\":\"event_properties.price\","
                    + "\"group_by\":\"event_properties.plan\",\"limit\":1,"
                    + "\"filters\":[{\"or\":[{\"property\":\"event_properties.price\",\"op\":\"ge\","
                    + "\"value\":0},{\"property\":\"platform\",\"op\":\"exists\"}]}]}")
            .json();
    assertThat(seg.path("groups").toString()).isEqualTo("[\"free\",\"(other)\"]");
    // prices 0..29: pro are multiples of 3 (sum 135), free the rest (sum 300)
    assertThat(seg.at("/totals/free").asDouble()).isEqualTo(300.0);
    assertThat(seg.at("/totals/(other)").asDouble()).isEqualTo(135.0);
    JsonNode funnel =
        post(
                "/api/v1/store/query",
                "{\"type\":\"funnel\",\"hold_constant\":\"event_properties.plan\",\"steps\":["
                    + "{\"event_type\":\"Product Viewed\"},{\"event_type\":\"Checkout Started\","
                    + "\"filters\":[{\"property\":\"event_properties.plan\",\"op\":\"in\","
                    + "\"values\":[\"pro\",\"free\"]}]}]}")
            .json();
    assertThat(funnel.path("users_per_step").toString()).isEqualTo("[6,3]");
    assertThat(funnel.path("conversion").toString()).isEqualTo("[1.0,0.5]");
    assertThat(funnel.path("median_ms_to_step").get(1).isNumber()).isTrue();
    JsonNode retention =
        post(
                "/api/v1/store/query",
                "{\"type\":\"retention\",\"bucket\":\"day\",\"periods\":2,"
                    + "\"start\":{\"event_type\":\"Product Viewed\"},"
                    + "\"returning\":{\"event_type\":\"Checkout Started\"}}")
            .json();
    assertThat(retention.at("/cohorts/0/users").asLong()).isEqualTo(6);
    assertThat(retention.at("/cohorts/0/returned").toString()).isEqualTo("[0,0]");
    JsonNode audience =
        post(
                "/api/v1/store/query",
                "{\"type\":\"audience\",\"filters\":[{\"property\":\"event_properties.price\","
                    + "\"op\":\"gt\",\"value\":27}],\"sources\":[\"web\"]}")
            .json();
    assertThat(audience.path("users").toString()).isEqualTo("[\"q4\",\"q5\"]");
    JsonNode quarantineOnly =
        post("/api/v1/store/query", "{\"type\":\"audience\",\"sources\":[\"web:quarantine\"]}")
            .json();
    assertThat(quarantineOnly.path("users").toString()).isEqualTo("[]");
  }

  @Test
  void queriesThroughTheApiLeaveQuarantineOutUnlessTheyNameIt() throws IOException {
    long now = System.currentTimeMillis();
    List<Event> evs = new ArrayList<>();
    for (String u : List.of("kept-1", "kept-2", "held-1")) {
      evs.add(
          LiveStack.event("Signed Up", u, Map.of()).toBuilder()
              .sourceId(u.startsWith("held") ? "web:quarantine" : "web")
              .uploadTime(now)
              .build());
    }
    stack.store.append(evs);
    String count = "{\"type\":\"segmentation\",\"event_type\":\"Signed Up\",\"bucket\":\"day\"%s}";
    assertThat(post("/api/v1/store/query", count.formatted("")).json().at("/totals/").asDouble())
        .isEqualTo(2.0);
    assertThat(
            post("/api/v1/store/query", count.formatted(",\"sources\":[\"web:quarantine\"]"))
                .json()
                .at("/totals/")
                .asDouble())
        .isEqualTo(1.0);
    String audience = "{\"type\":\"audience\",\"event_type\":\"Signed Up\"%s}";
    assertThat(post("/api/v1/store/query", audience.formatted("")).json().path("users").toString())
        .isEqualTo("[\"kept-1\",\"kept-2\"]");
    assertThat(
            post(
                    "/api/v1/store/query",
                    audience.formatted(",\"sources\":[\"web\",\"web:quarantine\"]"))
                .json()
                .path("users")
                .toString())
        .isEqualTo("[\"held-1\",\"kept-1\",\"kept-2\"]");
    String funnel = "{\"type\":\"funnel\",\"steps\":[{\"event_type\":\"Signed Up\"}]%s}";
    assertThat(
            post("/api/v1/store/query", funnel.formatted(""))
                .json()
                .path("users_per_step")
                .toString())
        .isEqualTo("[2]");
  }

  @Test
  void invalidQueriesAreRefusedWithTheJsonPathOfEachProblem() throws IOException {
    Map<String, String> cases =
        Map.of(
            "{\"type\":\"cube\"}",
            "$.type",
            "{\"type\":\"segmentation\",\"metric\":\"median\"}",
            "$.metric",
            "{\"type\":\"segmentation\",\"filters\":[{\"property\":\"a\",\"op\":\"eq\"},"
                + "{\"property\":\"b\",\"op\":\"like\",\"value\":1}]}",
            "$.filters[1]",
            "{\"type\":\"segmentation\",\"metric\":\"sum\"}",
            "$.metric_property",
            "{\"type\":\"funnel\",\"steps\":[{\"event_type\":\"a\",\"filter\":[]}]}",
            "$.steps[0].filter",
            "{\"type\":\"segmentation\",\"from\":\"yesterday\"}",
            "$.from",
            "{\"type\":\"segmentation\",\"from\":2000,\"to\":1000}",
            "$.from",
            "{\"type\":\"retention\",\"start\":{}}",
            "$.returning",
            "{\"type\":\"segmentation\",\"bucket\":\"minute\",\"from\":0}",
            "$.bucket");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Resp r = post("/api/v1/store/query", c.getKey());
      assertThat(r.code()).as(c.getKey()).isEqualTo(400);
      List<String> paths = new ArrayList<>();
      r.json().path("errors").forEach(e -> paths.add(e.path("path").asText()));
      assertThat(paths).as("%s -> %s", c.getKey(), r.text()).contains(c.getValue());
    }
  }

  @Test
  void hostileBodiesGetAnAnswerNeverAServerError() throws IOException {
    shop();
    List<String> bodies = new ArrayList<>();
    bodies.add("");
    bodies.add("[]");
    bodies.add("null");
    bodies.add("{\"type\":");
    bodies.add(
        "{\"type\":\"segmentation\",\"filters\":"
            + "[{\"and\":".repeat(400)
            + "[]"
            + "}]".repeat(400)
            + "}");
    bodies.add("[".repeat(5000));
    bodies.add("{\"type\":\"segmentation\",\"from\":-1e300,\"to\":1e300}");
    bodies.add("{\"type\":\"segmentation\",\"to\":99999999999999999999999}");
    bodies.add("{\"type\":\"funnel\",\"steps\":[],\"conversion_window_ms\":-5}");
    bodies.add("{\"type\":\"segmentation\",\"group_by\":\"user_id\",\"limit\":1000}");
    bodies.add(
        "{\"type\":\"segmentation\",\"filters\":[{\"property\":\"x\",\"op\":\"in\",\"values\":[{}]}]}");
    Random rnd = new Random(15);
    String[] keys = {
      "type",
      "from",
      "to",
      "filters",
      "steps",
      "metric",
      "bucket",
      "group_by",
      "limit",
      "start",
      "returning",
      "periods",
      "sources",
      "op",
      "value",
      "values",
      "property",
      "and",
      "or",
      "event_type",
      "hold_constant",
      "metric_property",
      "conversion_window_ms"
    };
    for (int i = 0; i < 250; i++) {
      bodies.add(randomJson(rnd, keys, 0));
    }
    for (String b : bodies) {
      Resp r = post("/api/v1/store/query", b);
      assertThat(r.code())
          .as("%s -> %s", b.length() > 300 ? b.substring(0, 300) : b, r.text())
          .isIn(200, 400);
    }
  }

  private static String randomJson(Random rnd, String[] keys, int depth) {
    int kind = depth > 4 ? rnd.nextInt(4) : rnd.nextInt(7);
    return switch (kind) {
      case 0 -> String.valueOf(rnd.nextInt(3) == 0 ? rnd.nextLong() : rnd.nextInt(100) - 5);
      case 1 ->
          "\""
              + new String[] {
                    "segmentation",
                    "funnel",
                    "retention",
                    "audience",
                    "eq",
                    "in",
                    "day",
                    "sum",
                    "uniques",
                    "event_properties.plan",
                    "2026-01-01T00:00:00Z",
                    ""
                  }
                  [rnd.nextInt(12)]
              + "\"";
      case 2 -> rnd.nextBoolean() ? "true" : "null";
      case 3 -> String.valueOf(rnd.nextDouble() * 1e18);
      case 4, 5 -> {
        StringBuilder sb = new StringBuilder("{");
        int n = rnd.nextInt(5);
        if (depth == 0) {
          sb.append("\"type\":\"")
              .append(
                  new String[] {"segmentation", "funnel", "retention", "audience"}[rnd.nextInt(4)])
              .append("\"")
              .append(n > 0 ? "," : "");
        }
        for (int k = 0; k < n; k++) {
          sb.append(k == 0 ? "" : ",")
              .append('"')
              .append(keys[rnd.nextInt(keys.length)])
              .append("\":")
              .append(randomJson(rnd, keys, depth + 1));
        }
        yield sb.append('}').toString();
      }
      default -> {
        StringBuilder sb = new StringBuilder("[");
        int n = rnd.nextInt(4);
        for (int k = 0; k < n; k++) {
          sb.append(k == 0 ? "" : ",").append(randomJson(rnd, keys, depth + 1));
        }
        yield sb.append(']').toString();
      }
    };
  }
}
