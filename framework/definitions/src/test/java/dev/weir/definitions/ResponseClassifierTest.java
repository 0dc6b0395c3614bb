package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Status policy and per-event error mapping, independent of HTTP. */
class ResponseClassifierTest {
  static final DeliverySettings POLICY =
      new DeliverySettings(
          "batch",
          10,
          0,
          Duration.ZERO,
          null,
          0,
          0,
          List.of("2xx", "409"),
          List.of("429", "5xx", "408"),
          List.of("4xx"),
          0,
          null,
          null,
          null);

  static List<Map<String, Object>> events(String... ids) {
    return java.util.Arrays.stream(ids)
        .map(
            id ->
                Map.<String, Object>of(
                    "insert_id", id, "user_properties", Map.of("email", id + "@x.com")))
        .toList();
  }

  @Test
  void anExactStatusBeatsItsClassAndUndeclaredStatusesRetry() {
    ResponseClassifier c = new ResponseClassifier(POLICY, null);
    assertThat(c.verdict(409)).isEqualTo(ResponseClassifier.Verdict.SUCCESS);
    assertThat(c.verdict(408)).isEqualTo(ResponseClassifier.Verdict.RETRY);
    assertThat(c.verdict(404)).isEqualTo(ResponseClassifier.Verdict.DROP);
    assertThat(c.verdict(302)).isEqualTo(ResponseClassifier.Verdict.RETRY);
  }

  @Test
  void retryAfterSecondsAreCarriedOnTheOutcome() {
    List<Outcome> o =
        new ResponseClassifier(POLICY, null).classify(503, "7", "busy", events("a", "b"));
    assertThat(o)
        .allSatisfy(
            x -> {
              assertThat(x.status()).isEqualTo(Outcome.Status.RETRY);
              assertThat(x.retryAfter()).isEqualTo(Duration.ofSeconds(7));
              assertThat(x.statusCode()).isEqualTo(503);
            });
  }

  @Test
  void errorsListedByIdInShuffledOrderMapBackToTheirEvents() {
    DefinitionModel.Responses r =
        new DefinitionModel.Responses(
            Template.compile("failures"),
            null,
            Template.compile("email"),
            Template.compile("event.user_properties.email"),
            Template.compile("code"),
            Template.compile("code = 'throttled'"),
            false,
            null);
    String body =
        """
        {"failures": [{"email": "d@x.com", "code": "invalid"}, {"email": "a@x.com", "code": "throttled"},
                      {"email": "zzz@x.com", "code": "unknown id is ignored"}]}""";
    List<Outcome> o =
        new ResponseClassifier(POLICY, r).classify(200, null, body, events("a", "b", "c", "d"));
    assertThat(o)
        .extracting(Outcome::status)
        .containsExactly(
            Outcome.Status.RETRY,
            Outcome.Status.DELIVERED,
            Outcome.Status.DELIVERED,
            Outcome.Status.REJECTED);
    assertThat(o.get(3).reason()).isEqualTo("HTTP 200: invalid");
  }

  @Test
  void onADropStatusWithPerEventErrorsTheUnlistedEventsAreRetriedNotLost() {
    DefinitionModel.Responses r =
        new DefinitionModel.Responses(
            Template.compile("errors"),
            Template.compile("index"),
            null,
            Template.compile("event.insert_id"),
            null,
            null,
            false,
            null);
    List<Outcome> o =
        new ResponseClassifier(POLICY, r)
            .classify(400, null, "{\"errors\":[{\"index\":1}]}", events("a", "b", "c"));
    assertThat(o)
        .extracting(Outcome::status)
        .containsExactly(Outcome.Status.RETRY, Outcome.Status.REJECTED, Outcome.Status.RETRY);
  }

  @Test
  void aBodyThatIsNotJsonFallsBackToTheStatusPolicy() {
    DefinitionModel.Responses r =
        new DefinitionModel.Responses(
            Template.compile("errors"),
            Template.compile("index"),
            null,
            Template.compile("event.insert_id"),
            null,
            null,
            false,
            null);
    List<Outcome> o =
        new ResponseClassifier(POLICY, r).classify(400, null, "<html>bad</html>", events("a"));
    assertThat(o.get(0).status()).isEqualTo(Outcome.Status.REJECTED);
    assertThat(o.get(0).reason()).contains("HTTP 400 is declared a drop");
  }

  @Test
  void aStatusReadFromTheBodyOverridesA200ThatCarriesAnErrorCode() {
    DefinitionModel.Responses r =
        new DefinitionModel.Responses(
            null,
            null,
            null,
            Template.compile("event.insert_id"),
            null,
            null,
            false,
            Template.compile(
                "code = 0 ? 200 : code = 40100 ? 429 : $exists(code) ? 400 : $status"));
    ResponseClassifier c = new ResponseClassifier(POLICY, r);
    List<Outcome> limited =
        c.classify(200, "7", "{\"code\": 40100, \"message\": \"Too many requests\"}", events("a"));
    assertThat(limited.get(0).status()).isEqualTo(Outcome.Status.RETRY);
    assertThat(limited.get(0).retryAfter()).hasSeconds(7);
    assertThat(limited.get(0).reason())
        .startsWith("HTTP 200 (body status 429) is declared retryable");
    List<Outcome> bad = c.classify(200, null, "{\"code\": 40002, \"message\": \"x\"}", events("a"));
    assertThat(bad.get(0).status()).isEqualTo(Outcome.Status.REJECTED);
    List<Outcome> ok = c.classify(200, null, "{\"code\": 0, \"message\": \"OK\"}", events("a"));
    assertThat(ok.get(0).status()).isEqualTo(Outcome.Status.DELIVERED);
    List<Outcome> notJson = c.classify(200, null, "ok", events("a"));
    assertThat(notJson.get(0).status()).isEqualTo(Outcome.Status.DELIVERED);
    List<Outcome> outage = c.classify(503, null, "{\"message\": \"down\"}", events("a"));
    assertThat(outage.get(0).status()).isEqualTo(Outcome.Status.RETRY);
    assertThat(outage.get(0).reason()).startsWith("HTTP 503 is declared retryable");
  }

