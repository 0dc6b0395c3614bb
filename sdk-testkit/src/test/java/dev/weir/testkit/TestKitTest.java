package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult;
import dev.weir.sdk.SubmitResult.EventStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

@WeirConnectorTest
class TestKitTest {
  private static final ConnectorSpec SPEC =
      ConnectorSpec.builder("probe")
          .settingsSchema(
              """
      {"type":"object","additionalProperties":false,"required":["url"],"properties":{
        "url":{"type":"string","description":"u"},
        "batch_size":{"type":"integer","default":50,"description":"b"}}}""")
          .build();

  @Test
  void settingsAreValidatedAgainstTheSchemaWithDefaultsApplied() {
    TestContext ctx = TestContext.builder(SPEC).settings(Map.of("url", "http://x")).build();
    assertThat(ctx.settings().intValue("batch_size", -1)).isEqualTo(50);
    assertThatThrownBy(
            () ->
                TestContext.builder(SPEC)
                    .settings(Map.of("batch_size", "many", "extra", 1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("url")
        .hasMessageContaining("extra")
        .hasMessageContaining("batch_size");
  }

  @Test
  void incompleteSchemasAreReportedFieldByField() {
    ConnectorSpec spec =
        ConnectorSpec.builder("leaky")
            .settingsSchema(
                """
        {"type":"object","properties":{
          "api_key":{"type":"string","description":"k"},
          "nested":{"type":"object","description":"n","properties":{"depth":{"description":"d"}}},
          "auth":{"type":"object","secret":true,"description":"a","properties":{"password":{"type":"string"}}},
          "name":{"type":"string"}}}""")
            .build();
    assertThat(SettingsCheck.completenessProblems(spec))
        .containsExactlyInAnyOrder(
            "api_key: its name says it holds a secret but it is not marked \"secret\": true",
            "nested.depth: no type",
            "auth.password: no description",
            "name: no description");
    assertThat(SettingsCheck.secretPaths(spec)).containsExactly("auth");
  }

  @Test
  void stateSurvivesARestartOnTheSameDirectory(ConnectorHarness harness) {
    TestContext first =
        TestContext.builder(SPEC).settings(Map.of("url", "u")).stateDir(harness.tempDir()).build();
    first.state().put("cursor", "42");
    first.state().put("gone", "x");
    first.state().delete("gone");
    TestContext second =
        TestContext.builder(SPEC).settings(Map.of("url", "u")).stateDir(first.stateDir()).build();
    assertThat(second.state().get("cursor")).contains("42");
    assertThat(second.stateSnapshot()).containsOnlyKeys("cursor");
  }

  @Test
  void logsAndMetricsCanBeReadBack() {
    TestContext ctx = TestContext.builder(SPEC).settings(Map.of("url", "u")).build();
    ctx.logger().warn("failed {} times", 3, new IllegalStateException("boom"));
    ctx.metrics().counter("sent", "code", "200").increment(2);
    ctx.metrics().counter("sent", "code", "200").increment();
    ctx.metrics().counter("sent", "code", "503").increment();
    ctx.metrics().timer("latency").record(Duration.ofMillis(5));
    assertThat(ctx.logLines())
        .containsExactly("WARN failed 3 times java.lang.IllegalStateException: boom");
    assertThat(ctx.metrics().count("sent", "code", "200")).isEqualTo(3);
    assertThat(ctx.metrics().countAllTags("sent")).isEqualTo(4);
    assertThat(ctx.metrics().timings("latency")).containsExactly(Duration.ofMillis(5));
  }

  @Test
  void sourceSubmissionsAreStampedDeduplicatedAndCanBeMadeToFail() throws Exception {
    TestSourceContext ctx =
        TestContext.builder(SPEC).connectionId("src").settings(Map.of("url", "u")).buildSource();
    Event a = Events.sample().time(null).build();
    SubmitResult first =
        ctx.submit(List.of(a, Events.sample().build()))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    SubmitResult again = ctx.submit(List.of(a)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(first.statuses()).containsExactly(EventStatus.STORED, EventStatus.STORED);
    assertThat(again.statuses()).containsExactly(EventStatus.DUPLICATE);
    Event stored = ctx.awaitStored(2, Duration.ofSeconds(5)).get(0);
    assertThat(stored.sourceId()).isEqualTo("src");
    assertThat(stored.time()).isEqualTo(stored.uploadTime()).isNotNull();

    ctx.failNextSubmits(1);
    assertThatThrownBy(
            () -> ctx.submit(List.of(Events.sample().build())).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(StoreUnavailableException.class);
    assertThat(
            ctx.submit(List.of(Events.sample().build()))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .statuses())
        .containsExactly(EventStatus.STORED);
    assertThat(ctx.submissions()).isEqualTo(4);
  }

  @Test
  void harnessStartsDestinationsAgainstItsServerAndStopsThemAfterTheTest(ConnectorHarness harness)
      throws Exception {
    harness.server().enqueue(new MockResponse.Builder().code(503).build());
    SampleHttpDestination d = new SampleHttpDestination();
    TestContext ctx =
        harness.start(d, Map.of("url", harness.server().url("/x").toString(), "api_token", "abcd"));
    List<Outcome> outcomes = d.deliver(Events.batch(2));
    assertThat(outcomes).extracting(Outcome::status).containsOnly(Outcome.Status.RETRY);
    assertThat(ctx.metrics().count("requests", "code", "503")).isEqualTo(1);
    assertThat(harness.server().takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
        .isEqualTo("Bearer abcd");
  }
}
