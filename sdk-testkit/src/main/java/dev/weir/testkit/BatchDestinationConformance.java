package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.sdk.BatchDestination;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.ExportBatch;
import dev.weir.sdk.ExportResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every {@link BatchDestination} runs: extend it in your test folder, say how
 * to make a destination, its settings and how to read back what it loaded, and JUnit runs the
 * checks below.
 *
 * <p>Checks: the settings schema is complete; stop before start and a second stop are harmless;
 * every row of an exported batch is loaded once and the result counts it; exporting the same batch
 * id again (the host does after a crash between commit and checkpoint) duplicates nothing, also
 * from a fresh instance; distinct batches accumulate; a broken backend makes {@code export} throw
 * (nothing committed); no secret value reaches a log line, a result or an exception. A subclass may
 * override one check with {@code @Disabled("why")}.
 */
public abstract class BatchDestinationConformance {
  /** The harness of the running check: its server, temp dir and started connectors. */
  protected ConnectorHarness harness;

  private int started;

  /** A new, unstarted instance of the destination under test. */
  protected abstract BatchDestination newDestination();

  /** Valid settings writing to a backend this test can read, with every secret field set. */
  protected abstract Map<String, Object> settings(ConnectorHarness harness);

  /**
   * The insert ids of every row the backend holds now, one entry per row (so a duplicated row shows
   * twice). Called while no export runs.
   */
  protected abstract List<String> loadedInsertIds(ConnectorHarness harness) throws Exception;

  /**
   * Makes the backend fail from now on; returns false when the suite cannot (the check is then
   * skipped).
   */
  protected boolean breakBackend(ConnectorHarness harness) throws Exception {
    return false;
  }

  @BeforeEach
  final void startHarness() {
    harness = new ConnectorHarness();
  }

  @AfterEach
  final void closeHarness() throws Exception {
    harness.close();
  }

  /**
   * A batch of {@code rows} events with insert ids {@code <id>-0 ...}, as the host hands it over.
   */
  protected static ExportBatch batch(String id, int rows) {
    List<Event> events = new ArrayList<>();
    int i = 0;
    for (Event e : Events.batch(rows)) {
      events.add(e.toBuilder().insertId(id + "-" + i++).build());
    }
    long min = events.stream().mapToLong(e -> e.time() == null ? 0 : e.time()).min().orElse(0);
    long max = events.stream().mapToLong(e -> e.time() == null ? 0 : e.time()).max().orElse(0);
    return new ExportBatch() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public int partition() {
        return 0;
      }

      @Override
      public long rowCount() {
        return events.size();
      }

      @Override
      public long minTime() {
        return min;
      }

      @Override
      public long maxTime() {
        return max;
      }

      @Override
      public Iterator<Event> rows() {
        return events.iterator();
      }
    };
  }

  private TestContext start(BatchDestination d) throws Exception {
    TestContext ctx =
        TestContext.builder(d.spec())
            .settings(settings(harness))
            .stateDir(harness.tempDir().resolve("state-" + started++))
            .build();
    d.start(ctx);
    return ctx;
  }

  private static List<String> ids(ExportBatch b) {
    List<String> out = new ArrayList<>();
    b.rows().forEachRemaining(e -> out.add(e.insertId()));
    return out;
  }

  @Test
  public void settingsSchemaDescribesAndTypesEveryFieldAndMarksSecrets() {
    ConnectorSpec spec = newDestination().spec();
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
    BatchDestination d = newDestination();
    start(d);
    d.stop();
    assertThatCode(d::stop).as("second stop").doesNotThrowAnyException();
  }

  @Test
  public void everyRowOfAnExportedBatchIsLoadedOnceAndCounted() throws Exception {
    BatchDestination d = newDestination();
    start(d);
    ExportBatch b = batch("chunk-1", 25);
    ExportResult r;
    try {
      r = d.export(b);
    } finally {
      d.stop();
    }
    assertThat(r.loaded() + r.rejected().size()).as("rows accounted for").isEqualTo(25);
    assertThat(r.rejected()).as("rows rejected from ordinary events").isEmpty();
    assertThat(loadedInsertIds(harness)).containsExactlyInAnyOrderElementsOf(ids(b));
  }

  @Test
  public void exportingTheSameBatchAgainDuplicatesNothingAlsoFromAFreshInstance() throws Exception {
    ExportBatch b = batch("chunk-1", 10);
    BatchDestination d = newDestination();
    start(d);
    try {
      d.export(b);
      d.export(b);
    } finally {
      d.stop();
    }
    BatchDestination again = newDestination();
    start(again);
    try {
      again.export(b);
    } finally {
      again.stop();
    }
    assertThat(loadedInsertIds(harness))
        .as("rows after exporting chunk-1 three times")
        .containsExactlyInAnyOrderElementsOf(ids(b));
  }

  @Test
  public void distinctBatchesAccumulate() throws Exception {
    BatchDestination d = newDestination();
    start(d);
    ExportBatch a = batch("chunk-a", 7);
    ExportBatch b = batch("chunk-b", 5);
    try {
      d.export(a);
      d.export(b);
    } finally {
      d.stop();
    }
    List<String> want = new ArrayList<>(ids(a));
    want.addAll(ids(b));
    assertThat(loadedInsertIds(harness)).containsExactlyInAnyOrderElementsOf(want);
  }

  @Test
  public void aBrokenBackendMakesExportThrow() throws Exception {
    BatchDestination d = newDestination();
    start(d);
    try {
      assumeTrue(breakBackend(harness), "this destination has no backend the suite can break");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.export(batch("chunk-x", 3)))
          .as("export must throw when nothing could be committed");
    } finally {
      d.stop();
    }
  }

  @Test
  public void noSecretValueAppearsInLogsResultsOrErrors() throws Exception {
    BatchDestination d = newDestination();
    Set<String> secrets = SettingsCheck.secretValues(d.spec(), settings(harness));
    assumeTrue(!secrets.isEmpty(), "the settings hold no secret values to look for");
    TestContext ctx = start(d);
    List<String> seen = new ArrayList<>();
    try {
      seen.add(String.valueOf(d.export(batch("chunk-s", 2))));
      if (breakBackend(harness)) {
        try {
          d.export(batch("chunk-t", 2));
        } catch (Exception e) {
          seen.add(String.valueOf(e));
        }
      }
    } finally {
      d.stop();
    }
    seen.addAll(ctx.logLines());
    seen.add(d.health().toString());
    for (String secret : secrets) {
      assertThat(seen).as("lines mentioning a secret value").noneMatch(l -> l.contains(secret));
    }
  }

  /** Where a file-based destination under test may write (inside the harness's temp dir). */
  protected static Path dir(ConnectorHarness harness, String name) {
    return harness.tempDir().resolve(name);
  }
}
