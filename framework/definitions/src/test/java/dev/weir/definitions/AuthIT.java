package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** Auth kinds against a real HTTP server, and concurrent deliveries through one destination. */
class AuthIT {
  @StartStop final MockWebServer server = new MockWebServer();
  static final OkHttpClient HTTP = new OkHttpClient();

  private String base() {
    return server.url("").toString().replaceAll("/$", "");
  }

  static Definition def(String auth, String settings) throws DefinitionException {
    return Definitions.parse(
        "auth.yaml",
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata: {id: auth, name: Auth, version: 1.0.0, partner: P, category: other}
        settings:
          type: object
          properties:
            base: {type: string}
        %s
        %s
        requests:
          - name: a
            trigger: {where: "true"}
            method: POST
            url: "{{ settings.base }}/in"
            body: '{"ids": [events.insert_id]}'
        delivery: {mode: batch, batch: {max_events: 100}}
        tests:
          - {name: t, settings: {base: "http://x"}, events: [{event_type: X}], expect: {}}
        """
            .formatted(settings, auth));
  }

  static List<Event> events(int n) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Event.builder().eventType("X").insertId("e" + i).build());
    }
    return out;
  }

  @Test
  void clientCredentialsTokenIsFetchedOnceAndReusedFromTheStateStore() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .body("{\"access_token\":\"T1\",\"expires_in\":3600}")
            .build());
    server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
    server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
    Definition d =
        def(
            """
        auth:
          kind: oauth2
          grant: client_credentials
          token_url: "{{ settings.base }}/token"
          client_id: "{{ settings.id }}"
          client_secret: "{{ settings.secret }}"
          client_auth: client_secret_post
          scope: events.write
        """,
            "    id: {type: string}\n    secret: {type: string, secret: true}");
    StreamingDestination dest = Definitions.destination(d);
    LocalContext.MemoryState state = new LocalContext.MemoryState();
    dest.start(
        new LocalContext(
            "c", Map.of("base", base(), "id", "cid", "secret", "s3cret"), HTTP, state));
    assertThat(dest.deliver(events(2)))
        .extracting(Outcome::status)
        .containsOnly(Outcome.Status.DELIVERED);
    assertThat(dest.deliver(events(1)))
        .extracting(Outcome::status)
        .containsOnly(Outcome.Status.DELIVERED);
    RecordedRequest token = server.takeRequest();
    assertThat(token.getUrl().encodedPath()).isEqualTo("/token");
    assertThat(token.getBody().utf8())
        .contains(
            "grant_type=client_credentials",
            "client_id=cid",
            "client_secret=s3cret",
            "scope=events.write");
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer T1");
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer T1");
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(state.get(OAuth2Tokens.ACCESS)).contains("T1");
  }

  @Test
  void aFailingTokenEndpointRetriesTheEventsWithoutLeakingTheSecret() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).body("down").build());
    Definition d =
        def(
            """
        auth:
          kind: oauth2
          grant: client_credentials
          token_url: "{{ settings.base }}/token"
          client_id: "{{ settings.id }}"
          client_secret: "{{ settings.secret }}"
        """,
            "    id: {type: string}\n    secret: {type: string, secret: true}");
    StreamingDestination dest = Definitions.destination(d);
    dest.start(
        new LocalContext("c", Map.of("base", base(), "id", "cid", "secret", "s3cret"), HTTP));
    List<Outcome> o = dest.deliver(events(2));
    assertThat(o).extracting(Outcome::status).containsOnly(Outcome.Status.RETRY);
    assertThat(o.get(0).reason())
        .contains("token request POST", "/token answered HTTP 500: down")
        .doesNotContain("s3cret");
  }

  @Test
  void hmacSignatureVerifiesOnTheReceivingSide() throws Exception {
    server.enqueue(new MockResponse.Builder().code(204).build());
    Definition d =
        def(
            """
        auth:
          kind: hmac
          key: "{{ settings.key }}"
          header: X-Sig
          encoding: base64
          timestamp_header: X-Ts
        """,
            "    key: {type: string, secret: true}");
    StreamingDestination dest = Definitions.destination(d);
    dest.start(new LocalContext("c", Map.of("base", base(), "key", "k3y"), HTTP));
    assertThat(dest.deliver(events(3)))
        .extracting(Outcome::status)
        .containsOnly(Outcome.Status.DELIVERED);
    RecordedRequest r = server.takeRequest();
    String body = r.getBody().utf8();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("k3y".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        java.util.Base64.getEncoder()
            .encodeToString(
                mac.doFinal(
                    (r.getHeaders().get("X-Ts") + "." + body).getBytes(StandardCharsets.UTF_8)));
    assertThat(r.getHeaders().get("X-Sig")).isEqualTo(expected);
    assertThat(body).isEqualTo("{\"ids\":[\"e0\",\"e1\",\"e2\"]}");
  }

  @Test
  void apiKeyInTheQueryAndConcurrentDeliveriesEachGetTheirOwnCorrectBody() throws Exception {
    server.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            return "k-1".equals(r.getUrl().queryParameter("key"))
                ? new MockResponse.Builder().code(200).build()
                : new MockResponse.Builder().code(403).build();
          }
        });
    Definition d =
        def(
            """
        auth: {kind: api_key, in: query, name: key, value: "{{ settings.k }}"}
        """,
            "    k: {type: string, secret: true}");
    StreamingDestination dest = Definitions.destination(d);
    dest.start(new LocalContext("c", Map.of("base", base(), "k", "k-1"), HTTP));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Outcome>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Callable<List<Outcome>> c = () -> dest.deliver(events(25));
        futures.add(pool.submit(c));
      }
      for (Future<List<Outcome>> f : futures) {
        assertThat(f.get(30, TimeUnit.SECONDS))
            .hasSize(25)
            .extracting(Outcome::status)
            .containsOnly(Outcome.Status.DELIVERED);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(server.getRequestCount()).isEqualTo(8);
    for (int i = 0; i < 8; i++) {
      String body = server.takeRequest().getBody().utf8();
      assertThat(body).startsWith("{\"ids\":[\"e0\",\"e1\"").endsWith("\"e24\"]}");
    }
  }
}