  @Test
  void anIdSharedBySeveralEventsOfTheRequestNamesEveryOneOfThem() {
    DefinitionModel.Responses r =
        new DefinitionModel.Responses(
            Template.compile("invalidUserIds.{'id': $}"),
            null,
            Template.compile("id"),
            Template.compile("event.user_id"),
            null,
            null,
            false,
            null);
    List<Map<String, Object>> ev =
        List.of(
            Map.of("user_id", "bad", "insert_id", "1"),
            Map.of("user_id", "good", "insert_id", "2"),
            Map.of("user_id", "bad", "insert_id", "3"));
    List<Outcome> o =
        new ResponseClassifier(POLICY, r)
            .classify(200, null, "{\"invalidUserIds\": [\"bad\"]}", ev);
    assertThat(o)
        .extracting(Outcome::status)
        .containsExactly(
            Outcome.Status.REJECTED, Outcome.Status.DELIVERED, Outcome.Status.REJECTED);
  }

  static DeliverySettings retryAfter(String header, String body, String format) {
    return new DeliverySettings(
        "batch",
        10,
        0,
        Duration.ZERO,
        null,
        0,
        0,
        List.of("2xx"),
        List.of("429", "5xx"),
        List.of("4xx"),
        0,
        null,
        null,
        new DeliverySettings.RetryAfter(header, body, format));
  }

  static java.util.function.Function<String, String> headers(String... nameValue) {
    Map<String, String> m = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < nameValue.length; i += 2) {
      m.put(nameValue[i], nameValue[i + 1]);
    }
    return m::get;
  }

  static final long NOW = 1_700_000_000_000L;

  @Test
  void aDeclaredHeaderInEpochSecondsOrMillisecondsIsReadAgainstTheResponseTime() {
    ResponseClassifier secs =
        new ResponseClassifier(retryAfter("X-RateLimit-Reset", null, "epoch_seconds"), null);
    assertThat(
            secs.classify(429, headers("x-ratelimit-reset", "1700000042"), "", events("a"), NOW)
                .get(0)
                .retryAfter())
        .isEqualTo(Duration.ofSeconds(42));
    ResponseClassifier millis =
        new ResponseClassifier(retryAfter("X-Reset-At", null, "epoch_milliseconds"), null);
    assertThat(
            millis
                .classify(503, headers("X-Reset-At", "1700000001500"), "", events("a"), NOW)
                .get(0)
                .retryAfter())
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(
            secs.classify(429, headers("X-RateLimit-Reset", "1699999990"), "", events("a"), NOW)
                .get(0)
                .retryAfter())
        .as("a moment already past: try now")
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void aDeclaredBodyExpressionGivesTheWaitAndRetryAfterStillCountsWhenItIsAbsent() {
    ResponseClassifier c =
        new ResponseClassifier(
            retryAfter(null, "error.retry_after_ms", "delay_milliseconds"), null);
    assertThat(
            c.classify(
                    429,
                    headers("Retry-After", "30"),
                    "{\"error\": {\"retry_after_ms\": 2500}}",
                    events("a"),
                    NOW)
                .get(0)
                .retryAfter())
        .as("the declared place wins over Retry-After")
        .isEqualTo(Duration.ofMillis(2500));
    assertThat(
            c.classify(429, headers("Retry-After", "30"), "{\"error\": {}}", events("a"), NOW)
                .get(0)
                .retryAfter())
        .as("declared place absent: Retry-After")
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(c.classify(429, headers(), "not json", events("a"), NOW).get(0).retryAfter())
        .as("neither: the engine's backoff decides")
        .isNull();
  }

  @Test
  void anHttpDateIsReadAgainstTheResponseTimeAndAWaitOverAnHourCountsAsAnHour() {
    ResponseClassifier plain = new ResponseClassifier(POLICY, null);
    String in90s =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            java.time.Instant.ofEpochMilli(NOW + 90_000).atZone(java.time.ZoneOffset.UTC));
    assertThat(
            plain
                .classify(503, headers("Retry-After", in90s), "", events("a"), NOW)
                .get(0)
                .retryAfter())
        .isEqualTo(Duration.ofSeconds(90));
    ResponseClassifier epoch =
        new ResponseClassifier(retryAfter("X-RateLimit-Reset", null, "epoch_seconds"), null);
    assertThat(
            epoch
                // epoch milliseconds sent where seconds were declared: years away
                .classify(429, headers("X-RateLimit-Reset", "1700000042000"), "", events("a"), NOW)
                .get(0)
                .retryAfter())
        .isEqualTo(Duration.ofHours(1));
  }
}
