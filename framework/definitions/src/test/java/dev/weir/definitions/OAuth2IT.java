package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * OAuth2 client credentials against a real token endpoint (MockWebServer) that accepts only HTTP
 * Basic or only form credentials, with short-lived tokens and a clock seam instead of waiting.
 */
class OAuth2IT {
  @StartStop final MockWebServer server = new MockWebServer();
  static final OkHttpClient HTTP = new OkHttpClient();

  /** RFC 6749 §2.3.1: id and secret are form-encoded, then joined and base64-encoded. */
  static final String BASIC =
      "Basic "
          + Base64.getEncoder()
              .encodeToString("cid:s3cr3t%2F%2Bx".getBytes(StandardCharsets.UTF_8));

  final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  final AtomicInteger tokensIssued = new AtomicInteger();
  final List<String> apiTokens = java.util.Collections.synchronizedList(new ArrayList<>());
  final ListAppender<ILoggingEvent> log = new ListAppender<>();
  Logger connectionLogger;

  @BeforeEach
  void captureTheConnectionLog() {
    connectionLogger = (Logger) LoggerFactory.getLogger("weir.connection.c");
    log.start();
    connectionLogger.addAppender(log);
  }

  @AfterEach
  void detachTheLog() {
    connectionLogger.detachAppender(log);
  }

