package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.delivery.DeadLetter;
import dev.weir.delivery.DeliveryEngine;
import dev.weir.delivery.DestinationConfig;
import dev.weir.delivery.InMemoryDeliveryLog;
import dev.weir.sdk.Event;
import dev.weir.sdk.StreamingDestination;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a definition delivers through the real {@link DeliveryEngine} (retries, backoff, dead
 * letters) to MockWebServer, with OAuth2 refresh on 401 and refresh-token rotation, batch splitting
 * by bytes, per-event errors listed in shuffled order, and retries per the declared status policy.
 */
class DefinitionDeliveryIT {
  static final OkHttpClient HTTP = new OkHttpClient();

  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  static Definition definition(String auth, String delivery, String responses)
      throws DefinitionException {
    return Definitions.parse(
        "e2e.yaml",
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata: {id: e2e, name: E2E, version: 1.0.0, partner: Test, category: marketing}
        settings:
          type: object
          properties:
            base_url: {type: string}
            client_id: {type: string}
            client_secret: {type: string, secret: true}
            refresh_token: {type: string, secret: true}
        %s
        requests:
          - name: track
            trigger: {where: "true"}
            method: POST
            url: "{{ settings.base_url }}/track"
            body: '{"events": [events.{"id": insert_id, "name": event_type, "pad": event_properties.pad}]}'
        %s
        %s
        tests:
          - {name: t, settings: {base_url: "http://x"}, events: [{event_type: X}], expect: {}}
        """
            .formatted(auth, delivery, responses));
  }

  /** What the host will do: map the declared delivery settings onto the engine's config. */
  static DestinationConfig config(Definition d) {
    DeliverySettings s = d.delivery();
    DestinationConfig.Builder b =
        DestinationConfig.builder(d.id())
            .maxBatchEvents(s.maxEvents())
            .maxBatchDelay(Duration.ofMillis(20))
            .initialBackoff(Duration.ofMillis(20))
            .maxBackoff(Duration.ofMillis(200))
            .workers(1)
            .batchKey(d.batchKeyFunction());
    if (s.maxAttempts() > 0) {
      b.maxAttempts(s.maxAttempts());
    }
    if (s.maxAge() != null) {
      b.maxRetryAge(s.maxAge());
    }
    return b.build();
  }

  static Event event(int i, Map<String, Object> props) {
    return Event.builder()
        .eventType("E" + i)
        .userId("u")
        .insertId("ins-" + i)
        .time(1_700_000_000_000L + i)
        .eventProperties(props)
        .build();
  }

  private DeliveryEngine engineWith(
      InMemoryDeliveryLog log,
      Definition d,
      Map<String, Object> settings,
      LocalContext.MemoryState state)
      throws Exception {
    StreamingDestination dest = Definitions.destination(d);
    dest.start(new LocalContext("e2e", settings, HTTP, state));
    DeliveryEngine engine =
        DeliveryEngine.builder().log(log).stateDir(dir).stopGrace(Duration.ofSeconds(2)).build();
    engine.addDestination(config(d), dest);
    engine.start();
    return engine;
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  @Test
  void oauth2RefreshesOnceOn401AndStoresTheRotatedRefreshToken() throws Exception {
    List<String> tokenBodies = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger tokens = new AtomicInteger();
    List<String> authHeaders = Collections.synchronizedList(new ArrayList<>());
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            if (r.getUrl().encodedPath().equals("/token")) {
              tokenBodies.add(r.getBody().utf8());
              int n = tokens.incrementAndGet();
              return json(
                  200,
                  "{\"access_token\":\"A"
                      + n
                      + "\",\"refresh_token\":\"R"
                      + (n + 1)
                      + "\",\"expires_in\":3600}");
            }
            authHeaders.add(r.getHeaders().get("Authorization"));
            // the first token was revoked server-side: only A2 is accepted
            return "Bearer A2".equals(r.getHeaders().get("Authorization"))
                ? json(200, "{}")
                : json(401, "{}");
          }
        });
    Definition d =
        definition(
            """
        auth:
          kind: oauth2
          grant: refresh_token
          token_url: "{{ settings.base_url }}/token"
          client_id: "{{ settings.client_id }}"
          client_secret: "{{ settings.client_secret }}"
          refresh_token: "{{ settings.refresh_token }}"
        """,
            "delivery: {mode: batch, batch: {max_events: 10}}",
            "");
    LocalContext.MemoryState state = new LocalContext.MemoryState();
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(1);
    Map<String, Object> settings =
        Map.of(
            "base_url",
            server.url("").toString().replaceAll("/$", ""),
            "client_id",
            "weir",
            "client_secret",
            "cs",
            "refresh_token",
            "R1");
    try (DeliveryEngine engine = engineWith(log, d, settings, state)) {
      for (int i = 0; i < 3; i++) {
        log.append(event(i, Map.of()));
      }
      engine.signal();
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.status("e2e").delivered() == 3);
      assertThat(engine.status("e2e").deadLettered()).isZero();
    }
    assertThat(tokenBodies).hasSize(2);
    assertThat(tokenBodies.get(0)).contains("grant_type=refresh_token", "refresh_token=R1");
    assertThat(tokenBodies.get(1)).contains("refresh_token=R2");
    assertThat(authHeaders).startsWith("Bearer A1", "Bearer A2");
    assertThat(state.get(OAuth2Tokens.REFRESH)).contains("R3");
    assertThat(state.get(OAuth2Tokens.ACCESS)).contains("A2");
  }

  @Test
  void aRefusedTokenRequestShowsItsStatusAndErrorBodyInTheDestinationStatus() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            return json(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}");
          }
        });
    Definition d =
        definition(
            """
        auth:
          kind: oauth2
          grant: client_credentials
          token_url: "{{ settings.base_url }}/token"
          client_id: "{{ settings.client_id }}"
          client_secret: "{{ settings.client_secret }}"
        """,
            "delivery: {mode: batch, batch: {max_events: 10}}",
            "");
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(1);
    String base = server.url("").toString().replaceAll("/$", "");
    Map<String, Object> settings =
        Map.of("base_url", base, "client_id", "weir", "client_secret", "cs-very-secret");
    try (DeliveryEngine engine = engineWith(log, d, settings, new LocalContext.MemoryState())) {
      log.append(event(1, Map.of()));
      engine.signal();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !engine.status("e2e").lastError().isEmpty());
      assertThat(engine.status("e2e").lastError())
          .isEqualTo(
              "[401] OAuth2 token request POST "
                  + base
                  + "/token answered HTTP 401: "
                  + "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}");
      assertThat(engine.status("e2e").delivered()).isZero();
      assertThat(engine.status("e2e").deadLettered()).isZero();
    }
  }

  @Test
  void batchesAreSplitByBytesAndEveryEventArrivesExactlyOnce() throws Exception {
    ConcurrentLinkedQueue<Integer> sizes = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String body = r.getBody().utf8();
            sizes.add(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"id\":\"(ins-\\d+)\"").matcher(body);
            while (m.find()) {
              ids.add(m.group(1));
            }
            return json(200, "{}");
          }
        });
    Definition d =
        definition("", "delivery: {mode: batch, batch: {max_events: 100, max_bytes: 1000}}", "");
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(1);
    try (DeliveryEngine engine =
        engineWith(
            log,
            d,
            Map.of("base_url", server.url("").toString().replaceAll("/$", "")),
            new LocalContext.MemoryState())) {
      for (int i = 0; i < 60; i++) {
        log.append(event(i, Map.of("pad", "x".repeat(80))));
      }
      engine.signal();
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.status("e2e").delivered() == 60);
    }
    assertThat(sizes).allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(1000));
    assertThat(sizes.size()).isGreaterThanOrEqualTo(60 * 100 / 1000);
    assertThat(ids).hasSize(60).doesNotHaveDuplicates();
  }

  @Test
  void perEventErrorsListedInShuffledOrderDeadLetterExactlyTheirEvents() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String body = r.getBody().utf8();
            // name every event whose pad is "bad" by its position, listing the positions in reverse
            // order
            List<String> errors = new ArrayList<>();
            String[] items = body.split("\\},\\{");
            for (int i = items.length - 1; i >= 0; i--) {
              if (items[i].contains("\"pad\":\"bad\"")) {
                errors.add("{\"type\":\"invalid\",\"input_array\":\"events\",\"index\":" + i + "}");
              }
            }
            return json(
                201, "{\"message\":\"success\",\"errors\":[" + String.join(",", errors) + "]}");
          }
        });
    Definition d =
        definition(
            "",
            "delivery: {mode: batch, batch: {max_events: 10}}",
            """
        responses:
          errors: "errors[input_array = 'events']"
          index: "index"
          reason: "type"
        """);
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(1);
    Set<String> bad = new HashSet<>();
    try (DeliveryEngine engine =
        engineWith(
            log,
            d,
            Map.of("base_url", server.url("").toString().replaceAll("/$", "")),
            new LocalContext.MemoryState())) {
      for (int i = 0; i < 30; i++) {
        boolean isBad = i % 7 == 3;
        if (isBad) {
          bad.add("ins-" + i);
        }
        log.append(event(i, Map.of("pad", isBad ? "bad" : "ok")));
      }
      engine.signal();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> engine.status("e2e").delivered() + engine.status("e2e").deadLettered() == 30);
      List<DeadLetter> dead = engine.deadLetters("e2e", null);
      assertThat(dead)
          .extracting(dl -> dl.event().insertId())
          .containsExactlyInAnyOrderElementsOf(bad);
      assertThat(engine.status("e2e").delivered()).isEqualTo(30 - bad.size());
    }
  }

  @Test
  void retriesFollowTheDeclaredStatusPolicy() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<Function<Integer, MockResponse>> script =
        List.of(
            n ->
                new MockResponse.Builder()
                    .code(503)
                    .addHeader("Retry-After", "1")
                    .body("busy")
                    .build(),
            n -> json(408, "{}"),
            n -> json(200, "{}"));
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            int n = calls.getAndIncrement();
            return script.get(Math.min(n, script.size() - 1)).apply(n);
          }
        });
    Definition d =
        definition(
            "",
            """
        delivery:
          mode: batch
          batch: {max_events: 10}
          retry: {success: [2xx], retry: [408, 5xx], drop: [4xx], max_attempts: 5}
        """,
            "");
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(1);
    try (DeliveryEngine engine =
        engineWith(
            log,
            d,
            Map.of("base_url", server.url("").toString().replaceAll("/$", "")),
            new LocalContext.MemoryState())) {
      for (int i = 0; i < 5; i++) {
        log.append(event(i, Map.of()));
      }
      engine.signal();
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.status("e2e").delivered() == 5);
      assertThat(engine.status("e2e").deadLettered()).isZero();
    }
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void aDeclaredDropStatusDeadLettersWithoutRetrying() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            calls.incrementAndGet();
            return json(422, "{\"error\":\"unprocessable\"}");
          }
        });
    Definition d =
        definition(
            "",
            """
        delivery:
          mode: stream
          retry: {success: [2xx], retry: [5xx], drop: [4xx], max_attempts: 5}
        """,
            "");
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(1);
    try (DeliveryEngine engine =
        engineWith(
            log,
            d,
            Map.of("base_url", server.url("").toString().replaceAll("/$", "")),
            new LocalContext.MemoryState())) {
      for (int i = 0; i < 3; i++) {
        log.append(event(i, Map.of()));
      }
      engine.signal();
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.status("e2e").deadLettered() == 3);
      assertThat(engine.deadLetters("e2e", null))
          .allSatisfy(dl -> assertThat(dl.lastStatusCode()).isEqualTo(422));
    }
    assertThat(calls.get()).as("stream mode: one request per event, none retried").isEqualTo(3);
  }
}
