package dev.weir.definitions;

import static dev.weir.definitions.VendorStack.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.delivery.DeadLetter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ads and conversions, end to end: catalog definitions deliver through the real delivery engine to
 * a MockWebServer that answers as the vendor's API reference documents (per-event results, error
 * codes in the body, OAuth2 token refresh).
 */
class AdvertisingCatalogIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JANE_EMAIL_SHA256 =
      "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d";

  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  static Map<String, Object> order(String id, long time, String email) {
    return Map.of(
        "event_type",
        "Order Completed",
        "user_id",
        "u-" + id,
        "insert_id",
        id,
        "time",
        time,
        "revenue",
        10.0,
        "user_properties",
        Map.of("email", email));
  }

  static JsonNode body(RecordedRequest r) {
    try {
      return JSON.readTree(r.getBody().utf8());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void pinterestDeadLettersExactlyTheEventsItsResultListMarksFailed() throws Exception {
    try (VendorStack stack =
        VendorStack.start(
            server,
            dir,
            "pinterest-conversions-api.yaml",
            Map.of("ad_account_id", "549755885175", "access_token", "pina-secret"),
            r -> {
              // Pinterest answers 200 with one result per sent event, in order: fail stale events
              List<String> results = new ArrayList<>();
              for (JsonNode e : body(r).path("data")) {
                boolean stale = e.path("event_time").asLong() < 1_690_000_000L;
                results.add(
                    stale
                        ? "{\"status\":\"failed\",\"error_message\":\"event_time: older than 7 days\"}"
                        : "{\"status\":\"processed\",\"error_message\":null}");
              }
              return json(
                  200,
                  "{\"num_events_received\":"
                      + results.size()
                      + ",\"events\":["
                      + String.join(",", results)
                      + "]}");
            })) {
      List<Map<String, Object>> events = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        long time = i % 3 == 1 ? 1_600_000_000_000L : 1_700_000_000_000L;
        events.add(order("o-" + i, time, " Jane.Doe@Example.COM"));
      }
      stack.deliver(events);

      assertThat(stack.deadLetters())
          .extracting(dl -> dl.event().insertId())
          .containsExactlyInAnyOrder("o-1", "o-4", "o-7");
      assertThat(stack.deadLetters())
          .extracting(DeadLetter::response)
          .allSatisfy(r -> assertThat(r).contains("event_time: older than 7 days"));
      assertThat(stack.delivered()).isEqualTo(5);
      RecordedRequest first = stack.requests.get(0);
      assertThat(first.getHeaders().get(VendorStack.ORIGINAL_URL))
          .isEqualTo("https://api.pinterest.com/v5/ad_accounts/549755885175/events");
      assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer pina-secret");
      assertThat(body(first).at("/data/0/user_data/em/0").asText()).isEqualTo(JANE_EMAIL_SHA256);
    }
  }

  @Test
  void metaThrottlingReportedInsideA400IsRetriedUntilAccepted() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (VendorStack stack =
        VendorStack.start(
            server,
            dir,
            "meta-conversions-api.yaml",
            Map.of("pixel_id", "1234567890123456", "access_token", "EAAG-secret"),
            r ->
                calls.incrementAndGet() <= 2
                    ? json(
                        400,
                        "{\"error\":{\"message\":\"(#17) User request limit reached\","
                            + "\"type\":\"OAuthException\",\"code\":17,\"is_transient\":true}}")
                    : json(200, "{\"events_received\":3,\"messages\":[],\"fbtrace_id\":\"x\"}"))) {
      stack.deliver(
          List.of(
              order("a", 1_700_000_000_000L, "a@example.com"),
              order("b", 1_700_000_000_000L, "b@example.com"),
              order("c", 1_700_000_000_000L, "c@example.com")));

      assertThat(stack.delivered()).isEqualTo(3);
      assertThat(stack.deadLetters()).isEmpty();
      assertThat(stack.requests).hasSize(3);
      assertThat(stack.requests.get(2).getHeaders().get(VendorStack.ORIGINAL_URL))
          .isEqualTo("https://graph.facebook.com/v25.0/1234567890123456/events");
      assertThat(stack.requests.get(2).getUrl().queryParameter("access_token"))
          .isEqualTo("EAAG-secret");
      assertThat(body(stack.requests.get(2)).at("/data/0/event_name").asText())
          .isEqualTo("Purchase");
    }
  }

  @Test
  void googleAdsRefreshesItsOAuth2TokenOn401AndMapsPartialFailuresBackByIndex() throws Exception {
    AtomicInteger tokens = new AtomicInteger();
    List<String> tokenForms = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (VendorStack stack =
        VendorStack.start(
            server,
            dir,
            "google-ads-conversions.yaml",
            Map.of(
                "customer_id", "1234567890",
                "conversion_action_id", "987654321",
                "developer_token", "dev-token",
                "client_id", "cid.apps.googleusercontent.com",
                "client_secret", "cs",
                "refresh_token", "1//rt"),
            r -> {
              if (r.getUrl().encodedPath().equals("/token")) {
                tokenForms.add(r.getBody().utf8());
                return json(
                    200,
                    "{\"access_token\":\"ya29.t"
                        + tokens.incrementAndGet()
                        + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
              }
              if (!"Bearer ya29.t2".equals(r.getHeaders().get("Authorization"))) {
                return json(
                    401,
                    "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication"
                        + " credentials.\",\"status\":\"UNAUTHENTICATED\"}}");
              }
              // partial failure: the second conversion's gclid cannot be decoded
              return json(
                  200,
                  """
                  {"partialFailureError": {"code": 3, "message": "The click identifier could not be decoded.",
                    "details": [{"@type": "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure",
                      "errors": [{"errorCode": {"conversionUploadError": "UNPARSEABLE_GCLID"},
                                  "message": "The click identifier could not be decoded.",
                                  "location": {"fieldPathElements": [{"fieldName": "conversions", "index": 1},
                                                                     {"fieldName": "gclid"}]}}]}]},
                   "results": [{"gclid": "G0"}, {}, {"gclid": "G2"}]}""");
            })) {
      List<Map<String, Object>> events = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        events.add(
            Map.of(
                "event_type",
                "Order Completed",
                "insert_id",
                "g-" + i,
                "time",
                1_700_000_000_000L,
                "event_properties",
                Map.of("gclid", "G" + i)));
      }
      stack.deliver(events);

      assertThat(stack.deadLetters())
          .extracting(dl -> dl.event().insertId())
          .containsExactly("g-1");
      assertThat(stack.deadLetters().get(0).response()).contains("UNPARSEABLE_GCLID");
      assertThat(stack.delivered()).isEqualTo(2);
      assertThat(tokenForms).hasSize(2);
      assertThat(tokenForms.get(0)).contains("grant_type=refresh_token", "client_id=cid");
      List<RecordedRequest> uploads = stack.calls(":uploadClickConversions");
      assertThat(uploads).hasSize(2);
      assertThat(uploads.get(1).getHeaders().get("developer-token")).isEqualTo("dev-token");
      assertThat(uploads.get(1).getHeaders().get(VendorStack.ORIGINAL_URL))
          .isEqualTo(
              "https://googleads.googleapis.com/v26/customers/1234567890:uploadClickConversions");
      assertThat(body(uploads.get(1)).at("/partialFailure").asBoolean()).isTrue();
    }
  }
}
