package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.ndjsonLines;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracking plans enforced by the running host: blocked events stay out, flagged ones carry
 * violations.
 */
class GovernanceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "gov-write-key-1";

  @TempDir Path dir;
  private final OkHttpClient client = new OkHttpClient();

  private Path workspace(int port, String blocked) throws Exception {
    Files.writeString(
        dir.resolve("shop-v1.yaml"),
        """
        id: shop
        version: 1
        events:
          Order Completed:
            event_properties:
              type: object
              properties:
                total: { type: number, minimum: 0 }
              required: [ total ]
        """);
    String quarantineRoute =
        blocked.equals("quarantine")
            ? "  - { from: \"web:quarantine\", to: [ quarantined ] }\n"
            : "";
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        store: { dir: "%s/store", partitions: 2 }
        tracking_plans: [ shop-v1.yaml ]
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "%s" ] }
            tracking_plan: { id: shop, on_unplanned_event: block, on_invalid_value: flag, blocked: %s }
        destinations:
          - id: files
            type: file
            settings: { dir: "%s/out" }
            delivery: { max_batch_delay_ms: 0 }
          - id: quarantined
            type: file
            settings: { dir: "%s/quarantine" }
            delivery: { max_batch_delay_ms: 0 }
        routes:
          - { from: web, to: [ files ] }
        %s"""
            .formatted(dir, port, KEY, blocked, dir, dir, quarantineRoute));
    return dir.resolve("workspace.yaml");
  }

  private static final String EVENTS =
      """
      [ {"event_type":"Order Completed","user_id":"u1","insert_id":"ok-1","event_properties":{"total":12.5}},
        {"event_type":"Order Completed","user_id":"u1","insert_id":"bad-1","event_properties":{"total":"twelve"}},
        {"event_type":"Debug Ping","user_id":"u1","insert_id":"unplanned-1"} ]""";

  @Test
  void blockedEventIsNotDeliveredAndFlaggedEventArrivesWithItsViolations() throws Exception {
    int port = freePort();
    try (Weir weir = Weir.builder().workspace(workspace(port, "drop")).start()) {
      String[] r = post(client, "http://127.0.0.1:" + port + "/v1/events", KEY, EVENTS);
      JsonNode results = JSON.readTree(r[1]).get("results");
      assertThat(results.findValuesAsText("status")).containsExactly("stored", "stored", "blocked");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> ndjsonLines(dir.resolve("out")).size() == 2);
    }
    List<JsonNode> out = ndjsonLines(dir.resolve("out")).stream().map(GovernanceIT::json).toList();
    assertThat(out)
        .extracting(n -> n.get("insert_id").asText())
        .containsExactlyInAnyOrder("ok-1", "bad-1");
    JsonNode bad =
        out.stream()
            .filter(n -> n.get("insert_id").asText().equals("bad-1"))
            .findFirst()
            .orElseThrow();
    assertThat(bad.get("violations").findValuesAsText("type")).contains("type-mismatch");
    assertThat(bad.get("violations").findValuesAsText("field")).contains("event_properties.total");
    JsonNode ok =
        out.stream()
            .filter(n -> n.get("insert_id").asText().equals("ok-1"))
            .findFirst()
            .orElseThrow();
    assertThat(ok.path("violations").size()).isZero();
    // Nothing is routed to the quarantine files in drop mode.
    assertThat(ndjsonLines(dir.resolve("quarantine"))).isEmpty();
  }

  @Test
  void blockedEventGoesToTheQuarantineDestinationOnly() throws Exception {
    int port = freePort();
    try (Weir weir = Weir.builder().workspace(workspace(port, "quarantine")).start()) {
      post(client, "http://127.0.0.1:" + port + "/v1/events", KEY, EVENTS);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  ndjsonLines(dir.resolve("quarantine")).size() == 1
                      && ndjsonLines(dir.resolve("out")).size() == 2);
    }
    JsonNode q = json(ndjsonLines(dir.resolve("quarantine")).get(0));
    assertThat(q.get("insert_id").asText()).isEqualTo("unplanned-1");
    assertThat(q.get("source_id").asText()).isEqualTo("web:quarantine");
    assertThat(q.get("violations").findValuesAsText("type")).contains("unplanned-event");
    assertThat(ndjsonLines(dir.resolve("out"))).noneMatch(l -> l.contains("unplanned-1"));
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }
}