  /**
   * A token endpoint that issues T1, T2, ... living {@code expiresIn} seconds to clients whose
   * request passes {@code accepts}; the API accepts the tokens {@code apiAccepts} allows.
   */
  void serve(Predicate<RecordedRequest> accepts, int expiresIn, Predicate<String> apiAccepts) {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            if (r.getUrl().encodedPath().equals("/token")) {
              if (!accepts.test(r)) {
                return new MockResponse.Builder()
                    .code(401)
                    .body("{\"error\":\"invalid_client\"}")
                    .build();
              }
              return new MockResponse.Builder()
                  .code(200)
                  .body(
                      "{\"access_token\":\"T"
                          + tokensIssued.incrementAndGet()
                          + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                          + expiresIn
                          + "}")
                  .build();
            }
            String auth = String.valueOf(r.getHeaders().get("Authorization"));
            apiTokens.add(auth);
            return apiAccepts.test(auth.replace("Bearer ", ""))
                ? new MockResponse.Builder().code(200).body("{}").build()
                : new MockResponse.Builder().code(401).body("{\"message\":\"expired\"}").build();
          }
        });
  }

  static boolean onlyBasic(RecordedRequest r) {
    String body = r.getBody().utf8();
    return BASIC.equals(r.getHeaders().get("Authorization"))
        && body.contains("grant_type=client_credentials")
        && !body.contains("client_secret");
  }

  static boolean onlyForm(RecordedRequest r) {
    String body = r.getBody().utf8();
    return r.getHeaders().get("Authorization") == null
        && body.contains("client_id=cid")
        && body.contains("client_secret=s3cr3t%2F%2Bx");
  }

  Definition def(String extra) throws DefinitionException {
    return Definitions.parse(
        "oauth.yaml",
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata: {id: oauth, name: OAuth, version: 1.0.0, partner: P, category: other}
        settings:
          type: object
          properties:
            base: {type: string}
            id: {type: string}
            secret: {type: string, secret: true}
        auth:
          kind: oauth2
          grant: client_credentials
          token_url: "{{ settings.base }}/token"
          client_id: "{{ settings.id }}"
          client_secret: "{{ settings.secret }}"
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
            .formatted(extra.indent(2)));
  }

  DefinitionDestination start(Definition d) {
    DefinitionDestination dest = new DefinitionDestination(d, now::get);
    dest.start(
        new LocalContext(
            "c",
            Map.of(
                "base",
                server.url("").toString().replaceAll("/$", ""),
                "id",
                "cid",
                "secret",
                "s3cr3t/+x"),
            HTTP));
    return dest;
  }

  static List<Event> events(int n) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Event.builder().eventType("X").insertId("e" + i).build());
    }
    return out;
  }

  static void assertDelivered(List<Outcome> o) {
    assertThat(o).extracting(Outcome::status).containsOnly(Outcome.Status.DELIVERED);
  }

  @Test
  void byDefaultTheClientAuthenticatesWithHttpBasicWhichABasicOnlyEndpointAccepts()
      throws Exception {
    serve(OAuth2IT::onlyBasic, 3600, t -> true);
    assertDelivered(start(def("")).deliver(events(2)));
    assertThat(tokensIssued).hasValue(1);
    assertThat(apiTokens).containsExactly("Bearer T1");
  }

  @Test
  void clientSecretPostSendsFormCredentialsWhichAFormOnlyEndpointAccepts() throws Exception {
    serve(OAuth2IT::onlyForm, 3600, t -> true);
    assertDelivered(start(def("client_auth: client_secret_post")).deliver(events(2)));
    assertThat(tokensIssued).hasValue(1);
  }

  @Test
  void aRefusedTokenRequestSurfacesItsStatusAndErrorBodyInTheOutcomeAndAWarnLine()
      throws Exception {
    serve(OAuth2IT::onlyForm, 3600, t -> true);
    List<Outcome> o = start(def("")).deliver(events(2));
    assertThat(o).extracting(Outcome::status).containsOnly(Outcome.Status.RETRY);
    String base = server.url("").toString().replaceAll("/$", "");
    assertThat(o.get(0).reason())
        .isEqualTo(
            "OAuth2 token request POST "
                + base
                + "/token answered HTTP 401: {\"error\":\"invalid_client\"}")
        .doesNotContain("s3cr3t");
    assertThat(o.get(0).statusCode()).isEqualTo(401);
    assertThat(log.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage)
        .asString()
        .contains("OAuth2 token request POST " + base + "/token answered HTTP 401")
        .contains("{\"error\":\"invalid_client\"}")
        .doesNotContain("s3cr3t");
    assertThat(apiTokens).isEmpty();
  }

  @Test
  void aShortLivedTokenIsReusedUntilATenthOfItsLifetimeIsLeftThenRefreshedOnce() throws Exception {
    serve(OAuth2IT::onlyBasic, 5, t -> true);
    DefinitionDestination dest = start(def(""));
    assertDelivered(dest.deliver(events(1)));
    now.addAndGet(4_400);
    assertDelivered(dest.deliver(events(1)));
    assertThat(tokensIssued).as("reused 4.4 s into a 5 s token").hasValue(1);
    now.addAndGet(200);
    assertDelivered(dest.deliver(events(1)));
    assertThat(tokensIssued).as("refreshed 4.6 s in: less than a tenth left").hasValue(2);
    now.addAndGet(1_000);
    assertDelivered(dest.deliver(events(1)));
    assertDelivered(dest.deliver(events(1)));
    assertThat(tokensIssued).hasValue(2);
    assertThat(apiTokens)
        .containsExactly("Bearer T1", "Bearer T1", "Bearer T2", "Bearer T2", "Bearer T2");
  }

  @Test
  void aThirtySecondTokenServesEveryRequestOfItsLifetime() throws Exception {
    serve(OAuth2IT::onlyBasic, 30, t -> true);
    DefinitionDestination dest = start(def(""));
    for (int i = 0; i < 6; i++) {
      assertDelivered(dest.deliver(events(1)));
      now.addAndGet(4_000);
    }
    assertThat(tokensIssued).hasValue(1);
  }

  @Test
  void concurrentRequestsRejectedWith401ShareOneNewToken() throws Exception {
    serve(OAuth2IT::onlyBasic, 3600, t -> !t.equals("T1"));
    DefinitionDestination dest = start(def(""));
    // T1 is issued and revoked at the API: every request gets 401, then T2 once
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Outcome>>> f = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        f.add(pool.submit(() -> dest.deliver(events(3))));
      }
      for (Future<List<Outcome>> x : f) {
        assertDelivered(x.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(tokensIssued).hasValue(2);
    assertThat(apiTokens)
        .contains("Bearer T2")
        .allMatch(a -> a.equals("Bearer T1") || a.equals("Bearer T2"));
  }

  @Test
  void scopesAsAListAndTheAudienceAreSentWithTheGrant() throws Exception {
    List<String> bodies = new ArrayList<>();
    serve(
        r -> {
          bodies.add(r.getBody().utf8());
          return onlyBasic(r);
        },
        3600,
        t -> true);
    assertDelivered(
        start(def("scope: [events.write, users.read]\naudience: https://api.example.com"))
            .deliver(events(1)));
    assertThat(bodies)
        .singleElement()
        .asString()
        .contains("scope=events.write+users.read", "audience=https%3A%2F%2Fapi.example.com");
  }

  @Test
  void theDryRunShowsTheTokenRequestWithSecretsMaskedAndItsCaching() throws Exception {
    Map<String, Object> settings =
        Map.of("base", "https://auth.example", "id", "cid", "secret", "s3cr3t/+x");
    String basic =
        DryRun.render(def("scope: events.write"), settings, events(1), null, 0).transcript();
    assertThat(basic)
        .startsWith(
            "--- token request (OAuth2; client_secret_basic, sent once per connection, the token"
                + " reused until expires_in less a tenth of it (at most 5 min) and replaced once"
                + " when the API answers 401)\n"
                + "POST https://auth.example/token\n")
        .contains("Authorization: Basic ****\n", "grant_type=client_credentials&scope=events.write")
        .contains("Authorization: Bearer <oauth2-access-token>")
        .doesNotContain(
            "s3cr3t",
            Base64.getEncoder()
                .encodeToString("cid:s3cr3t%2F%2Bx".getBytes(StandardCharsets.UTF_8)));
    String post =
        DryRun.render(def("client_auth: client_secret_post"), settings, events(1), null, 0)
            .transcript();
    assertThat(post)
        .contains("client_secret_post, sent once per connection")
        .contains("grant_type=client_credentials&client_id=cid&client_secret=****")
        .doesNotContain("s3cr3t");
  }
}
