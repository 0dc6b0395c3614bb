package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.ndjsonLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Segment and Amplitude Node.js SDKs ({@code @segment/analytics-node}, {@code
 * @amplitude/analytics-node}, from npm, unchanged) against a running Weir: every call type each SDK
 * has, with the client's clock one hour ahead (a fake {@code Date} in the script), checked field by
 * field in what the file destination writes. Installs the packages with npm on first run (or {@code
 * .ci/run} does); skips loudly without node, except under {@code CI=true}, where that fails.
 */
class NodeClientsIT {
  static final Path CLIENTS = Path.of("src/test/node-clients").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "node-clients-key-1";
  private static final long SKEW = 3_600_000L;

  @TempDir Path dir;

  @BeforeAll
  static void packages() throws Exception {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    String missing = onPath("node") && onPath("npm") ? null : "node and npm";
    if (missing == null && !installed()) {
      run(List.of("npm", "install", "--no-audit", "--no-fund", "--silent"), CLIENTS, 300);
      if (!installed()) {
        missing = "@segment/analytics-node / @amplitude/analytics-node (npm install failed)";
      }
    }
    if (missing != null) {
      String msg =
          "\n*** NodeClientsIT: "
              + missing
              + " missing, the real-client test DID NOT RUN. Install: apt-get install -y nodejs npm;"
              + " (cd "
              + CLIENTS
              + " && npm install) ***\n";
      System.err.println(msg);
      if (ci) {
        fail("CI=true but " + missing + " is missing" + msg);
      }
      Assumptions.abort(msg);
    }
  }

  private static boolean installed() {
    return Files.isDirectory(CLIENTS.resolve("node_modules/@segment/analytics-node"))
        && Files.isDirectory(CLIENTS.resolve("node_modules/@amplitude/analytics-node"));
  }

  private Path workspace(int port) throws Exception {
    Path ws = dir.resolve("workspace.yaml");
    Files.writeString(
        ws,
        """
        store: { dir: "%s/store", partitions: 2 }
        sources:
          - id: apps
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "%s" ] }
        destinations:
          - id: files
            type: file
            settings: { dir: "%s/out" }
            delivery: { max_batch_delay_ms: 0 }
        routes:
          - { from: apps, to: [ files ] }
        """
            .formatted(dir, port, KEY, dir));
    return ws;
  }

  @Test
  void everyCallOfBothSdksArrivesWithEveryFieldAndTheSegmentClockSkewCorrected() throws Exception {
    int port = freePort();
    try (Weir weir =
        Weir.builder().workspace(workspace(port)).drainTimeout(Duration.ofSeconds(10)).start()) {
      Result r =
          run(
              List.of(
                  "node",
                  CLIENTS.resolve("send-all.mjs").toString(),
                  "http://127.0.0.1:" + port,
                  KEY,
                  Long.toString(SKEW)),
              CLIENTS,
              120);
      assertThat(r.exit).as(r.output).isZero();
      Map<String, Long> trueTimes = new HashMap<>();
      for (String line : r.output.split("\n")) {
        if (line.startsWith("{\"call\"")) {
          JsonNode n = JSON.readTree(line);
          trueTimes.put(n.get("call").asText(), n.get("trueTime").asLong());
        }
      }
      assertThat(trueTimes).hasSize(12);
      Path out = dir.resolve("out");
      await().atMost(Duration.ofSeconds(30)).until(() -> ndjsonLines(out).size() >= 12);
      Map<String, JsonNode> byId = new HashMap<>();
      for (String line : ndjsonLines(out)) {
        JsonNode n = JSON.readTree(line);
        byId.put(n.path("insert_id").asText(), n);
      }
      assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(trueTimes.keySet());
      for (Map.Entry<String, JsonNode> e : byId.entrySet()) {
        String id = e.getKey();
        ObjectNode stored = (ObjectNode) e.getValue().deepCopy();
        long trueTime = trueTimes.get(id);
        long time = stored.remove("time").asLong();
        long upload = stored.remove("upload_time").asLong();
        assertThat(upload).as(id + " upload_time").isBetween(trueTime, trueTime + 60_000);
        if (id.startsWith("seg-")) {
          // Segment: the client's clock is an hour ahead; sentAt corrects it back to the true time.
          assertThat(time).as(id + " time").isBetween(trueTime - 5_000, trueTime + 5_000);
          ObjectNode kept = (ObjectNode) stored.path("event_properties").path("$segment");
          long clientTimestamp = Instant.parse(kept.remove("timestamp").asText()).toEpochMilli();
          long sentAt = Instant.parse(kept.remove("sentAt").asText()).toEpochMilli();
          assertThat(clientTimestamp - trueTime).as(id).isBetween(SKEW - 5_000, SKEW + 5_000);
          assertThat(sentAt).isGreaterThanOrEqualTo(clientTimestamp);
          assertThat(((ObjectNode) kept.get("_metadata")).remove("nodeVersion").asText())
              .startsWith("v");
        } else {
          // Amplitude's HTTP API has no sentAt: time is the client's clock, as sent.
          assertThat(time - trueTime).as(id + " time").isBetween(SKEW - 5_000, SKEW + 5_000);
        }
        assertThat(stored).as(id).isEqualTo(JSON.readTree(EXPECTED.get(id)));
      }
    }
  }

