package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar as a child process, SIGKILLed while it delivers to a slow webhook, then started again
 * on the same store: every event the HTTP source acknowledged as stored reaches the webhook at
 * least once.
 */
class CrashRecoveryIT {
  private static final Path JAR = Path.of("..", "target", "weir.jar").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "crash-write-key-1";

  @StartStop final MockWebServer hook = new MockWebServer();
  @TempDir Path dir;
  private final OkHttpClient client = new OkHttpClient();
  private final Set<String> received = ConcurrentHashMap.newKeySet();
  private Process process;

  @AfterEach
  void stop() throws Exception {
    if (process != null) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process launch(Path ws) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-jar", JAR.toString(), "run", "--workspace", ws.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("weir-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  @Test
  void everyStoredEventReachesTheWebhookAfterAKillDuringDelivery() throws Exception {
    assertThat(JAR).as("the fat jar is built by `package`").exists();
    hook.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            try {
              for (JsonNode e : JSON.readTree(request.getBody().utf8()).get("events")) {
                received.add(e.get("insert_id").asText());
              }
            } catch (Exception e) {
              return new MockResponse.Builder().code(400).build();
            }
            // A slow endpoint, so that the kill lands while batches are in flight.
            return new MockResponse.Builder()
                .code(200)
                .headersDelay(100, TimeUnit.MILLISECONDS)
                .build();
          }
        });
    int port = freePort();
    Path ws = dir.resolve("workspace.yaml");
    Files.writeString(
        ws,
        """
        store: { dir: "%s/store", partitions: 2 }
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "%s" ] }
        destinations:
          - id: hook
            type: webhook
            settings: { url: "%s" }
            delivery: { max_batch_events: 10, max_batch_delay_ms: 0, workers: 1 }
        routes:
          - { from: web, to: [ hook ] }
        """
            .formatted(dir, port, KEY, hook.url("/hook")));
    process = launch(ws);
    String url = "http://127.0.0.1:" + port + "/v1/events";
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> post(client, url, KEY, "[]")[0].equals("200"));

    Set<String> stored = new HashSet<>();
    for (int b = 0; b < 20; b++) {
      StringBuilder body = new StringBuilder("[");
      for (int i = 0; i < 20; i++) {
        body.append(i == 0 ? "" : ",")
            .append("{\"event_type\":\"E\",\"user_id\":\"u")
            .append(i)
            .append("\",\"insert_id\":\"c-")
            .append(b)
            .append('-')
            .append(i)
            .append("\"}");
      }
      JsonNode results =
          JSON.readTree(post(client, url, KEY, body.append(']').toString())[1]).get("results");
      for (int i = 0; i < 20; i++) {
        if (results.get(i).get("status").asText().equals("stored")) {
          stored.add("c-" + b + "-" + i);
        }
      }
    }
    assertThat(stored).hasSize(400);
    await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertThat(received).as("killed before everything was delivered").hasSizeLessThan(400);

    process = launch(ws);
    await().atMost(Duration.ofSeconds(90)).until(() -> received.containsAll(stored));
  }
}
