package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.host.config.WorkspaceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination defined by a partner YAML definition ({@code definition: id@version}), run by the
 * host.
 */
class PartnerDefinitionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "partner-write-key";

  @StartStop final MockWebServer partner = new MockWebServer();
  @TempDir Path dir;
  private final OkHttpClient client = new OkHttpClient();

  private Path workspace(int port, String pin) throws Exception {
    Files.createDirectories(dir.resolve("defs"));
    Files.writeString(
        dir.resolve("defs/tiny-1.0.0.yaml"),
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata:
          id: tiny-partner
          name: Tiny partner
          version: 1.0.0
          partner: Example
          category: analytics
        settings:
          type: object
          required: [base_url, api_key]
          properties:
            base_url: {type: string}
            api_key: {type: string, secret: true}
        requests:
          - name: track
            trigger:
              where: "true"
            method: POST
            url: "{{ settings.base_url }}/track"
            headers:
              X-Api-Key: "{{ settings.api_key }}"
            body: |
              {"items": [events.{"name": event_type, "id": insert_id}]}
        delivery:
          mode: batch
          batch: {max_events: 100, max_bytes: 1000000, max_delay_ms: 100}
          retry: {success: [200], retry: [429, 5xx], drop: [4xx], max_attempts: 5}
        tests:
          - name: one event, one request
            settings: {base_url: "https://partner.example.com", api_key: "k"}
            events:
              - {event_type: Signed Up, user_id: u1, insert_id: t-1, time: 1700000000000}
            responses:
              - {status: 200, body: ok}
            expect:
              outcomes: [delivered]
        """);
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        store: { dir: "%s/store", partitions: 2 }
        definitions_dir: defs
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "%s" ] }
        destinations:
          - id: tiny
            definition: "%s"
            settings: { base_url: "%s", api_key: "partner-secret-1" }
            delivery: { max_batch_delay_ms: 0 }
        routes:
          - { from: web, to: [ tiny ] }
        """
            .formatted(dir, port, KEY, pin, partner.url("").toString().replaceAll("/$", "")));
    return dir.resolve("workspace.yaml");
  }

  @Test
  void eventsAreDeliveredThroughThePartnerDefinitionNamedByIdAndVersion() throws Exception {
    partner.enqueue(new MockResponse.Builder().code(200).build());
    int port = freePort();
    try (Weir weir = Weir.builder().workspace(workspace(port, "tiny-partner@1.x")).start()) {
      post(
          client,
          "http://127.0.0.1:" + port + "/v1/events",
          KEY,
          "[{\"event_type\":\"Signed Up\",\"user_id\":\"u1\",\"insert_id\":\"pd-1\"}]");
      RecordedRequest req = partner.takeRequest(20, TimeUnit.SECONDS);
      assertThat(req).isNotNull();
      assertThat(req.getUrl().encodedPath()).isEqualTo("/track");
      assertThat(req.getHeaders().get("X-Api-Key")).isEqualTo("partner-secret-1");
      JsonNode items = JSON.readTree(req.getBody().utf8()).get("items");
      assertThat(items.get(0).get("name").asText()).isEqualTo("Signed Up");
      assertThat(items.get(0).get("id").asText()).isEqualTo("pd-1");
    }
  }

  @Test
  void aVersionThatIsNotInstalledIsAConfigurationErrorNamingTheInstalledOnes() throws Exception {
    Path ws = workspace(freePort(), "tiny-partner@2.0.0");
    assertThatThrownBy(() -> Weir.builder().workspace(ws).start())
        .isInstanceOf(WorkspaceException.class)
        .hasMessageContaining("destination 'tiny'")
        .hasMessageContaining("no definition 'tiny-partner@2.0.0'")
        .hasMessageContaining("installed versions: [1.0.0]");
  }
}