  private static final String CONTEXT_MAPPED =
      """
      "platform":"mac","os_name":"macOS","os_version":"14.4","device_manufacturer":"Apple",
      "device_model":"MacBookPro18,3","country":"DE","city":"Berlin","language":"de-DE",
      "location_lat":52.52,"location_lng":13.405,"ip":"198.51.100.7","user_agent":"weir-test/1.0"
      """;
  private static final String CONTEXT_KEPT =
      """
      "context":{"timezone":"Europe/Berlin","campaign":{"name":"spring","source":"newsletter","medium":"email"},
                 "page":{"url":"https://shop.example/pricing","referrer":"https://search.example/"}}
      """;
  private static final String METADATA = "\"_metadata\":{\"jsRuntime\":\"node\"}";
  private static final String SEGMENT_LIBRARY =
      "\"library\":\"@segment/analytics-node/3.1.0\",\"source_id\":\"apps\"";
  private static final String AMPLITUDE_WHO =
      "\"user_id\":\"amp-user-1\",\"device_id\":\"amp-device-1\"";
  private static final String AMPLITUDE_LIBRARY =
      "\"library\":\"amplitude-node-ts/1.5.73\",\"source_id\":\"apps\"";

  /** Every field of every event as it must arrive, but for the times checked above. */
  private static final Map<String, String> EXPECTED =
      Map.ofEntries(
          Map.entry(
              "seg-identify-1",
              "{\"event_type\":\"$identify\",\"user_id\":\"seg-user-1\",\"insert_id\":\"seg-identify-1\","
                  + "\"event_properties\":{\"$segment\":{"
                  + CONTEXT_KEPT
                  + ",\"integrations\":{},"
                  + METADATA
                  + "}},\"user_properties\":{\"$set\":{\"email\":\"ada@example.com\",\"plan\":\"pro\"}},"
                  + CONTEXT_MAPPED
                  + ","
                  + SEGMENT_LIBRARY
                  + "}"),
          Map.entry(
              "seg-track-1",
              "{\"event_type\":\"Order Completed\",\"user_id\":\"seg-user-1\",\"insert_id\":\"seg-track-1\","
                  + "\"event_properties\":{\"revenue\":42.5,\"currency\":\"EUR\",\"productId\":\"sku-1\","
                  + "\"price\":21.25,\"quantity\":2,\"$segment\":{"
                  + CONTEXT_KEPT
                  + ",\"integrations\":{\"All\":true,\"Mixpanel\":false},"
                  + METADATA
                  + "}},"
                  + CONTEXT_MAPPED
                  + ",\"price\":21.25,\"quantity\":2,\"revenue\":42.5,\"product_id\":\"sku-1\","
                  + "\"currency\":\"EUR\","
                  + SEGMENT_LIBRARY
                  + "}"),
          Map.entry(
              "seg-page-1",
              "{\"event_type\":\"Viewed Pricing Page\",\"device_id\":\"seg-anon-1\",\"insert_id\":\"seg-page-1\","
                  + "\"event_properties\":{\"path\":\"/pricing\",\"category\":\"Docs\",\"name\":\"Pricing\","
                  + "\"$segment\":{\"integrations\":{},"
                  + METADATA
                  + "}},"
                  + SEGMENT_LIBRARY
                  + "}"),
          Map.entry(
              "seg-screen-1",
              "{\"event_type\":\"Viewed Home Screen\",\"user_id\":\"seg-user-1\",\"insert_id\":\"seg-screen-1\","
                  + "\"event_properties\":{\"variant\":\"b\",\"name\":\"Home\",\"$segment\":{\"integrations\":{},"
                  + METADATA
                  + "}},"
                  + SEGMENT_LIBRARY
                  + "}"),
          Map.entry(
              "seg-group-1",
              "{\"event_type\":\"$groupidentify\",\"user_id\":\"seg-user-1\",\"insert_id\":\"seg-group-1\","
                  + "\"event_properties\":{\"$segment\":{\"integrations\":{},"
                  + METADATA
                  + "}},\"groups\":{\"org\":\"acme\"},\"group_properties\":{\"group_type\":\"org\",\"seats\":5},"
                  + SEGMENT_LIBRARY
                  + "}"),
          Map.entry(
              "seg-alias-1",
              "{\"event_type\":\"$alias\",\"user_id\":\"seg-user-1\",\"insert_id\":\"seg-alias-1\","
                  + "\"event_properties\":{\"previous_id\":\"seg-anon-1\",\"$segment\":{\"integrations\":{},"
                  + METADATA
                  + "}},"
                  + SEGMENT_LIBRARY
                  + "}"),
          Map.entry(
              "amp-track-1",
              "{\"event_type\":\"Button Clicked\","
                  + AMPLITUDE_WHO
                  + ",\"insert_id\":\"amp-track-1\",\"event_id\":0,"
                  + "\"event_properties\":{\"color\":\"blue\",\"count\":3},\"platform\":\"Node.js\","
                  + "\"os_name\":\"linux\",\"country\":\"DE\",\"ip\":\"203.0.113.5\","
                  + AMPLITUDE_LIBRARY
                  + "}"),
          Map.entry(
              "amp-identify-1",
              "{\"event_type\":\"$identify\","
                  + AMPLITUDE_WHO
                  + ",\"insert_id\":\"amp-identify-1\",\"event_id\":1,\"user_properties\":{"
                  + "\"$set\":{\"plan\":\"pro\"},\"$setOnce\":{\"first_seen\":\"2026-01-01\"},"
                  + "\"$add\":{\"logins\":1},\"$append\":{\"tags\":\"beta\"},\"$prepend\":{\"tags_first\":\"first\"},"
                  + "\"$preInsert\":{\"list_a\":\"x\"},\"$postInsert\":{\"list_b\":\"y\"},"
                  + "\"$remove\":{\"list_c\":\"z\"},\"$unset\":{\"trial\":\"-\"}},"
                  + AMPLITUDE_LIBRARY
                  + "}"),
          Map.entry(
              "amp-clearall-1",
              "{\"event_type\":\"$identify\","
                  + AMPLITUDE_WHO
                  + ",\"insert_id\":\"amp-clearall-1\",\"event_id\":2,"
                  + "\"user_properties\":{\"$clearAll\":\"-\"},"
                  + AMPLITUDE_LIBRARY
                  + "}"),
          Map.entry(
              "amp-setgroup-1",
              "{\"event_type\":\"$identify\","
                  + AMPLITUDE_WHO
                  + ",\"insert_id\":\"amp-setgroup-1\",\"event_id\":3,"
                  + "\"user_properties\":{\"$set\":{\"org\":[\"acme\",\"globex\"]}},"
                  + "\"groups\":{\"org\":[\"acme\",\"globex\"]},"
                  + AMPLITUDE_LIBRARY
                  + "}"),
          Map.entry(
              "amp-groupidentify-1",
              "{\"event_type\":\"$groupidentify\","
                  + AMPLITUDE_WHO
                  + ",\"insert_id\":\"amp-groupidentify-1\",\"event_id\":4,"
                  + "\"groups\":{\"org\":\"acme\"},"
                  + "\"group_properties\":{\"$set\":{\"seats\":5},\"$add\":{\"logins\":1}},"
                  + AMPLITUDE_LIBRARY
                  + "}"),
          Map.entry(
              "amp-revenue-1",
              "{\"event_type\":\"revenue_amount\","
                  + AMPLITUDE_WHO
                  + ",\"insert_id\":\"amp-revenue-1\",\"event_id\":5,"
                  + "\"event_properties\":{\"coupon\":\"SPRING\",\"$productId\":\"sku-9\",\"$quantity\":3,"
                  + "\"$price\":9.5,\"$revenueType\":\"purchase\",\"$currency\":\"EUR\","
                  + "\"$receipt\":\"receipt-1\",\"$receiptSig\":\"sig-1\"},"
                  + "\"price\":9.5,\"quantity\":3,\"revenue\":28.5,\"product_id\":\"sku-9\","
                  + "\"revenue_type\":\"purchase\",\"currency\":\"EUR\","
                  + AMPLITUDE_LIBRARY
                  + "}"));

  record Result(int exit, String output) {}

  static Result run(List<String> cmd, Path cwd, int timeoutSeconds) throws Exception {
    Path log = Files.createTempFile("weir-node", ".log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    return new Result(p.isAlive() ? -1 : p.exitValue(), out);
  }

  static boolean onPath(String exe) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, exe))) {
        return true;
      }
    }
    return false;
  }
}
