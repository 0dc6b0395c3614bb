package dev.weir.definitions;

import static dev.weir.definitions.VendorStack.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Product analytics, end to end: catalog definitions deliver through the real delivery engine to a
 * MockWebServer answering as Amplitude, Mixpanel and Segment document it.
 */
class AnalyticsCatalogIT {
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

  static List<Map<String, Object>> events(int n, java.util.function.IntPredicate bad) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          Map.of(
              "event_type",
              "Song Played",
              "user_id",
              "user-" + i,
              "insert_id",
              "ins-" + i,
              "time",
              bad.test(i) ? -1L : 1_700_000_000_000L + i));
    }
    return out;
  }

  @Test
  void amplitudeRejectsInvalidEventsByIndexAndTheRestAreResentUntilIngestedOnce() throws Exception {
    List<String> ingested = new CopyOnWriteArrayList<>();
    try (VendorStack stack =
        VendorStack.start(
            server,
            dir,
            "amplitude-http-v2.yaml",
            Map.of("api_key", "0123456789abcdef0123456789abcdef"),
            r -> {
              // Amplitude: a 400 names invalid events by index and ingests nothing of the request
              JsonNode b = body(r);
              List<Integer> invalid = new ArrayList<>();
              for (int i = 0; i < b.path("events").size(); i++) {
                if (b.path("events").get(i).path("time").asLong() < 0) {
                  invalid.add(i);
                }
              }
              if (!b.path("api_key").asText().equals("0123456789abcdef0123456789abcdef")) {
                return json(400, "{\"code\":400,\"error\":\"Invalid API key\"}");
              }
              if (!invalid.isEmpty()) {
                return json(
                    400,
                    "{\"code\":400,\"error\":\"Invalid field values on some events\","
                        + "\"events_with_invalid_fields\":{\"time\":"
                        + invalid
                        + "}}");
              }
              b.path("events").forEach(e -> ingested.add(e.path("insert_id").asText()));
              return json(
                  200, "{\"code\":200,\"events_ingested\":" + b.path("events").size() + "}");
            })) {
      stack.deliver(events(20, i -> i % 6 == 2));

      assertThat(stack.deadLetters())
          .extracting(dl -> dl.event().insertId())
          .containsExactlyInAnyOrder("ins-2", "ins-8", "ins-14");
      assertThat(stack.deadLetters())
          .allSatisfy(dl -> assertThat(dl.response()).contains("invalid time"));
      assertThat(stack.delivered()).isEqualTo(17);
      assertThat(ingested).hasSize(17).doesNotHaveDuplicates();
      assertThat(stack.requests.get(0).getHeaders().get(VendorStack.ORIGINAL_URL))
          .isEqualTo("https://api2.amplitude.com/2/httpapi");
    }
  }

  @Test
  void mixpanelStrictModeKeepsTheImportedRecordsAndDeadLettersOnlyTheFailedOnes() throws Exception {
    Set<String> imported = ConcurrentHashMap.newKeySet();
    try (VendorStack stack =
        VendorStack.start(
            server,
            dir,
            "mixpanel-import.yaml",
            Map.of(
                "project_id", "2195193",
                "service_account_username", "weir.sa",
                "service_account_secret", "sa-secret"),
            r -> {
              if (!okhttp3.Credentials.basic("weir.sa", "sa-secret")
                  .equals(r.getHeaders().get("Authorization"))) {
                return json(401, "{\"error\":\"Invalid credentials\",\"status\":0}");
              }
              JsonNode b = body(r);
              List<String> failed = new ArrayList<>();
              for (int i = 0; i < b.size(); i++) {
                JsonNode p = b.get(i).path("properties");
                if (p.path("time").asLong() < 0) {
                  failed.add(
                      "{\"index\":"
                          + i
                          + ",\"$insert_id\":\""
                          + p.path("$insert_id").asText()
                          + "\",\"field\":\"properties.time\",\"message\":\"'properties.time' is"
                          + " invalid\"}");
                } else {
                  imported.add(p.path("$insert_id").asText());
                }
              }
              return failed.isEmpty()
                  ? json(200, "{\"code\":200,\"num_records_imported\":" + b.size() + "}")
                  : json(
                      400,
                      "{\"code\":400,\"status\":\"Bad Request\",\"failed_records\":["
                          + String.join(",", failed)
                          + "]}");
            })) {
      stack.deliver(events(12, i -> i == 4 || i == 9));

      assertThat(stack.deadLetters())
          .extracting(dl -> dl.event().insertId())
          .containsExactlyInAnyOrder("ins-4", "ins-9");
      assertThat(stack.delivered()).isEqualTo(10);
      assertThat(imported).hasSize(10);
      // strict mode imported the valid records: nothing was sent twice
      assertThat(stack.requests).hasSize(1);
      assertThat(stack.requests.get(0).getUrl().queryParameter("strict")).isEqualTo("1");
    }
  }

  @Test
  void segmentSignsTrackWithTheWriteKeyAndFilesDeletionsWithThePublicApiToken() throws Exception {
    try (VendorStack stack =
        VendorStack.start(
            server,
            dir,
            "segment-http-tracking.yaml",
            Map.of("write_key", "wk-123", "public_api_token", "sgp_abc"),
            r ->
                r.getUrl().encodedPath().equals("/regulations")
                    ? json(200, "{\"data\":{\"regulateId\":\"2aE1oB6mG\"}}")
                    : json(200, "{\"success\":true}"))) {
      stack.deliver(
          List.of(
              Map.of("event_type", "Signed Up", "user_id", "u-1", "insert_id", "a", "time", 1L),
              Map.of(
                  "event_type",
                  "weir_delete_user",
                  "user_id",
                  "u-9",
                  "insert_id",
                  "d",
                  "time",
                  2L)));

      assertThat(stack.delivered()).isEqualTo(2);
      RecordedRequest track = stack.calls("/v1/batch").get(0);
      assertThat(track.getHeaders().get("Authorization"))
          .isEqualTo(okhttp3.Credentials.basic("wk-123", ""));
      assertThat(body(track).at("/batch/0/messageId").asText()).isEqualTo("a");
      RecordedRequest regulation = stack.calls("/regulations").get(0);
      assertThat(regulation.getHeaders().get("Authorization")).isEqualTo("Bearer sgp_abc");
      assertThat(regulation.getHeaders().get(VendorStack.ORIGINAL_URL))
          .isEqualTo("https://api.segmentapis.com/regulations");
      assertThat(body(regulation).at("/subjectIds/0").asText()).isEqualTo("u-9");
    }
  }
}
