package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.SourceConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every {@link SourceConnector} runs: extend it in your test folder, say how
 * to make a source, its settings and new records in its backend, and JUnit runs the checks below.
 * Each record the backend holds must become exactly one event.
 *
 * <p>Checks: the settings schema is complete; stop before start and a second stop are harmless, and
 * stop returns promptly; every record becomes one stored event with an insert id (so a re-read
 * deduplicates); a restart on the same state directory loses nothing and re-submits nothing under a
 * new insert id; a store that is unavailable for a while loses nothing; no secret value reaches a
 * log line or an event. A subclass may override one check with {@code @Disabled("why")}.
 */
public abstract class SourceConformance {
  /** The harness of the running check: its server, temp dir and started connectors. */
  protected ConnectorHarness harness;

  /** A new, unstarted instance of the source under test. */
  protected abstract SourceConnector newSource();

  /**
   * Valid settings reading from the backend this test controls ({@code harness.server()}, a file
   * under {@code harness.tempDir()}, a database), with a value for every secret field.
   */
  protected abstract Map<String, Object> settings(ConnectorHarness harness);

  /**
   * Puts {@code n} new records into the backend, after those added before; each must become one
   * event.
   */
  protected abstract void addRecords(ConnectorHarness harness, int n) throws Exception;

  /** How long the suite waits for records to arrive as events (poll interval included). */
  protected Duration timeout() {
    return Duration.ofSeconds(30);
  }

  @BeforeEach
  final void startHarness() {
    harness = new ConnectorHarness();
  }

  @AfterEach
  final void closeHarness() throws Exception {
    harness.close();
  }

  private TestContext.Builder context(Path stateDir) {
    return TestContext.builder(newSource().spec()).settings(settings(harness)).stateDir(stateDir);
  }

  @Test
  public void settingsSchemaDescribesAndTypesEveryFieldAndMarksSecrets() {
    ConnectorSpec spec = newSource().spec();
    assertThat(SettingsCheck.completenessProblems(spec))
        .as("settings schema problems of %s", spec)
        .isEmpty();
    assertThatCode(() -> SettingsCheck.validate(spec, settings(harness)))
        .as("the settings this test provides satisfy the schema")
        .doesNotThrowAnyException();
  }

  @Test
  public void stopWithoutStartAndRepeatedStopAreHarmlessAndPrompt() throws Exception {
    assertThatCode(() -> newSource().stop()).as("stop before start").doesNotThrowAnyException();
    SourceConnector s = newSource();
    TestSourceContext ctx = context(harness.tempDir().resolve("stop")).buildSource();
    s.start(ctx);
    assertTimeoutPreemptively(Duration.ofSeconds(15), s::stop, "stop returns promptly");
    assertThatCode(s::stop).as("second stop").doesNotThrowAnyException();
  }

  @Test
  public void everyRecordBecomesOneStoredEventWithAnInsertId() throws Exception {
    addRecords(harness, 5);
    TestSourceContext ctx = harness.start(newSource(), context(harness.tempDir().resolve("one")));
    List<Event> stored = ctx.awaitStored(5, timeout());
    assertThat(stored).allSatisfy(e -> assertThat(e.insertId()).as("insert id").isNotBlank());
    assertThat(stored).allSatisfy(e -> assertThat(e.eventType()).as("event type").isNotBlank());
    assertThat(stored).extracting(Event::insertId).doesNotHaveDuplicates();
    addRecords(harness, 2);
    assertThat(ctx.awaitStored(7, timeout()))
        .as("records added while running")
        .extracting(Event::insertId)
        .doesNotHaveDuplicates()
        .hasSize(7);
  }

  @Test
  public void aRestartOnTheSameStateLosesNothingAndRenamesNothing() throws Exception {
    Path state = harness.tempDir().resolve("restart");
    addRecords(harness, 3);
    SourceConnector first = newSource();
    TestSourceContext before = harness.start(first, context(state));
    Set<String> ids = new HashSet<>();
    before.awaitStored(3, timeout()).forEach(e -> ids.add(e.insertId()));
    harness.stop(first);
    addRecords(harness, 2);
    TestSourceContext after = harness.start(newSource(), context(state));
    // the new records arrive; anything read again carries the insert id it had before
    Set<String> all = new HashSet<>(ids);
    long deadline = System.nanoTime() + timeout().toNanos();
    int want = 2;
    while (all.size() < 5 && System.nanoTime() < deadline) {
      List<Event> resumed =
          after.awaitStored(want, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      resumed.forEach(e -> all.add(e.insertId()));
      want = resumed.size() + 1;
    }
    assertThat(all).as("distinct insert ids for 5 records across the restart").hasSize(5);
  }

  @Test
  public void aStoreUnavailableForAWhileLosesNothing() throws Exception {
    addRecords(harness, 3);
    SourceConnector s = newSource();
    TestSourceContext ctx = context(harness.tempDir().resolve("unavailable")).buildSource();
    ctx.failNextSubmits(2);
    s.start(ctx);
    try {
      assertThat(ctx.awaitStored(3, timeout()))
          .extracting(Event::insertId)
          .doesNotHaveDuplicates()
          .hasSize(3);
    } finally {
      s.stop();
    }
  }

  @Test
  public void noSecretValueAppearsInLogsOrEvents() throws Exception {
    SourceConnector s = newSource();
    Set<String> secrets = SettingsCheck.secretValues(s.spec(), settings(harness));
    assumeTrue(!secrets.isEmpty(), "the settings hold no secret values to look for");
    addRecords(harness, 2);
    TestSourceContext ctx = harness.start(s, context(harness.tempDir().resolve("secrets")));
    List<String> seen = new ArrayList<>();
    ctx.awaitStored(2, timeout()).forEach(e -> seen.add(e.toMap().toString()));
    harness.stop(s);
    seen.addAll(ctx.logLines());
    seen.add(s.health().toString());
    for (String secret : secrets) {
      assertThat(seen).as("lines mentioning a secret value").noneMatch(l -> l.contains(secret));
    }
  }
}
