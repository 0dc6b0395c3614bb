package dev.weir.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSourceTest {
  private static final String KEY = "test-write-key-1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OkHttpClient client = new OkHttpClient();
  private final HttpSource source = new HttpSource();
  private RecordingSourceContext context;

  @BeforeEach
  void start() {
    context =
        new RecordingSourceContext(
            Map.of("port", 0, "host", "127.0.0.1", "write_keys", List.of(KEY)));
    source.start(context);
  }

  @AfterEach
  void stop() throws Exception {
    source.stop();
  }

  private Response post(String body, String header, String value) throws Exception {
    Request.Builder b =
        new Request.Builder()
            .url("http://127.0.0.1:" + source.port() + "/v1/events")
            .post(RequestBody.create(body, MediaType.get("application/json")));
    if (header != null) {
      b.header(header, value);
    }
    return client.newCall(b.build()).execute();
  }

  @Test
  void validEventsAreSubmittedWithOneStoredResultEach() throws Exception {
    try (Response r =
        post(
            "[{\"event_type\":\"A\",\"user_id\":\"u1\"},{\"event_type\":\"B\",\"device_id\":\"d\"}]",
            "Authorization",
            "Bearer " + KEY)) {
      assertThat(r.code()).isEqualTo(200);
      JsonNode body = JSON.readTree(r.body().string());
      assertThat(body.get("accepted").asInt()).isEqualTo(2);
      assertThat(body.get("results").get(1).get("status").asText()).isEqualTo("stored");
    }
    assertThat(context.submitted).extracting(e -> e.eventType()).containsExactly("A", "B");
  }

  @Test
  void malformedEventIsReportedByIndexWhileItsNeighboursGoThrough() throws Exception {
    String body =
        "[{\"event_type\":\"A\",\"user_id\":\"u1\"},{\"event_type\":\"B\",\"user_id\":\"u1\","
            + "\"time\":\"yesterday\"},42,{\"user_id\":\"x\"},{\"event_type\":\"C\",\"device_id\":\"d1\"}]";
    try (Response r = post(body, "X-Weir-Key", KEY)) {
      assertThat(r.code()).isEqualTo(200);
      JsonNode json = JSON.readTree(r.body().string());
      JsonNode results = json.get("results");
      assertThat(results.get(0).get("status").asText()).isEqualTo("stored");
      assertThat(results.get(1).get("status").asText()).isEqualTo("invalid");
      assertThat(results.get(1).get("error").asText()).contains("time");
      assertThat(results.get(2).get("error").asText()).contains("JSON object");
      assertThat(results.get(3).get("error").asText()).contains("event_type");
      assertThat(results.get(4).get("status").asText()).isEqualTo("stored");
      assertThat(json.get("invalid").asInt()).isEqualTo(3);
    }
    assertThat(context.submitted).extracting(e -> e.eventType()).containsExactly("A", "C");
  }

  @Test
  void anEventWithNeitherAUserIdNorADeviceIdIsRefusedByIndexWhileItsNeighboursAreStored()
      throws Exception {
    String body =
        "[{\"event_type\":\"A\",\"user_id\":\"u1\"},{\"event_type\":\"Anonymous\"},"
            + "{\"event_type\":\"C\",\"device_id\":\"d1\"}]";
    try (Response r = post(body, "X-Weir-Key", KEY)) {
      assertThat(r.code()).isEqualTo(200);
      JsonNode json = JSON.readTree(r.body().string());
      JsonNode results = json.get("results");
      assertThat(results.get(1).get("index").asInt()).isEqualTo(1);
      assertThat(results.get(1).get("status").asText()).isEqualTo("invalid");
      assertThat(results.get(1).get("error").asText())
          .isEqualTo("device_id: an event needs a user_id or a device_id");
      assertThat(json.get("accepted").asInt()).isEqualTo(2);
      assertThat(json.get("invalid").asInt()).isEqualTo(1);
    }
    assertThat(context.submitted).extracting(e -> e.eventType()).containsExactly("A", "C");
  }

  @Test
  void requestWhoseEveryEventIsInvalidGets400() throws Exception {
    try (Response r = post("[{\"nope\":1}]", "X-Weir-Key", KEY)) {
      assertThat(r.code()).isEqualTo(400);
      assertThat(r.body().string()).contains("unknown event field 'nope'");
    }
  }

  @Test
  void missingOrWrongWriteKeyGets401AndNothingIsSubmitted() throws Exception {
    try (Response r = post("[{\"event_type\":\"A\"}]", null, null)) {
      assertThat(r.code()).isEqualTo(401);
    }
    try (Response r = post("[{\"event_type\":\"A\"}]", "Authorization", "Bearer wrong-key-000")) {
      assertThat(r.code()).isEqualTo(401);
    }
    assertThat(context.submitted).isEmpty();
  }

  @Test
  void bodyThatIsNotJsonGets400() throws Exception {
    try (Response r = post("[{\"event_type\":", "X-Weir-Key", KEY)) {
      assertThat(r.code()).isEqualTo(400);
      assertThat(r.body().string()).contains("invalid JSON");
    }
  }

  @Test
  void bodyOverTheSizeLimitGets413AndNothingIsSubmitted() throws Exception {
    String big =
        "[{\"event_type\":\"A\",\"event_properties\":{\"pad\":\"" + "x".repeat(2 << 20) + "\"}}]";
    try (Response r = post(big, "X-Weir-Key", KEY)) {
      assertThat(r.code()).isEqualTo(413);
    }
    assertThat(context.submitted).isEmpty();
  }

  @Test
  void moreEventsThanAllowedPerRequestGets413() throws Exception {
    source.stop();
    context =
        new RecordingSourceContext(
            Map.of(
                "port",
                0,
                "host",
                "127.0.0.1",
                "write_keys",
                List.of(KEY),
                "max_events_per_request",
                2));
    source.start(context);
    try (Response r =
        post(
            "[{\"event_type\":\"A\"},{\"event_type\":\"B\"},{\"event_type\":\"C\"}]",
            "X-Weir-Key",
            KEY)) {
      assertThat(r.code()).isEqualTo(413);
      assertThat(r.body().string()).contains("too many events: 3 > 2");
    }
    assertThat(context.submitted).isEmpty();
  }

  @Test
  void stopWaitsForRequestsInFlightAndRefusesNewOnes() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    context.slowStore = release;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.Future<Integer> inFlight =
          pool.submit(
              () -> {
                try (Response r =
                    post("[{\"event_type\":\"A\",\"user_id\":\"u1\"}]", "X-Weir-Key", KEY)) {
                  return r.code();
                }
              });
      assertThat(context.submitEntered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      int port = source.port();
      java.util.concurrent.Future<?> stopping =
          pool.submit(
              () -> {
                source.stop();
                return null;
              });
      // While stopping, a new request is refused with 503 (the port is still open).
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(
              () -> {
                Request req =
                    new Request.Builder()
                        .url("http://127.0.0.1:" + port + "/v1/events")
                        .header("X-Weir-Key", KEY)
                        .post(RequestBody.create("[]", MediaType.get("application/json")))
                        .build();
                try (Response r = client.newCall(req).execute()) {
                  return r.code() == 503;
                }
              });
      assertThat(stopping.isDone()).as("stop waits for the request in flight").isFalse();
      release.countDown();
      assertThat(inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
      stopping.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(context.submitted).hasSize(1);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void storeThatCannotTakeEventsGives503WithRetryAfter() throws Exception {
    context.storeDown = true;
    try (Response r = post("[{\"event_type\":\"A\",\"user_id\":\"u1\"}]", "X-Weir-Key", KEY)) {
      assertThat(r.code()).isEqualTo(503);
      assertThat(r.header("Retry-After")).isEqualTo("1");
    }
  }
}
