package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every {@link StreamingDestination} runs: extend it in your test folder, say
 * how to make a destination and its settings, and JUnit runs the checks below. By default the
 * {@link ConnectorHarness#server()} MockWebServer answers 200 to every request and 503 once {@link
 * #breakBackend} is called; point your settings at it (or override the hooks for destinations that
 * do not speak HTTP).
 *
 * <p>Checks: the settings schema is complete (type and description on every field, secret-looking
 * fields marked secret); start/stop are safe to repeat on fresh instances and stop is idempotent; a
 * passing outage is reported as RETRY, and so is a backend that stops answering (when the
 * destination has a timeout setting); every event of a batch gets exactly one outcome; no secret
 * value reaches a log line, an outcome or an exception; {@code deliver} is thread-safe under
 * concurrent batches. A subclass may override one check with {@code @Disabled("why")} to record a
 * known gap.
 */
public abstract class StreamingDestinationConformance {
  private static final int THREADS = 4;
  private static final int BATCHES_PER_THREAD = 10;
  private static final int BATCH_SIZE = 20;
  private static final Duration STALL = Duration.ofSeconds(3);
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

  /** The harness of the running check: its server, temp dir and started destinations. */
  protected ConnectorHarness harness;

  private final List<String> receivedBodies = new CopyOnWriteArrayList<>();
  private volatile boolean broken;
  private volatile boolean stalled;

  /** A new, unstarted instance of the destination under test. */
  protected abstract StreamingDestination newDestination();

  /**
   * Valid settings pointing at the harness's backend ({@code harness.server().url("/")} or a path
   * under {@code harness.tempDir()}), including a value for every secret field so the secret check
   * has something to look for.
   */
  protected abstract Map<String, Object> settings(ConnectorHarness harness);

  /**
   * Makes the backend fail the way a passing outage does; returns false when the destination has no
   * backend that can be broken (the retry check is then skipped). By default the MockWebServer
   * answers 503 from now on.
   */
  protected boolean breakBackend(ConnectorHarness harness) {
    broken = true;
    return true;
  }

  /**
   * Settings like {@link #settings} whose read (or request) timeout is at most {@code timeout}, or
   * null when the destination has no such setting (the timeout check is then skipped). The
   * MockWebServer then stops answering (it delays its response headers far beyond the timeout).
   */
  protected Map<String, Object> settingsWithTimeout(ConnectorHarness harness, Duration timeout) {
    return null;
  }

  /**
   * The insert ids the backend received, read after the destination stopped, or empty when the
   * destination cannot say (the thread-safety check then checks outcomes only). Bodies the
   * MockWebServer received are in {@link #receivedBodies()}.
   */
  protected Optional<Set<String>> receivedInsertIds(ConnectorHarness harness) throws Exception {
    return Optional.empty();
  }

  /** Request bodies (UTF-8) the MockWebServer accepted with 200, in arrival order. */
  protected final List<String> receivedBodies() {
    return List.copyOf(receivedBodies);
  }

  @BeforeEach
  final void startHarness() {
    harness = new ConnectorHarness();
    harness
        .server()
        .setDispatcher(
            new Dispatcher() {
              @Override
              public MockResponse dispatch(RecordedRequest request) {
                if (stalled) {
                  return new MockResponse.Builder()
                      .code(200)
                      .headersDelay(STALL.toMillis(), TimeUnit.MILLISECONDS)
                      .build();
                }
                if (broken) {
                  return new MockResponse.Builder()
                      .code(503)
                      .body("{\"error\":\"unavailable\"}")
                      .build();
                }
                receivedBodies.add(request.getBody() == null ? "" : request.getBody().utf8());
                return new MockResponse.Builder().code(200).body("{}").build();
              }
            });
  }

  @AfterEach
  final void closeHarness() throws Exception {
    harness.close();
  }

  @Test
  public void settingsSchemaDescribesAndTypesEveryFieldAndMarksSecrets() {
    ConnectorSpec spec = newDestination().spec();
    assertThat(spec.id()).isEqualTo(newDestination().spec().id());
    assertThat(SettingsCheck.completenessProblems(spec))
        .as("settings schema problems of %s", spec)
        .isEmpty();
    assertThatCode(() -> SettingsCheck.validate(spec, settings(harness)))
        .as("the settings this test provides satisfy the schema")
        .doesNotThrowAnyException();
  }

  @Test
  public void stopWithoutStartAndRepeatedStopAreHarmless() throws Exception {
    assertThatCode(() -> newDestination().stop())
        .as("stop before start")
        .doesNotThrowAnyException();
    StreamingDestination d = newDestination();
    d.start(
        TestContext.builder(d.spec())
            .settings(settings(harness))
            .stateDir(harness.tempDir().resolve("s1"))
            .build());
    assertThat(d.deliver(Events.batch(2)))
        .extracting(Outcome::status)
        .containsOnly(Outcome.Status.DELIVERED);
    d.stop();
    assertThatCode(d::stop).as("second stop").doesNotThrowAnyException();
  }

