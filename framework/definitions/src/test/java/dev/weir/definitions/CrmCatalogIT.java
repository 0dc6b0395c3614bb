package dev.weir.definitions;

import static dev.weir.definitions.VendorStack.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRM and engagement, end to end: HubSpot, Braze and Klaviyo definitions deliver through the real
 * delivery engine to a MockWebServer answering as their API references document.
 */
class CrmCatalogIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  static JsonNode body(RecordedRequest r) {
    try {
      return JSON.readTree(r.getBody().utf8());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> identify(String user, String email) {
    return Map.of(
        "event_type",
        "$identify",
        "user_id",
        user,
        "insert_id",
        "i-" + user,
        "time",
        1_700_000_000_000L,
        "user_properties",
        Map.of("email", email));
  }

  @Test
  void hubspotMultiStatusDeadLettersTheContactsItNamesByEmail() throws Exception {
    try (VendorStack stack =
        VendorStack.start(
            server,
            dir,
            "hubspot-contacts.yaml",
            Map.of("access_token", "pat-na1-secret"),
            r -> {
              // HubSpot: 207 with one error per invalid email, listed by id, in reverse order
              List<String> errors = new ArrayList<>();
              JsonNode inputs = body(r).path("inputs");
              for (int i = inputs.size() - 1; i >= 0; i--) {
                String id = inputs.get(i).path("id").asText();
                if (!id.contains(".")) {
                  errors.add(
                      "{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\",\"message\":\"Email "
                          + id
                          + " is invalid\",\"context\":{\"ids\":[\""
                          + id
                          + "\"]}}");
                }
              }
              return errors.isEmpty()
                  ? json(200, "{\"status\":\"COMPLETE\",\"results\":[]}")
                  : json(
                      207,
                      "{\"status\":\"COMPLETE\",\"results\":[],\"errors\":["
                          + String.join(",", errors)
                          + "]}");
            })) {
      stack.deliver(
          List.of(
              identify("u1", "Ann@Example.com"),
              identify("u2", "bob@example"),
              identify("u3", "cy@example.org"),
              identify("u4", "dee@localhost")));

      assertThat(stack.deadLetters())
          .extracting(dl -> dl.event().userId())
          .containsExactlyInAnyOrder("u2", "u4");
      assertThat(stack.deadLetters())
          .allSatisfy(dl -> assertThat(dl.response()).contains("VALIDATION_ERROR"));
      assertThat(stack.delivered()).isEqualTo(2);
      RecordedRequest r = stack.requests.get(0);
      assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer pat-na1-secret");
      assertThat(body(r).at("/inputs/0/id").asText()).isEqualTo("ann@example.com");
    }
  }

  @Test
  void brazeMapsErrorsByIndexWithinEachArrayAndBatchesDeletions() throws Exception {
    try (VendorStack stack =
        VendorStack.start(
            server,
            dir,
            "braze-users-track.yaml",
            Map.of("api_key", "braze-key", "rest_endpoint", "https://rest.iad-01.braze.com"),
            r -> {
              if (r.getUrl().encodedPath().equals("/users/delete")) {
                return json(
                    201,
                    "{\"deleted\":"
                        + body(r).path("external_ids").size()
                        + ",\"message\":\"success\"}");
              }
              JsonNode events = body(r).path("events");
              List<String> errors = new ArrayList<>();
              for (int i = 0; i < events.size(); i++) {
                if (events.get(i).path("name").asText().isBlank()) {
                  errors.add(
                      "{\"type\":\"Event name is required\",\"input_array\":\"events\",\"index\":"
                          + i
                          + "}");
                }
              }
              return json(
                  201, "{\"message\":\"success\",\"errors\":[" + String.join(",", errors) + "]}");
            })) {
      List<Map<String, Object>> events = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        events.add(
            Map.of(
                "event_type",
                i == 3 ? " " : "Viewed Item",
                "user_id",
                "u" + i,
                "insert_id",
                "e" + i,
                "time",
                1_700_000_000_000L));
      }
      events.add(
          Map.of(
              "event_type",
              "weir_delete_user",
              "user_id",
              "gone-1",
              "insert_id",
              "d1",
              "time",
              1L));
      events.add(
          Map.of(
              "event_type",
              "weir_delete_user",
              "user_id",
              "gone-2",
              "insert_id",
              "d2",
              "time",
              1L));
      stack.deliver(events);

      assertThat(stack.deadLetters()).extracting(dl -> dl.event().insertId()).containsExactly("e3");
      assertThat(stack.deadLetters().get(0).response())
          .contains("events[3]: Event name is required");
      assertThat(stack.delivered()).isEqualTo(7);
      List<RecordedRequest> deletes = stack.calls("/users/delete");
      assertThat(deletes).hasSize(1);
      assertThat(body(deletes.get(0)).path("external_ids").toString())
          .isEqualTo("[\"gone-1\",\"gone-2\"]");
    }
  }

  @Test
  void klaviyoThrottlingHonoursRetryAfterThenAccepts() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<Long> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (VendorStack stack =
        VendorStack.start(
            server,
            dir,
            "klaviyo-events.yaml",
            Map.of("private_api_key", "pk_live"),
            r -> {
              arrivals.add(System.nanoTime());
              return calls.incrementAndGet() == 1
                  ? new MockResponse.Builder()
                      .code(429)
                      .addHeader("Retry-After", "1")
                      .addHeader("Content-Type", "application/json")
                      .body(
                          "{\"errors\":[{\"status\":429,\"code\":\"throttled\",\"title\":\"Request"
                              + " was throttled.\"}]}")
                      .build()
                  : new MockResponse.Builder().code(202).build();
            })) {
      stack.deliver(
          List.of(
              Map.of(
                  "event_type", "Placed Order",
                  "user_id", "u-42",
                  "insert_id", "o1",
                  "time", 1_700_000_000_000L,
                  "revenue", 9.99)));

      assertThat(stack.delivered()).isEqualTo(1);
      assertThat(stack.requests).hasSize(2);
      // the engine waited for Retry-After (1 s), not its 20 ms backoff
      assertThat(arrivals.get(1) - arrivals.get(0)).isGreaterThanOrEqualTo(900_000_000L);
      RecordedRequest ok = stack.requests.get(1);
      assertThat(ok.getHeaders().get("Authorization")).isEqualTo("Klaviyo-API-Key pk_live");
      assertThat(ok.getHeaders().get("revision")).isEqualTo("2026-10-15");
      assertThat(body(ok).at("/data/attributes/unique_id").asText()).isEqualTo("o1");
    }
  }
}
