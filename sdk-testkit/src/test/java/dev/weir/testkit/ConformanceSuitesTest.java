package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.weir.sdk.BatchDestination;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.StreamingDestination;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The conformance suites can fail: each runs (through the JUnit Platform launcher, as a build
 * would) against a correct sample connector, which passes every check, and against a deliberately
 * broken one, which fails exactly the checks its defects break.
 */
class ConformanceSuitesTest {
  private static TestExecutionSummary run(Class<?> suite) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build(),
            listener);
    return listener.getSummary();
  }

  private static Set<String> failed(TestExecutionSummary s) {
    Set<String> out = new TreeSet<>();
    s.getFailures().forEach(f -> out.add(f.getTestIdentifier().getDisplayName()));
    return out;
  }

  // --- sources

  static class FileSourceSuite extends SourceConformance {
    @Override
    protected SourceConnector newSource() {
      return new SampleConnectors.FileSource();
    }

    @Override
    protected Map<String, Object> settings(ConnectorHarness h) {
      return Map.of(
          "file", h.tempDir().resolve("records.ndjson").toString(), "api_token", "tok-s3cr3t-9");
    }

    @Override
    protected void addRecords(ConnectorHarness h, int n) throws Exception {
      SampleConnectors.addRecords(h.tempDir().resolve("records.ndjson"), n);
    }

    @Override
    protected java.time.Duration timeout() {
      return java.time.Duration.ofSeconds(10);
    }
  }

  static class BrokenFileSourceSuite extends FileSourceSuite {
    @Override
    protected SourceConnector newSource() {
      return new SampleConnectors.BrokenFileSource();
    }

    @Override
    protected java.time.Duration timeout() {
      return java.time.Duration.ofSeconds(3);
    }
  }

  @Test
  void theSourceSuitePassesACorrectSource() {
    TestExecutionSummary s = run(FileSourceSuite.class);
    assertThat(failed(s)).isEmpty();
    assertThat(s.getTestsSucceededCount()).isEqualTo(6);
  }

  @Test
  void theSourceSuiteFailsASourceThatRenamesRecordsAndForgetsItsCursor() {
    assertThat(failed(run(BrokenFileSourceSuite.class)))
        .contains(
            "everyRecordBecomesOneStoredEventWithAnInsertId()",
            "aRestartOnTheSameStateLosesNothingAndRenamesNothing()");
  }

  // --- batch destinations

  static class FileBatchSuite extends BatchDestinationConformance {
    @Override
    protected BatchDestination newDestination() {
      return new SampleConnectors.FileBatchDestination();
    }

    @Override
    protected Map<String, Object> settings(ConnectorHarness h) {
      return Map.of("dir", h.tempDir().resolve("out").toString(), "password", "pw-s3cr3t-1");
    }

    @Override
    protected List<String> loadedInsertIds(ConnectorHarness h) throws Exception {
      return SampleConnectors.loaded(h.tempDir().resolve("out"));
    }

    @Override
    protected boolean breakBackend(ConnectorHarness h) throws Exception {
      Path out = h.tempDir().resolve("out");
      try (var files = java.nio.file.Files.walk(out)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      java.nio.file.Files.writeString(out, "not a directory");
      return true;
    }
  }

  static class AppendingBatchSuite extends FileBatchSuite {
    @Override
    protected BatchDestination newDestination() {
      return new SampleConnectors.AppendingBatchDestination();
    }
  }

  @Test
  void theBatchSuitePassesACorrectDestination() {
    TestExecutionSummary s = run(FileBatchSuite.class);
    assertThat(failed(s)).isEmpty();
    assertThat(s.getTestsSucceededCount()).isEqualTo(7);
  }

  @Test
  void theBatchSuiteFailsADestinationThatLoadsARe_exportedBatchTwice() {
    assertThat(failed(run(AppendingBatchSuite.class)))
        .containsExactly("exportingTheSameBatchAgainDuplicatesNothingAlsoFromAFreshInstance()");
  }

  // --- streaming destinations

  /** Broken: drops the last outcome of every batch of more than one event. */
  static final class DroppingDestination extends StreamingDestination {
    private final SampleHttpDestination inner = new SampleHttpDestination();

    @Override
    public dev.weir.sdk.ConnectorSpec spec() {
      return inner.spec();
    }

    @Override
    public void start(dev.weir.sdk.ConnectorContext context) throws Exception {
      inner.start(context);
    }

    @Override
    public List<Outcome> deliver(List<Event> batch) throws Exception {
      List<Outcome> all = inner.deliver(batch);
      return all.size() > 1 ? all.subList(0, all.size() - 1) : all;
    }

    @Override
    public void stop() throws Exception {
      inner.stop();
    }
  }

  static class DroppingSuite extends SampleHttpDestinationConformanceTest {
    @Override
    protected StreamingDestination newDestination() {
      return new DroppingDestination();
    }
  }

  @Test
  void theStreamingSuiteFailsADestinationThatLosesOutcomes() {
    assertThat(failed(run(DroppingSuite.class)))
        .contains(
            "everyEventOfABatchGetsExactlyOneOutcome()",
            "deliverIsThreadSafeUnderConcurrentBatches()");
  }
}
