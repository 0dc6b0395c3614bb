package dev.weir.connectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.testkit.TestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class WebhookDestinationTest {
  @StartStop final MockWebServer server = new MockWebServer();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Event A =
      Event.builder().eventType("Purchase").userId("u1").time(1L).insertId("a").build();
  private static final Event B =
      Event.builder().eventType("Viewed").deviceId("d2").time(2L).insertId("b").build();

  private WebhookDestination started(Map<String, ?> extra) {
    WebhookDestination d = new WebhookDestination();
    java.util.Map<String, Object> s = new java.util.HashMap<>(extra);
    s.putIfAbsent("read_timeout_ms", 5000);
    s.put("url", server.url("/hook").toString());
    d.start(TestContext.of(d.spec(), s));
    return d;
  }

  @Test
  void batchIsPostedAsJsonEventsWithConfiguredHeadersAndReportedDelivered() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    WebhookDestination d = started(Map.of("headers", Map.of("Authorization", "Bearer s3cret")));

    List<Outcome> outcomes = d.deliver(List.of(A, B));

    assertThat(outcomes)
        .extracting(Outcome::status)
        .containsExactly(Outcome.Status.DELIVERED, Outcome.Status.DELIVERED);
    RecordedRequest req = server.takeRequest();
    assertThat(req.getMethod()).isEqualTo("POST");
    assertThat(req.getTarget()).isEqualTo("/hook");
    assertThat(req.getHeaders().get("Authorization")).isEqualTo("Bearer s3cret");
    assertThat(req.getHeaders().get("Content-Type")).startsWith("application/json");
    JsonNode body = JSON.readTree(req.getBody().utf8());
    assertThat(body.get("events")).hasSize(2);
    assertThat(body.get("events").get(0).get("event_type").asText()).isEqualTo("Purchase");
    assertThat(body.get("events").get(1).get("device_id").asText()).isEqualTo("d2");
  }

  @Test
  void resultsFieldGivesEachEventItsOwnOutcome() {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .body(
                """
        {"results": [ {"status": "ok"}, {"status": "error", "error": "user_id unknown"} ]}""")
            .build());
    List<Outcome> outcomes = started(Map.of("results_field", "results")).deliver(List.of(A, B));
    assertThat(outcomes)
        .extracting(Outcome::status)
        .containsExactly(Outcome.Status.DELIVERED, Outcome.Status.REJECTED);
    assertThat(outcomes.get(1).reason()).isEqualTo("user_id unknown");
  }

  @Test
  void resultsWithRetryStatusesOrBooleansAreMappedPerEvent() {
    server.enqueue(
        new MockResponse.Builder().code(207).body("{\"r\": [ {\"status\": 503}, true ]}").build());
    List<Outcome> outcomes = started(Map.of("results_field", "r")).deliver(List.of(A, B));
    assertThat(outcomes)
        .extracting(Outcome::status)
        .containsExactly(Outcome.Status.RETRY, Outcome.Status.DELIVERED);
  }

  @Test
  void responseWithoutAMatchingResultsArrayFallsBackToTheHttpStatus() {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .body("{\"results\": [ {\"status\": \"error\"} ]}")
            .build());
    List<Outcome> outcomes = started(Map.of("results_field", "results")).deliver(List.of(A, B));
    assertThat(outcomes)
        .extracting(Outcome::status)
        .containsExactly(Outcome.Status.DELIVERED, Outcome.Status.DELIVERED);
  }

  @Test
  void serverErrorIsRetryable() {
    server.enqueue(new MockResponse.Builder().code(503).build());
    List<Outcome> outcomes = started(Map.of()).deliver(List.of(A));
    assertThat(outcomes.get(0).status()).isEqualTo(Outcome.Status.RETRY);
    assertThat(outcomes.get(0).statusCode()).isEqualTo(503);
  }

  @Test
  void tooManyRequestsHonoursRetryAfterSeconds() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "7").build());
    Outcome o = started(Map.of()).deliver(List.of(A, B)).get(1);
    assertThat(o.status()).isEqualTo(Outcome.Status.RETRY);
    assertThat(o.retryAfter()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void clientErrorRejectsTheBatchWithTheStatusInTheReason() {
    server.enqueue(new MockResponse.Builder().code(400).build());
    Outcome o = started(Map.of()).deliver(List.of(A)).get(0);
    assertThat(o.status()).isEqualTo(Outcome.Status.REJECTED);
    assertThat(o.reason()).contains("400");
  }

  @Test
  void requestTimeoutIsRetryable() {
    // OkHttp itself repeats a request once after a 408; a second 408 comes back to us.
    server.enqueue(new MockResponse.Builder().code(408).build());
    server.enqueue(new MockResponse.Builder().code(408).build());
    assertThat(started(Map.of()).deliver(List.of(A)).get(0).status())
        .isEqualTo(Outcome.Status.RETRY);
  }

  @Test
  void connectionFailureIsRetryable() throws Exception {
    WebhookDestination d = started(Map.of("connect_timeout_ms", 500));
    server.close();
    Outcome o = d.deliver(List.of(A)).get(0);
    assertThat(o.status()).isEqualTo(Outcome.Status.RETRY);
    assertThat(o.reason()).startsWith("I/O error");
  }

  @Test
  void retryAfterAsHttpDateIsTheTimeUntilThatDate() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(StatusMapping.retryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(StatusMapping.retryAfter("soon", now)).isNull();
  }
}
