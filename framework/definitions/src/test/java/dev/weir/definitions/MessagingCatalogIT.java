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
 * Messaging and ops, end to end: Slack, Discord and PagerDuty definitions deliver through the real
 * delivery engine to a MockWebServer answering as their references document.
 */
class MessagingCatalogIT {
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

  static Map<String, Object> order(String id, String user) {
    return Map.of(
        "event_type",
        "Order Completed",
        "user_id",
        user,
        "insert_id",
        id,
        "time",
        1_700_000_000_000L,
        "revenue",
        10.0);
  }

  @Test
  void slackRetriesAfterItsRateLimitAndDropsOnlyTheMessageItCallsInvalid() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String hook = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
    try (VendorStack stack =
        VendorStack.start(
            server,
            dir,
            "slack-incoming-webhook.yaml",
            Map.of("webhook_url", hook),
            r -> {
              if (calls.incrementAndGet() == 1) {
                return new MockResponse.Builder()
                    .code(429)
                    .addHeader("Retry-After", "1")
                    .body("rate_limited")
                    .build();
              }
              return body(r).path("text").asText().contains("by bad")
                  ? new MockResponse.Builder().code(400).body("invalid_payload").build()
                  : new MockResponse.Builder().code(200).body("ok").build();
            })) {
      stack.deliver(List.of(order("o1", "u1"), order("o2", "bad"), order("o3", "u3")));

      assertThat(stack.deadLetters()).extracting(dl -> dl.event().insertId()).containsExactly("o2");
      assertThat(stack.deadLetters().get(0).response()).contains("invalid_payload");
      assertThat(stack.delivered()).isEqualTo(2);
      assertThat(stack.requests.get(0).getHeaders().get(VendorStack.ORIGINAL_URL)).isEqualTo(hook);
      assertThat(stack.requests)
          .extracting(r -> body(r).path("text").asText())
          .contains("Order Completed of 10.00 USD by u1", "Order Completed of 10.00 USD by u3");
    }
  }

  @Test
  void discordPostsTenEmbedsPerMessageAndEveryOrderArrivesOnce() throws Exception {
    try (VendorStack stack =
        VendorStack.start(
            server,
            dir,
            "discord-webhook.yaml",
            Map.of("webhook_url", "https://discord.com/api/v10/webhooks/1234/tok-en"),
            r -> json(200, "{\"id\":\"1\",\"type\":0,\"webhook_id\":\"1234\"}"))) {
      List<Map<String, Object>> events = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        events.add(order("o" + i, "u" + i));
      }
      stack.deliver(events);

      assertThat(stack.delivered()).isEqualTo(12);
      List<String> footers = new ArrayList<>();
      for (RecordedRequest r : stack.requests) {
        assertThat(r.getUrl().queryParameter("wait")).isEqualTo("true");
        assertThat(body(r).path("embeds").size()).isLessThanOrEqualTo(10);
        body(r).path("embeds").forEach(e -> footers.add(e.at("/footer/text").asText()));
      }
      assertThat(footers).hasSize(12).doesNotHaveDuplicates();
    }
  }

  @Test
  void pagerDutyTriggersAndResolvesOneAlertByDedupKeyAndDeadLettersAnInvalidEvent()
      throws Exception {
    List<String> actions = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (VendorStack stack =
        VendorStack.start(
            server,
            dir,
            "pagerduty-events-v2.yaml",
            Map.of("routing_key", "R0123456789ABCDEF0123456789ABCDE"),
            r -> {
              JsonNode b = body(r);
              if (!b.path("routing_key").asText().equals("R0123456789ABCDEF0123456789ABCDE")) {
                return json(
                    400, "{\"status\":\"invalid event\",\"errors\":[\"Invalid routing key\"]}");
              }
              if (b.path("dedup_key").asText().length() > 255) {
                return json(
                    400,
                    "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\","
                        + "\"errors\":[\"'dedup_key' must be at most 255 characters\"]}");
              }
              actions.add(b.path("event_action").asText() + ":" + b.path("dedup_key").asText());
              return json(
                  202,
                  "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\""
                      + b.path("dedup_key").asText()
                      + "\"}");
            })) {
      stack.deliver(
          List.of(
              Map.of(
                  "event_type",
                  "Payment Failed",
                  "insert_id",
                  "e1",
                  "time",
                  1L,
                  "event_properties",
                  Map.of("component", "payments-api")),
              Map.of(
                  "event_type",
                  "Payment Failed",
                  "insert_id",
                  "e2",
                  "time",
                  2L,
                  "event_properties",
                  Map.of("component", "search-".repeat(40))),
              Map.of(
                  "event_type",
                  "Service Recovered",
                  "insert_id",
                  "e3",
                  "time",
                  3L,
                  "event_properties",
                  Map.of("component", "payments-api"))));

      assertThat(actions).containsExactly("trigger:payments-api", "resolve:payments-api");
      assertThat(stack.deadLetters()).extracting(dl -> dl.event().insertId()).containsExactly("e2");
      assertThat(stack.deadLetters().get(0).response()).contains("'dedup_key' must be at most 255");
    }
  }
}
