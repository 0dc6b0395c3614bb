package dev.weir.testkit;

import dev.weir.runtime.FileStateStore;
import dev.weir.runtime.RuntimeContext;
import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Settings;
import dev.weir.sdk.StateStore;
import dev.weir.sdk.http.HttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * A real {@link ConnectorContext} for tests: the host's own {@link RuntimeContext}, with settings
 * validated by the host's validator (defaults applied, strings coerced), a logger that keeps every
 * line, readable metrics, a shared OkHttp client, and the host's file-backed {@link StateStore}
 * (write-temp + fsync + rename). Thread-safe. Unlike the host, the logger does <em>not</em> redact
 * secrets, so a connector that logs one is caught.
 *
 * <p>Build with {@link #builder(ConnectorSpec)}; a context built on the same state directory as an
 * earlier one sees its state, which is how restarts are tested.
 */
public class TestContext implements ConnectorContext {
  private final String connectionId;
  private final ConnectorSpec spec;
  private final CapturingLogger logger;
  private final TestMetrics metrics = new TestMetrics();
  private final FileStateStore state;
  private final Path stateDir;
  private final RuntimeContext base;

  TestContext(Builder b) {
    this.connectionId = b.connectionId;
    this.spec = b.spec;
    this.logger = new CapturingLogger("weir.connector." + b.connectionId);
    this.stateDir = b.stateDir != null ? b.stateDir : tempDir();
    this.state = new FileStateStore(stateDir);
    this.base =
        RuntimeContext.builder(b.connectionId)
            .settings(SettingsCheck.validate(b.spec, b.settings))
            .logger(logger)
            .metrics(metrics)
            .state(state)
            .build();
  }

  /**
   * A builder for a context of a connection of this connector; settings default to an empty object.
   */
  /** A context for a connector with this spec and these settings (validated against its schema). */
  public static TestContext of(ConnectorSpec spec, Map<String, ?> settings) {
    return builder(spec).settings(settings).build();
  }

  public static Builder builder(ConnectorSpec spec) {
    return new Builder(spec);
  }

  @Override
  public String connectionId() {
    return connectionId;
  }

  @Override
  public Settings settings() {
    return base.settings();
  }

  @Override
  public Logger logger() {
    return logger;
  }

  @Override
  public TestMetrics metrics() {
    return metrics;
  }

  @Override
  public HttpClient http() {
    return base.http();
  }

  @Override
  public StateStore state() {
    return state;
  }

  /** The connector whose settings this context holds. */
  public ConnectorSpec spec() {
    return spec;
  }

  /** Every line logged so far, formatted, as {@code LEVEL message [throwable]}. */
  public List<String> logLines() {
    return logger.lines();
  }

  /** A copy of the state store's content. */
  public Map<String, String> stateSnapshot() {
    return state.snapshot();
  }

  /** Where the state file lives; give it to {@link Builder#stateDir} to simulate a restart. */
  public Path stateDir() {
    return stateDir;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("weir-testkit-state");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds a {@link TestContext} or a {@link TestSourceContext}; not thread-safe. */
  public static final class Builder {
    private final ConnectorSpec spec;
    private String connectionId = "test-connection";
    private Map<String, ?> settings = Map.of();
    private Path stateDir;

    private Builder(ConnectorSpec spec) {
      this.spec = Objects.requireNonNull(spec, "spec");
    }

    public Builder connectionId(String connectionId) {
      this.connectionId = Objects.requireNonNull(connectionId, "connectionId");
      return this;
    }

    /** JSON-like settings (maps, lists, strings, numbers, booleans); validated when built. */
    public Builder settings(Map<String, ?> settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** Where the state store keeps its file; a fresh temp directory by default. */
    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    /**
     * @throws IllegalArgumentException when the settings do not satisfy the connector's schema
     */
    public TestContext build() {
      return new TestContext(this);
    }

    /** A context for a source, whose submissions land in an in-memory store. */
    public TestSourceContext buildSource() {
      return new TestSourceContext(this);
    }
  }
}