  @Test
  public void aFreshInstanceStartsAndDeliversAfterAnEarlierOneStopped() throws Exception {
    StreamingDestination first = newDestination();
    harness.start(first, settings(harness));
    assertThat(first.deliver(Events.batch(3)))
        .extracting(Outcome::status)
        .containsOnly(Outcome.Status.DELIVERED);
    harness.stop(first);

    StreamingDestination second = newDestination();
    harness.start(second, settings(harness));
    assertThat(second.deliver(Events.batch(3)))
        .extracting(Outcome::status)
        .containsOnly(Outcome.Status.DELIVERED);
  }

  @Test
  public void everyEventOfABatchGetsExactlyOneOutcome() throws Exception {
    StreamingDestination d = newDestination();
    harness.start(d, settings(harness));
    for (List<Event> batch : List.of(Events.batch(1), Events.batch(57))) {
      List<Outcome> outcomes = d.deliver(batch);
      assertThat(outcomes).hasSize(batch.size()).doesNotContainNull();
      assertThat(outcomes).extracting(Outcome::status).containsOnly(Outcome.Status.DELIVERED);
    }
    List<Event> awkward = Events.awkward();
    List<Outcome> outcomes = d.deliver(awkward);
    assertThat(outcomes)
        .as("outcomes of awkward events")
        .hasSize(awkward.size())
        .doesNotContainNull();
    assertThat(outcomes).extracting(Outcome::status).doesNotContain(Outcome.Status.RETRY);
  }

  @Test
  public void aPassingBackendOutageIsReportedAsRetry() throws Exception {
    StreamingDestination d = newDestination();
    harness.start(d, settings(harness));
    assumeTrue(breakBackend(harness), "this destination has no backend the suite can break");
    List<Event> batch = Events.batch(3);
    List<Outcome> outcomes;
    try {
      outcomes = d.deliver(batch);
    } catch (Exception thrown) {
      return; // the SDK treats a throw as a retryable failure of the whole batch
    }
    assertThat(outcomes)
        .hasSize(batch.size())
        .extracting(Outcome::status)
        .containsOnly(Outcome.Status.RETRY);
  }

  @Test
  public void aBackendThatStopsAnsweringIsReportedAsRetry() throws Exception {
    Map<String, Object> settings = settingsWithTimeout(harness, SHORT_TIMEOUT);
    assumeTrue(
        settings != null, "this destination declares no timeout setting the suite can shorten");
    StreamingDestination d = newDestination();
    harness.start(d, settings);
    stalled = true;
    List<Event> batch = Events.batch(2);
    List<Outcome> outcomes;
    try {
      outcomes = d.deliver(batch);
    } catch (Exception thrown) {
      return; // the SDK treats a throw as a retryable failure of the whole batch
    }
    assertThat(outcomes)
        .hasSize(batch.size())
        .extracting(Outcome::status)
        .containsOnly(Outcome.Status.RETRY);
  }

  @Test
  public void noSecretValueAppearsInLogsOutcomesOrErrors() throws Exception {
    StreamingDestination d = newDestination();
    Map<String, Object> settings = settings(harness);
    Set<String> secrets = SettingsCheck.secretValues(d.spec(), settings);
    assumeTrue(!secrets.isEmpty(), "the settings hold no secret values to look for");
    List<String> seen = new ArrayList<>();
    TestContext ctx = harness.start(d, settings);
    d.deliver(Events.batch(2)).forEach(o -> seen.add(o.toString()));
    if (breakBackend(harness)) {
      try {
        d.deliver(Events.batch(2)).forEach(o -> seen.add(o.toString()));
      } catch (Exception e) {
        seen.add(String.valueOf(e));
      }
    }
    harness.stop(d);
    seen.addAll(ctx.logLines());
    seen.add(d.health().toString());
    for (String secret : secrets) {
      assertThat(seen)
          .as("lines mentioning a secret value")
          .noneMatch(line -> line.contains(secret));
    }
  }

  @Test
  public void deliverIsThreadSafeUnderConcurrentBatches() throws Exception {
    StreamingDestination d = newDestination();
    harness.start(d, settings(harness));
    Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        tasks.add(
            () -> {
              for (int b = 0; b < BATCHES_PER_THREAD; b++) {
                List<Event> batch = Events.batch(BATCH_SIZE);
                List<Outcome> outcomes = d.deliver(batch);
                assertThat(outcomes)
                    .hasSize(batch.size())
                    .extracting(Outcome::status)
                    .containsOnly(Outcome.Status.DELIVERED);
                batch.forEach(e -> sent.add(e.insertId()));
              }
              return null;
            });
      }
      List<Future<Void>> futures = new ArrayList<>();
      tasks.forEach(task -> futures.add(pool.submit(task)));
      for (Future<Void> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    harness.stop(d);
    assertThat(sent).hasSize(THREADS * BATCHES_PER_THREAD * BATCH_SIZE);
    Optional<Set<String>> received = receivedInsertIds(harness);
    received.ifPresent(
        ids ->
            assertThat(new HashSet<>(ids)).as("insert ids the backend received").containsAll(sent));
  }
}
