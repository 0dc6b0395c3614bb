package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.delivery.DeadLetter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running host delivers a partner definition's destinations with the definition's own delivery
 * policy (batch size, requests per second, max attempts, max age), and a key the workspace's {@code
 * delivery:} sets for that destination wins (docs/partner-definitions.md, "Delivery policy: what
 * wins"). One definition, six destinations, one partner (MockWebServer) that answers {@code /ok/*}
 * with 200 and {@code /fail/*} with 503.
 */
class DefinitionDeliveryPolicyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "policy-write-key";

  @StartStop final MockWebServer partner = new MockWebServer();
  @TempDir Path dir;

  /** Per destination (the request path's last segment): each request's arrival and event count. */
  private final Map<String, List<long[]>> arrivals = new ConcurrentHashMap<>();

  @Test
  void aDefinitionsBatchingRateLimitAttemptsAndAgeApplyAndTheWorkspaceWinsWhereBothAreSet()
      throws Exception {
    partner.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String path = r.getUrl().encodedPath();
            int n;
            try {
              n = JSON.readTree(r.getBody().utf8()).get("n").asInt();
            } catch (Exception e) {
              n = -1;
            }
            arrivals
                .computeIfAbsent(
                    path.substring(path.lastIndexOf('/') + 1), k -> new CopyOnWriteArrayList<>())
                .add(new long[] {System.nanoTime(), n});
            return new MockResponse.Builder().code(path.startsWith("/fail/") ? 503 : 200).build();
          }
        });
    int port = freePort();
    try (Weir weir = Weir.builder().workspace(workspace(port)).start()) {
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i < 16; i++) {
        batch.append(
            "{\"event_type\":\"Batched\",\"user_id\":\"u1\",\"insert_id\":\"b-%d\"},".formatted(i));
      }
      batch.append("{\"event_type\":\"Failing\",\"user_id\":\"u1\",\"insert_id\":\"f-1\"}]");
      String[] answer =
          post(
              new OkHttpClient(), "http://127.0.0.1:" + port + "/v1/events", KEY, batch.toString());
      assertThat(answer[0]).isEqualTo("200");

      await().atMost(Duration.ofSeconds(30)).until(() -> events("batched") == 16);
      await().atMost(Duration.ofSeconds(30)).until(() -> events("rebatched") == 16);
      assertThat(largestRequest("batched")).as("the definition's batch.max_events: 4").isEqualTo(4);
      assertThat(largestRequest("rebatched"))
          .as("the workspace's max_batch_events: 2 wins over the definition's 4")
          .isEqualTo(2);
      // 4 requests at the definition's 2/s (a bucket of 2) take at least 1 s after the first is
      // sent; unlimited, ~0 s. The first two open new connections, which a loaded machine can
      // delay by a few hundred ms, so the margin is 0.3 s.
      assertThat(spanMillis("batched"))
          .as("the definition's rate_limit.requests_per_second: 2")
          .isGreaterThanOrEqualTo(700);
      // 8 requests at the workspace's 1/s take at least 7 s; at the definition's 2/s, 3.5 s
      assertThat(spanMillis("rebatched"))
          .as("the workspace's requests_per_second: 1 wins over the definition's 2")
          .isGreaterThanOrEqualTo(6000);

      DeadLetter retried = deadLetter(weir, "retried");
      assertThat(retried.reason()).isEqualTo("max_attempts");
      assertThat(retried.attempts()).as("the definition's retry.max_attempts: 3").isEqualTo(3);
      assertThat(requests("retried")).isEqualTo(3);
      DeadLetter retriedMore = deadLetter(weir, "retried_more");
      assertThat(retriedMore.reason()).isEqualTo("max_attempts");
      assertThat(retriedMore.attempts())
          .as("the workspace's max_attempts: 5 wins over the definition's 3")
          .isEqualTo(5);
      assertThat(requests("retried_more")).isEqualTo(5);

      DeadLetter aged = deadLetter(weir, "aged");
      assertThat(aged.reason()).as("the definition's retry.max_age_ms: 1500").isEqualTo("max_age");
      int agedLongerSoFar = requests("aged_longer");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> requests("aged_longer") >= agedLongerSoFar + 3);
      assertThat(weir.delivery().deadLetters("aged_longer", null))
          .as("the workspace's max_retry_age_ms: 600000 wins: still retrying after 1.5 s")
          .isEmpty();
    }
  }

  private DeadLetter deadLetter(Weir weir, String destination) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !weir.delivery().deadLetters(destination, null).isEmpty());
    return weir.delivery().deadLetters(destination, null).get(0);
  }

  private List<long[]> of(String destination) {
    return arrivals.getOrDefault(destination, List.of());
  }

  private int requests(String destination) {
    return of(destination).size();
  }

  private int events(String destination) {
    return of(destination).stream().mapToInt(a -> (int) a[1]).sum();
  }

  private long largestRequest(String destination) {
    return of(destination).stream().mapToLong(a -> a[1]).max().orElse(0);
  }

  private long spanMillis(String destination) {
    List<long[]> a = of(destination);
    return (a.get(a.size() - 1)[0] - a.get(0)[0]) / 1_000_000;
  }

  private Path workspace(int port) throws Exception {
    Files.createDirectories(dir.resolve("defs"));
    Files.writeString(
        dir.resolve("defs/policy.yaml"),
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata: {id: policy, name: Policy, version: 1.0.0, partner: P, category: other}
        settings:
          type: object
          required: [base_url]
          properties:
            base_url: {type: string}
        requests:
          - name: send
            trigger: {where: "true"}
            method: POST
            url: "{{ settings.base_url }}"
            body: '{"n": $count(events)}'
        delivery:
          mode: batch
          batch: {max_events: 4, max_delay_ms: 200}
          rate_limit: {requests_per_second: 2}
          retry: {success: [200], retry: [5xx], drop: [4xx], max_attempts: 3, max_age_ms: 1500}
        tests:
          - {name: t, settings: {base_url: "https://x"}, events: [{event_type: X}], expect: {}}
        """);
    String base = partner.url("").toString().replaceAll("/$", "");
    StringBuilder dests = new StringBuilder();
    String[][] all = {
      {"batched", "ok", "Batched", ""},
      {"rebatched", "ok", "Batched", ", max_batch_events: 2, requests_per_second: 1"},
      {"retried", "fail", "Failing", ""},
      {"retried_more", "fail", "Failing", ", max_attempts: 5"},
      {"aged", "fail", "Failing", ", max_attempts: 100000"},
      {"aged_longer", "fail", "Failing", ", max_attempts: 100000, max_retry_age_ms: 600000"},
    };
    for (String[] d : all) {
      dests.append(
          """
            - id: %s
              definition: policy@1.0.0
              settings: { base_url: "%s/%s/%s" }
              filter: { event_types: [ %s ] }
              delivery: { initial_backoff_ms: 20, max_backoff_ms: 50%s }
          """
              .formatted(d[0], base, d[1], d[0], d[2], d[3]));
    }
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        store: { dir: "%s/store", partitions: 1 }
        definitions_dir: defs
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "%s" ] }
        destinations:
        %s
        routes:
          - { from: web, to: [ batched, rebatched, retried, retried_more, aged, aged_longer ] }
        """
            .formatted(dir, port, KEY, dests));
    return dir.resolve("workspace.yaml");
  }
}
