package dev.weir.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.runtime.Redactor;
import dev.weir.sdk.Event;
import io.micrometer.core.instrument.Counter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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

/**
 * Secrets nowhere: a resolved secret value planted where the admin server would send it (a metrics
 * label, the live debugger's delivery detail echoing a destination's response) leaves masked in
 * raw, URL-encoded and base64 forms, and the words around it stay.
 */
class AdminRedactionTest {
  static final String TOKEN = "redaction-test-token";
  static final String SECRET = "s3cr3t/Planted+Value=42";

  @TempDir Path dir;
  LiveStack stack;
  AdminServer server;
  OkHttpClient http = new OkHttpClient.Builder().readTimeout(30, TimeUnit.SECONDS).build();

  @BeforeEach
  void start() throws IOException {
    stack = new LiveStack(dir, Redactor.of(List.of(SECRET)));
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

  static List<String> forms() {
    return List.of(
        SECRET,
        URLEncoder.encode(SECRET, StandardCharsets.UTF_8),
        Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)));
  }

  String get(String path) throws IOException {
    return call("GET", path, null);
  }

  /** Status, headers and body of an answer. */
  String call(String method, String path, String body) throws IOException {
    Request r =
        new Request.Builder()
            .url("http://127.0.0.1:" + server.port() + path)
            .header("Authorization", "Bearer " + TOKEN)
            .method(
                method,
                body == null ? null : RequestBody.create(body, MediaType.get("application/json")))
            .build();
    try (Response resp = http.newCall(r).execute()) {
      return resp.code() + "\n" + resp.headers() + "\n" + resp.body().string();
    }
  }

  @Test
  void everyServedRouteAnswersWithoutASecretThatReachedItsData() throws Exception {
    // The secret reaches the data the admin API shows: a user id, a property, a dead letter, a
    // tracking-plan violation, the store, a metrics label.
    String user = "u-" + SECRET;
    stack.ingest(
        List.of(
            LiveStack.event("Product Viewed", user, Map.of("product_id", "before " + SECRET)),
            LiveStack.event("Poison", user, Map.of("price", -1, "note", SECRET))));
    Counter.builder("weir.test.leak").tag("detail", SECRET).register(stack.registry).increment();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !stack.engine.deadLetters("collector", null).isEmpty());
    String definition = stack.definitions.get(0).id();
    String encodedUser = URLEncoder.encode(user, StandardCharsets.UTF_8).replace("+", "%20");
    Map<String, String> bodies =
        Map.of(
            "/api/v1/connectors/{id}/validate",
            "{\"settings\":{\"url\":\"ftp://x/?k=" + SECRET + "\"}}",
            "/api/v1/definitions/{id}/dry-run",
            "{\"settings\":{},\"events\":[{\"event_type\":\"E\",\"user_id\":\""
                + user
                + "\",\"insert_id\":\"d-1\"}]}",
            "/api/v1/store/query",
            "{\"type\":\"audience\"}",
            "/api/v1/destinations/{id}/replay",
            "{\"from\":0,\"to\":" + (System.currentTimeMillis() + 60_000) + "}");
    List<String> leaks = new ArrayList<>();
    int answered = 0;
    boolean masked = false;
    for (AdminServer.Served route : server.servedRoutes()) {
      if (route.path().equals("/api/v1/tap")) {
        continue; // a stream: theLiveDebuggerMasksSecretsADestinationEchoedBack
      }
      String path =
          route
              .path()
              .replace("/sources/{id}", "/sources/web")
              .replace("/destinations/{id}", "/destinations/collector")
              .replace("/connectors/{id}", "/connectors/webhook")
              .replace("/definitions/{id}", "/definitions/" + definition)
              .replace("/jobs/{id}", "/jobs/no-such-job")
              .replace("{source}", "web")
              .replace("{userId}", encodedUser);
      String method = route.method().toUpperCase(java.util.Locale.ROOT);
      String body = method.equals("GET") || method.equals("HEAD") ? null : bodies.get(route.path());
      if (body == null && (method.equals("POST") || method.equals("PUT"))) {
        body = "{}";
      }
      String answer = call(method, path, body);
      answered++;
      masked |= answer.contains("***");
      for (String f : forms()) {
        if (answer.contains(f)) {
          leaks.add(method + " " + route.path() + " shows '" + f + "'");
        }
      }
    }
    assertThat(leaks).isEmpty();
    assertThat(answered).isGreaterThan(25);
    assertThat(masked).as("the secret reached some answer, masked").isTrue();
  }

  @Test
  void aSecretInAMetricsLabelIsMaskedWithTheWordsAroundIt() throws IOException {
    for (String f : forms()) {
      Counter.builder("weir.test.leak")
          .tag("detail", "before " + f + " after")
          .register(stack.registry)
          .increment();
    }
    String metrics = get("/metrics");
    assertThat(metrics).contains("weir_test_leak").contains("before *** after");
    for (String f : forms()) {
      assertThat(metrics).doesNotContain(f);
    }
  }

  @Test
  void theLiveDebuggerMasksSecretsADestinationEchoedBack() throws Exception {
    Request r =
        new Request.Builder()
            .url("http://127.0.0.1:" + server.port() + "/api/v1/tap?source=web")
            .header("Authorization", "Bearer " + TOKEN)
            .build();
    try (Response resp = http.newCall(r).execute()) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(resp.body().byteStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).startsWith(": tap open");
      Event e = Event.builder().eventType("E").userId("u").insertId("i-1").sourceId("web").build();
      String echoed =
          "{\"error\":\"bad key\",\"echo\":\""
              + String.join(" | ", forms())
              + "\",\"api_key\":\"literal-unknown-key\"} done";
      stack.tap.delivery("web", null, e, "collector", "dead_lettered", echoed);
      String line;
      StringBuilder got = new StringBuilder();
      while ((line = in.readLine()) != null) {
        got.append(line).append('\n');
        if (line.startsWith("data:") && line.contains("dead_lettered")) {
          break;
        }
      }
      String text = got.toString();
      assertThat(text).contains("bad key").contains("done").contains("***");
      for (String f : forms()) {
        assertThat(text).doesNotContain(f);
      }
      assertThat(text).doesNotContain("literal-unknown-key");
    }
  }
}
